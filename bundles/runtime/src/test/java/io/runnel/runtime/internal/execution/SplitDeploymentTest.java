package io.runnel.runtime.internal.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.api.JobId;
import io.runnel.api.eventtime.WatermarkGenerator;
import io.runnel.api.eventtime.WatermarkOutput;
import io.runnel.api.eventtime.WatermarkStrategy;
import io.runnel.api.functions.CoProcessFunction;
import io.runnel.api.functions.Collector;
import io.runnel.api.functions.RuntimeContext;
import io.runnel.api.state.ListState;
import io.runnel.api.state.ListStateDescriptor;
import io.runnel.api.state.ValueState;
import io.runnel.api.state.ValueStateDescriptor;
import io.runnel.api.stream.DataStream;
import io.runnel.api.stream.JobClient;
import io.runnel.api.stream.JobResult;
import io.runnel.api.stream.JobStatus;
import io.runnel.api.stream.JobSubmissionException;
import io.runnel.api.stream.SinkDescriptor;
import io.runnel.api.stream.Sources;
import io.runnel.api.stream.StreamJob;
import io.runnel.api.windowing.ProcessWindowFunction;
import io.runnel.api.windowing.TimeWindow;
import io.runnel.api.windowing.TumblingWindows;
import io.runnel.connectors.basic.internal.DatagenSource;
import io.runnel.runtime.internal.graph.JobEdge;
import io.runnel.runtime.internal.graph.JobGraph;
import io.runnel.runtime.internal.graph.JobVertex;
import io.runnel.runtime.internal.network.DataClient;
import io.runnel.runtime.internal.network.DataServer;
import io.runnel.runtime.internal.network.NetworkConfig;
import io.runnel.spi.connector.SinkProvider;
import io.runnel.spi.connector.SinkWriter;
import io.runnel.spi.connector.SubtaskInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One job spread over two "TaskManagers" in this JVM, each with its own data server and client on
 * loopback. As on a real cluster, every node builds the job from the same {@link StreamJob} and
 * starts only the subtasks the placement puts on it; the channels between the nodes go through the
 * data plane. Results are compared with the same computation done plainly in the test.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SplitDeploymentTest {

    /** What a sink subtask on some node received. */
    record Delivered(String node, int subtask, Object record) {}

    record Click(String user, long index) {}

    record Visits(String user, long count, long indexSum) {}

    record Event(String key, long time, long value) {}

    record WindowResult(String key, long start, long end, long count, long sum) {}

    record Order(long id, int customer) {}

    record Customer(int id, String name) {}

    /** Every job of this test is named with this prefix, so its task threads can be found. */
    private static final String JOB_PREFIX = "split ";
    private static final Duration JOB_TIMEOUT = Duration.ofSeconds(60);

    private final Queue<Delivered> delivered = new ConcurrentLinkedQueue<>();
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final List<JobClient> clients = new ArrayList<>();

    @AfterEach
    void stopEverything() throws Exception {
        for (JobClient client : clients) {
            client.cancel();
        }
        for (JobClient client : clients) {
            client.result().get(JOB_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
        for (Node node : nodes.values()) {
            node.close();
        }
        awaitTrue(() -> taskThreads().isEmpty(), Duration.ofSeconds(10), "task threads still running: " + taskThreads());
    }

    @Test
    void aKeyedReduceOverTwoNodesMatchesAPlainGroupBy() throws Exception {
        long records = 20_000;
        StreamJob job = (env, parameters) -> env
                .fromSource(Sources.generator(records, i -> new Click("user" + i % 37, i)), "clicks")
                .map(click -> new Visits(click.user(), 1, click.index()))
                .keyBy(Visits::user)
                .reduce((a, b) -> new Visits(a.user(), a.count() + b.count(), a.indexSum() + b.indexSum()))
                .sinkTo(new SinkDescriptor<>("queue", Map.of()), "collect");
        Placement placement = placement("A", "B", "A", "B");

        List<JobResult> results = runToEnd(job, "split keyed reduce", 4, placement);

        assertThat(results).allSatisfy(result -> assertThat(result.status()).isEqualTo(JobStatus.FINISHED));
        Map<String, Visits> expected = new TreeMap<>();
        for (long i = 0; i < records; i++) {
            String user = "user" + i % 37;
            Visits before = expected.getOrDefault(user, new Visits(user, 0, 0));
            expected.put(user, new Visits(user, before.count() + 1, before.indexSum() + i));
        }
        assertThat(delivered).as("the reduce emits once per record").hasSize((int) records);
        Map<String, Visits> finalVisits = new TreeMap<>();
        Map<String, Integer> subtaskOfUser = new HashMap<>();
        for (Delivered each : delivered) {
            Visits visits = (Visits) each.record();
            finalVisits.merge(visits.user(), visits, (a, b) -> a.count() >= b.count() ? a : b);
            assertThat(subtaskOfUser.merge(visits.user(), each.subtask(), (a, b) -> a))
                    .as("a key lives in one subtask").isEqualTo(each.subtask());
            assertThat(each.node()).as("the sink subtask runs where its slot is")
                    .isEqualTo(placement.slotNodes().get(each.subtask()));
        }
        assertThat(finalVisits).isEqualTo(expected);
        assertThat(subtaskOfUser.values()).as("keys spread over all four subtasks").containsOnly(0, 1, 2, 3)
                .contains(0, 1, 2, 3);
        assertThat(nodes.get("A").client.connectionCount()).as("A sent to B").isEqualTo(1);
        assertThat(nodes.get("B").client.connectionCount()).as("B sent to A").isEqualTo(1);
    }

    @Test
    void eventTimeWindowsWithUnevenParallelismOverTwoNodesMatchAPlainGroupBy() throws Exception {
        long records = 12_000;
        // Sources at parallelism 2 (slots 0 on A, 1 on B), windows at 3 (slots 0 and 2 on A, 1 on B).
        StreamJob job = (env, parameters) -> env
                .fromSource(Sources.generator(records, i -> new Event("k" + i % 7, i, i % 100)), "events")
                .setParallelism(2)
                .assignTimestampsAndWatermarks(watermarkPerRecord())
                .setParallelism(2)
                .keyBy(Event::key)
                .window(TumblingWindows.<Event>ofEventTime(Duration.ofMillis(100)))
                .process(new CountAndSum())
                .sinkTo(new SinkDescriptor<>("queue", Map.of()), "collect");

        List<JobResult> results = runToEnd(job, "split windows", 3, placement("A", "B", "A"));

        assertThat(results).allSatisfy(result -> assertThat(result.status()).isEqualTo(JobStatus.FINISHED));
        Map<String, List<Long>> expected = new TreeMap<>();
        for (long i = 0; i < records; i++) {
            String window = "k" + i % 7 + "@" + i / 100 * 100;
            List<Long> countAndSum = expected.computeIfAbsent(window, key -> new ArrayList<>(List.of(0L, 0L)));
            countAndSum.set(0, countAndSum.get(0) + 1);
            countAndSum.set(1, countAndSum.get(1) + i % 100);
        }
        Map<String, List<Long>> actual = new TreeMap<>();
        for (Delivered each : delivered) {
            WindowResult result = (WindowResult) each.record();
            assertThat(result.end() - result.start()).isEqualTo(100);
            assertThat(actual.put(result.key() + "@" + result.start(), List.of(result.count(), result.sum())))
                    .as("each window fires once").isNull();
        }
        assertThat(actual).isEqualTo(expected);
        assertThat(delivered.stream().map(Delivered::node).distinct()).containsExactlyInAnyOrder("A", "B");
    }

    @Test
    void aUnionBroadcastOverTwoNodesReachesEverySubtask() throws Exception {
        StreamJob job = (env, parameters) -> {
            DataStream<Long> numbers = env.fromSource(Sources.generator(1_000, i -> i), "numbers");
            DataStream<Long> more = env.fromSource(Sources.generator(500, i -> 10_000 + i), "more").setParallelism(1);
            numbers.union(more).broadcast().map(x -> x * 2).sinkTo(new SinkDescriptor<>("queue", Map.of()), "collect");
        };

        List<JobResult> results = runToEnd(job, "split broadcast", 4, placement("A", "B", "B", "A"));

        assertThat(results).allSatisfy(result -> assertThat(result.status()).isEqualTo(JobStatus.FINISHED));
        List<Long> everything = new ArrayList<>();
        for (long i = 0; i < 1_000; i++) {
            everything.add(i * 2);
        }
        for (long i = 0; i < 500; i++) {
            everything.add((10_000 + i) * 2);
        }
        Map<Integer, List<Delivered>> bySubtask = delivered.stream().collect(Collectors.groupingBy(Delivered::subtask));
        assertThat(bySubtask).containsOnlyKeys(0, 1, 2, 3);
        bySubtask.forEach((subtask, received) -> assertThat(received.stream().map(Delivered::record))
                .as("subtask %d gets every record of both sources", subtask)
                .containsExactlyInAnyOrderElementsOf(everything));
    }

    @Test
    void aKeyedTwoInputOperatorGetsBothInputsFromBothNodes() throws Exception {
        StreamJob job = (env, parameters) -> {
            DataStream<Order> orders = env.fromSource(Sources.generator(3_000, i -> new Order(i, (int) (i % 97))), "orders");
            DataStream<Customer> customers = env.fromSource(Sources.generator(97, i -> new Customer((int) i, "c" + i)),
                    "customers").setParallelism(1);
            orders.connect(customers).keyBy(Order::customer, Customer::id).process(new Enrich())
                    .sinkTo(new SinkDescriptor<>("queue", Map.of()), "collect");
        };

        List<JobResult> results = runToEnd(job, "split co-process", 4, placement("B", "A", "B", "A"));

        assertThat(results).allSatisfy(result -> assertThat(result.status()).isEqualTo(JobStatus.FINISHED));
        List<String> expected = new ArrayList<>();
        for (long i = 0; i < 3_000; i++) {
            expected.add("order " + i + " for c" + i % 97);
        }
        assertThat(delivered.stream().map(Delivered::record)).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void aUserFunctionFailingOnOneNodeEndsTheJobOnBoth() throws Exception {
        // Far more records than the test runs for: only the failure can end this job in time. Index
        // 4001 comes from source subtask 4001 % 4 = 1, whose slot is on B.
        StreamJob job = (env, parameters) -> env
                .fromSource(Sources.generator(Long.MAX_VALUE, i -> i), "numbers")
                .map(i -> {
                    if (i == 4_001) {
                        throw new IllegalStateException("boom at " + i);
                    }
                    return i;
                })
                .keyBy(i -> i % 10)
                .reduce(Long::sum)
                .sinkTo(new SinkDescriptor<>("queue", Map.of()), "collect");
        Placement placement = placement("A", "B", "A", "B");

        Map<String, JobClient> started = start(job, "split failure", 4, placement);

        Map<String, JobResult> results = await(started);
        assertThat(results.get("B").status()).isEqualTo(JobStatus.FAILED);
        assertThat(results.get("B").failure()).hasMessageContaining("boom at 4001");
        assertThat(results.get("A").status()).as("A's tasks lose their channels from and to B").isEqualTo(JobStatus.FAILED);
        assertThat(results.get("A").failure()).hasMessageContaining("channel job " + placement.jobId());
    }

    @Test
    void cancellingOneNodesShareEndsTheOtherNodesShare() throws Exception {
        StreamJob job = (env, parameters) -> env
                .fromSource(Sources.generator(Long.MAX_VALUE, i -> i), "numbers")
                .rebalance()
                .map(i -> i + 1)
                .sinkTo(new SinkDescriptor<>("queue", Map.of()), "collect");
        Placement placement = placement("A", "B");
        Map<String, JobClient> started = start(job, "split cancel", 2, placement);
        awaitTrue(() -> delivered.stream().anyMatch(each -> each.node().equals("B")), Duration.ofSeconds(30),
                "records flowing into B's sink");

        started.get("A").cancel();

        Map<String, JobResult> results = await(started);
        assertThat(results.get("A").status()).isEqualTo(JobStatus.CANCELED);
        assertThat(results.get("B").status()).isEqualTo(JobStatus.FAILED);
        assertThat(results.get("B").failure()).hasMessageContaining("channel job " + placement.jobId());
    }

    @Test
    void bothNodesBuildTheSameGraphFromTheSameJob() throws Exception {
        StreamJob job = (env, parameters) -> {
            DataStream<Long> numbers = env.fromSource(Sources.generator(10, i -> i), "numbers");
            DataStream<Long> more = env.fromSource(Sources.generator(10, i -> i), "more").setParallelism(1);
            numbers.union(more).keyBy(i -> i % 3).reduce(Long::sum).rescale().map(i -> i).setParallelism(2)
                    .sinkTo(new SinkDescriptor<>("queue", Map.of()), "collect");
            numbers.broadcast().filter(i -> i > 2).sinkTo(new SinkDescriptor<>("queue", Map.of()), "odd");
        };
        List<String> shapes = new ArrayList<>();
        for (String node : List.of("A", "B")) {
            LocalStreamEnvironment env = new LocalStreamEnvironment(node(node).connectors, 4);
            env.setParallelism(4);
            job.build(env, Map.of());
            shapes.add(shape(env.buildGraph(JOB_PREFIX + "shape")));
        }
        assertThat(shapes.get(1)).isEqualTo(shapes.get(0));
        assertThat(shapes.get(0)).contains("HASH", "RESCALE", "BROADCAST");
    }

    @Test
    void aPlacementThatDoesNotFitTheJobIsRefusedBeforeAnythingRuns() throws Exception {
        StreamJob job = (env, parameters) -> env.fromSource(Sources.generator(10, i -> i), "numbers")
                .sinkTo(new SinkDescriptor<>("queue", Map.of()), "collect");
        Node a = node("A");
        Placement tooFew = placement("A", "B");
        assertThatThrownBy(() -> a.start(job, "split misfit", 3, tooFew))
                .isInstanceOf(JobSubmissionException.class)
                .hasMessageContaining("needs 3 slot(s)")
                .hasMessageContaining("has 2");
        Placement elsewhere = placement("B", "B", "B");
        assertThatThrownBy(() -> a.start(job, "split misfit", 3, elsewhere))
                .isInstanceOf(JobSubmissionException.class)
                .hasMessageContaining("Node 'A' hosts no slot");
        assertThat(clients).isEmpty();
    }

    /** Counts and sums per window, with the window from the context. */
    static final class CountAndSum extends ProcessWindowFunction<Event, WindowResult, String, TimeWindow> {
        @Override
        public void process(String key, Context context, Iterable<Event> events, Collector<WindowResult> out) {
            long count = 0;
            long sum = 0;
            for (Event event : events) {
                count++;
                sum += event.value();
            }
            out.collect(new WindowResult(key, context.window().start(), context.window().end(), count, sum));
        }
    }

    /** Joins orders with their customer's name; orders that come before their customer wait in state. */
    static final class Enrich extends CoProcessFunction<Order, Customer, String> {
        private transient ValueState<String> name;
        private transient ListState<Order> waiting;

        @Override
        public void open(RuntimeContext context) {
            name = context.getState(new ValueStateDescriptor<>("name", String.class));
            waiting = context.getListState(new ListStateDescriptor<>("waiting", Order.class));
        }

        @Override
        public void processElement1(Order order, Context context, Collector<String> out) {
            if (name.value() == null) {
                waiting.add(order);
            } else {
                out.collect("order " + order.id() + " for " + name.value());
            }
        }

        @Override
        public void processElement2(Customer customer, Context context, Collector<String> out) {
            name.update(customer.name());
            for (Order order : waiting.get()) {
                out.collect("order " + order.id() + " for " + customer.name());
            }
            waiting.clear();
        }
    }

    /** Event time = the record's time; a watermark just below it after each record, so nothing is late. */
    private static WatermarkStrategy<Event> watermarkPerRecord() {
        return new WatermarkStrategy<Event>(() -> new WatermarkGenerator<>() {
            @Override
            public void onEvent(Event event, long timestamp, WatermarkOutput output) {
                output.emitWatermark(timestamp - 1);
            }

            @Override
            public void onPeriodicEmit(WatermarkOutput output) {}
        }, null, null).withTimestampAssigner((event, previous) -> event.time());
    }

    /** One "TaskManager": its data server and client, and connectors whose "queue" sink notes the node. */
    private final class Node implements AutoCloseable {
        final String id;
        final DataServer server;
        final DataClient client;
        final MapConnectorRegistry connectors;

        Node(String id) throws Exception {
            this.id = id;
            this.server = DataServer.start(NetworkConfig.defaults());
            this.client = new DataClient(NetworkConfig.defaults());
            this.connectors = new MapConnectorRegistry().withStateBackend("heap", new io.runnel.state.heap.HeapStateBackendFactory())
                    .withSource("datagen", new DatagenSource())
                    .withSink("queue", new SinkProvider() {
                        @Override
                        public <T> SinkWriter<T> createWriter(SinkDescriptor<T> descriptor, SubtaskInfo subtask) {
                            return record -> delivered.add(new Delivered(id, subtask.subtaskIndex(), record));
                        }
                    });
        }

        /** Builds the job as a TaskManager would, and starts this node's share of it. */
        JobClient start(StreamJob job, String jobName, int parallelism, Placement placement) throws JobSubmissionException {
            LocalStreamEnvironment env = new LocalStreamEnvironment(connectors, placement.slots());
            env.setParallelism(parallelism);
            job.build(env, Map.of());
            JobClient started = env.startPlaced(jobName, placement, id, server, client, getClass().getClassLoader(), null);
            clients.add(started);
            return started;
        }

        @Override
        public void close() {
            client.close();
            server.close();
        }
    }

    private Node node(String id) throws Exception {
        Node node = nodes.get(id);
        if (node == null) {
            node = new Node(id);
            nodes.put(id, node);
        }
        return node;
    }

    /** A placement of a new job over the given nodes, by slot; the nodes are started if need be. */
    private Placement placement(String... slotNodes) throws Exception {
        Map<String, String> addresses = new HashMap<>();
        for (String id : slotNodes) {
            addresses.put(id, "127.0.0.1:" + node(id).server.port());
        }
        return new Placement(JobId.generate().value(), 0, List.of(slotNodes), addresses);
    }

    /**
     * Starts the job on every node of the placement, one after the other, as their TaskManagers
     * would: no node waits for another.
     *
     * @return each node's share, by node id
     */
    private Map<String, JobClient> start(StreamJob job, String jobName, int parallelism, Placement placement)
            throws Exception {
        Map<String, JobClient> started = new TreeMap<>();
        for (String id : new java.util.TreeSet<>(placement.slotNodes())) {
            started.put(id, node(id).start(job, jobName, parallelism, placement));
        }
        return started;
    }

    private List<JobResult> runToEnd(StreamJob job, String jobName, int parallelism, Placement placement) throws Exception {
        return new ArrayList<>(await(start(job, jobName, parallelism, placement)).values());
    }

    /** The results of the nodes' shares, by node; fails if one does not end in time. */
    private static Map<String, JobResult> await(Map<String, JobClient> started) throws Exception {
        CompletableFuture.allOf(started.values().stream().map(JobClient::result).toArray(CompletableFuture[]::new))
                .get(JOB_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        Map<String, JobResult> results = new TreeMap<>();
        started.forEach((node, client) -> results.put(node, client.result().join()));
        return results;
    }

    /** The vertices with their ids, chains, parallelism and input edges, in order. */
    private static String shape(JobGraph graph) {
        StringBuilder shape = new StringBuilder();
        for (JobVertex vertex : graph.vertices()) {
            shape.append(vertex.id()).append(' ').append(vertex.name()).append(" x").append(vertex.parallelism());
            for (JobEdge edge : vertex.inputs()) {
                shape.append(" <-").append(edge.source().id()).append(' ').append(edge.partitioning().kind())
                        .append(" input ").append(edge.input()).append(" side ").append(edge.sideTag());
            }
            shape.append('\n');
        }
        return shape.toString();
    }

    private static List<String> taskThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.isAlive() && thread.getName().startsWith("runnel " + JOB_PREFIX))
                .map(Thread::getName).toList();
    }

    private static void awaitTrue(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Not within " + timeout + ": " + what);
            }
            Thread.sleep(5);
        }
    }
}
