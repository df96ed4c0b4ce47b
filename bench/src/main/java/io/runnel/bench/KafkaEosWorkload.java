package io.runnel.bench;

import io.runnel.api.stream.JobClient;
import io.runnel.api.stream.JobResult;
import io.runnel.api.stream.JobStatus;
import io.runnel.api.stream.StreamEnvironment;
import io.runnel.connectors.kafka.KafkaSink;
import io.runnel.connectors.kafka.KafkaSource;
import io.runnel.connectors.kafka.internal.KafkaSinkProvider;
import io.runnel.connectors.kafka.internal.KafkaSourceProvider;
import io.runnel.kafka.broker.KafkaBroker;
import io.runnel.runtime.internal.execution.LocalStreamEnvironment;
import io.runnel.runtime.internal.execution.MapConnectorRegistry;
import io.runnel.state.heap.HeapStateBackendFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.TopicPartitionInfo;

/**
 * The {@code kafka-eos} workload: a Kafka-to-Kafka exactly-once job on ~1 KB Avro records with 1 s
 * checkpoints, and Kafka's own clients on the same broker in the same run as the ceiling.
 *
 * <ol>
 *   <li>Warm-up (JIT): {@value #WARM_UP_RECORDS} records (fewer if the run has fewer) through the
 *       producer, the consumer, the transactional loop and the job.
 *   <li>Rounds ({@code --rounds}, default 3), each on fresh topics deleted at its end:
 *       <ol>
 *         <li>Producer ceiling: a plain producer writes the N input records (8 partitions), timed.
 *         <li>Consumer ceiling: a plain {@code read_committed} consumer reads them back, timed.
 *         <li>Transactional loop (Runnel engine only): a one-thread consume-transform-produce loop
 *             with Kafka transactions committed every second, timed.
 *         <li>Throughput (Runnel engine only): the job reads the N records (bounded), maps each
 *             (output schema with a processing time) and writes them with the exactly-once sink;
 *             timed from submission until the job ended, when all its output must be committed
 *             (last stable offsets at the end offsets). A {@code read_committed} consumer then
 *             checks that the output holds every id exactly once, or the run fails.
 *       </ol>
 *       Each figure is the median over the rounds: the phases share two cores with each other and
 *       with whatever else runs, and a single phase varies by a third from run to run.
 *   <li>Latency (Runnel engine only): the same job, unbounded, on a fresh topic that a producer
 *       fills at a fixed rate while it runs; a record's latency is the time a {@code read_committed}
 *       consumer first sees it minus the producer timestamp in it. Same exactly-once check.
 * </ol>
 *
 * Uses the broker on 127.0.0.1:9092 if one answers ({@code ./runnel kafka-dev}), else starts its own
 * on a free loopback port and stops it at the end. Its topics are deleted at the end either way.
 */
final class KafkaEosWorkload {

    static final String DEV_BROKER = "127.0.0.1:9092";
    static final int PARTITIONS = 8;
    static final long WARM_UP_RECORDS = 100_000;
    /** Latency-phase records sent (and waited for) before the paced ones, so start-up is not measured. */
    static final int LATENCY_WARM_UP = 1_000;

    /** What the run is asked to do. {@code rate} 0 means half the measured job throughput. */
    record Options(long events, int parallelism, boolean runnel, int rate, int latencySeconds, int rounds) {}

    private final Options options;
    private final String bootstrapServers;
    private final KafkaClientsBench kafka;
    private final String run = "runnel-bench-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<String> topics = new ArrayList<>();
    private final Path checkpoints;

    private KafkaEosWorkload(Options options, String bootstrapServers) throws Exception {
        this.options = options;
        this.bootstrapServers = bootstrapServers;
        this.kafka = new KafkaClientsBench(bootstrapServers);
        this.checkpoints = Files.createTempDirectory("runnel-bench-kafka-checkpoints");
    }

    /** Runs the workload and returns its RESULT line; a failed check throws with what was wrong. */
    static String run(Options options) throws Exception {
        KafkaBroker own = null;
        String bootstrap = DEV_BROKER;
        if (!KafkaBroker.answers(DEV_BROKER, Duration.ofSeconds(3))) {
            own = KafkaBroker.builder().heap("1g").longRunning().start();
            bootstrap = own.bootstrapServers();
        }
        System.err.println("bench: Kafka broker " + bootstrap + (own == null ? " (already running)" : " (started for this run)"));
        KafkaEosWorkload workload = new KafkaEosWorkload(options, bootstrap);
        try {
            return workload.measure();
        } finally {
            workload.cleanUp();
            if (own != null) {
                own.close();
            }
        }
    }

    private String measure() throws Exception {
        long events = options.events();
        long warmUp = Math.min(events, WARM_UP_RECORDS);
        List<String> roles = new ArrayList<>(List.of("warm-in", "warm-loop-out", "warm-out", "live-in", "live-out"));
        for (int round = 1; round <= options.rounds(); round++) {
            roles.addAll(List.of("in-" + round, "loop-out-" + round, "out-" + round));
        }
        createTopics(roles);
        String warmInput = topic("warm-in");
        kafka.produce(warmInput, 0, warmUp);
        kafka.consume(warmInput, warmUp, timeoutFor(warmUp));
        if (options.runnel()) {
            kafka.transactionalLoop(warmInput, topic("warm-loop-out"), loopGroup(), warmUp, timeoutFor(warmUp));
            runJob(warmInput, topic("warm-out"), (int) warmUp);
        }

        List<Double> producer = new ArrayList<>();
        List<Double> consumer = new ArrayList<>();
        List<Double> loop = new ArrayList<>();
        List<Double> job = new ArrayList<>();
        for (int round = 1; round <= options.rounds(); round++) {
            String input = topic("in-" + round);
            producer.add(phase("producer", round, events, kafka.produce(input, 0, events)));
            consumer.add(phase("consumer", round, events, kafka.consume(input, events, timeoutFor(events))));
            if (options.runnel()) {
                loop.add(phase("transactional loop", round, events, kafka.transactionalLoop(input, topic("loop-out-" + round),
                        loopGroup(), events, timeoutFor(events))));
                job.add(phase("runnel job", round, events, runJob(input, topic("out-" + round), (int) events)));
            }
            deleteTopics(List.of(topic("in-" + round), topic("loop-out-" + round), topic("out-" + round)));
        }
        double producerPerSec = median(producer);
        double consumerPerSec = median(consumer);
        double ceiling = Math.min(producerPerSec, consumerPerSec);
        String ceilingFigures = String.format(Locale.ROOT, " rounds=%d producer_per_sec=%.0f consumer_per_sec=%.0f",
                options.rounds(), producerPerSec, consumerPerSec);
        if (!options.runnel()) {
            return String.format(Locale.ROOT, "RESULT workload=kafka-eos-baseline events=%d parallelism=1 seconds=%.3f "
                    + "events_per_sec=%.0f%s", events, events / ceiling, ceiling, ceilingFigures);
        }
        double loopPerSec = median(loop);
        double jobPerSec = median(job);

        int rate = options.rate() > 0 ? options.rate() : (int) Math.max(1_000, Math.round(jobPerSec / 2 / 1_000) * 1_000);
        Percentiles latency = latencyPhase(rate, options.latencySeconds());
        return String.format(Locale.ROOT, "RESULT workload=kafka-eos events=%d parallelism=%d seconds=%.3f events_per_sec=%.0f "
                + "latency_p50_ms=%d latency_p99_ms=%d latency_rate=%d latency_records=%d%s ceiling_per_sec=%.0f "
                + "ratio_to_ceiling=%.2f transactional_loop_per_sec=%.0f ratio_to_loop=%.2f job_rounds=%s producer_rounds=%s",
                events, options.parallelism(), events / jobPerSec, jobPerSec, latency.at(0.50), latency.at(0.99), rate,
                latency.count(), ceilingFigures, ceiling, jobPerSec / ceiling, loopPerSec, jobPerSec / loopPerSec,
                rates(job), rates(producer));
    }

    /** The median of {@code values} (the mean of the middle two for an even count). */
    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    /** Rates as a comma-separated list of whole records/s, in the order measured. */
    private static String rates(List<Double> values) {
        return String.join(",", values.stream().map(v -> String.valueOf(Math.round(v))).toList());
    }

    /**
     * Runs the job from {@code input} to {@code output} until it ends (bounded: up to the input's end
     * offsets). A task ends only after the checkpoint taken after its input ended has completed and
     * its sink has committed, so at the job's end all output is visible; this is checked against the
     * broker's last stable offsets before a {@code read_committed} reader checks every id. The reader
     * runs after the job, not beside it, so its fetching does not take the job's CPU.
     *
     * @return nanoseconds from submission until the job ended
     */
    private long runJob(String input, String output, int expected) throws Exception {
        long start = System.nanoTime();
        JobClient job = submit(input, output, true);
        Duration timeout = timeoutFor(expected);
        JobResult result;
        try {
            result = job.result().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            job.cancel();
            throw new IllegalStateException("CHECK FAILED: the job did not end within " + timeout + " (status "
                    + job.status() + ")");
        }
        long nanos = System.nanoTime() - start;
        if (result.status() != JobStatus.FINISHED) {
            throw new IllegalStateException("the job ended " + result.status() + ": " + result);
        }
        String open = openTransactions(output);
        if (open != null) {
            throw new IllegalStateException("CHECK FAILED: when the job ended, not all of its output was committed: " + open);
        }
        try (CommittedReader reader = new CommittedReader(bootstrapServers, output, expected, expected)) {
            reader.start();
            if (!reader.awaitAll(Duration.ofSeconds(120))) {
                throw new IllegalStateException("CHECK FAILED: only " + reader.distinct() + " of " + expected
                        + " records are visible in '" + output + "' after the job ended");
            }
            reader.finish(Duration.ofSeconds(60));
            check(reader);
        }
        return nanos;
    }

    /**
     * Compares each partition's last stable offset (what {@code read_committed} readers may see) with
     * its end offset. @return the partitions where they differ, or null if none
     */
    private String openTransactions(String topic) throws Exception {
        Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
        for (int p = 0; p < PARTITIONS; p++) {
            partitions.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        try (Admin admin = admin()) {
            var committed = admin.listOffsets(partitions, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                    .get(60, TimeUnit.SECONDS);
            var written = admin.listOffsets(partitions, new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED)).all()
                    .get(60, TimeUnit.SECONDS);
            StringBuilder open = new StringBuilder();
            for (TopicPartition partition : partitions.keySet()) {
                long stable = committed.get(partition).offset();
                long end = written.get(partition).offset();
                if (stable != end) {
                    open.append(partition).append(" last stable offset ").append(stable).append(" < end offset ")
                            .append(end).append("; ");
                }
            }
            return open.isEmpty() ? null : open.toString();
        }
    }

    /** Produces at {@code rate} while the job runs. @return the latencies of the paced records */
    private Percentiles latencyPhase(int rate, int seconds) throws Exception {
        String input = topic("live-in");
        String output = topic("live-out");
        int paced = rate * seconds;
        int expected = LATENCY_WARM_UP + paced;
        try (CommittedReader reader = new CommittedReader(bootstrapServers, output, expected, LATENCY_WARM_UP)) {
            reader.start();
            JobClient job = submit(input, output, false);
            try {
                kafka.produce(input, 0, LATENCY_WARM_UP);
                if (!reader.awaitDistinct(LATENCY_WARM_UP, Duration.ofSeconds(120))) {
                    throw new IllegalStateException("the latency job did not make " + LATENCY_WARM_UP + " warm-up records "
                            + "visible within 120 s (" + reader.distinct() + " seen); job status " + job.status());
                }
                kafka.producePaced(input, LATENCY_WARM_UP, paced, rate);
                if (!reader.awaitAll(Duration.ofSeconds(60))) {
                    throw new IllegalStateException("the latency job made " + reader.distinct() + " of " + expected
                            + " records visible within 60 s of the last send; job status " + job.status());
                }
            } finally {
                job.cancel();
                job.result().get(60, TimeUnit.SECONDS);
            }
            reader.finish(Duration.ofSeconds(60));
            check(reader);
            phase("latency", paced, rate);
            return reader.latencies();
        }
    }

    private JobClient submit(String input, String output, boolean bounded) throws Exception {
        MapConnectorRegistry connectors = new MapConnectorRegistry().withStateBackend("heap", new HeapStateBackendFactory())
                .withSource("kafka", new KafkaSourceProvider()).withSink("kafka", new KafkaSinkProvider());
        LocalStreamEnvironment local = new LocalStreamEnvironment(connectors, options.parallelism());
        StreamEnvironment env = local.setParallelism(options.parallelism());
        env.enableCheckpointing(Duration.ofSeconds(1));
        env.getCheckpointConfig().setDirectory(checkpoints.resolve(output).toString());
        KafkaSource<GenericRecord> source = KafkaSource.values(BenchRecords.inputReader()).bootstrapServers(bootstrapServers)
                .topics(input).startFromEarliest();
        if (bounded) {
            source = source.bounded();
        }
        // The sink's own producer settings (no properties.*): the ceiling's producers use the same.
        KafkaSink<GenericRecord> sink = KafkaSink.values(BenchRecords.outputWriter()).bootstrapServers(bootstrapServers)
                .topic(output).exactlyOnce(output).transactionTimeout(Duration.ofMinutes(2));
        env.fromSource(source.build(), "input")
                .map(record -> BenchRecords.processed(record, System.currentTimeMillis())).name("stamp")
                .sinkTo(sink.build(), "output");
        return env.executeAsync("kafka-eos " + output);
    }

    private static void check(CommittedReader reader) {
        String problems = reader.problems();
        if (problems != null) {
            throw new IllegalStateException("CHECK FAILED: " + problems);
        }
    }

    /**
     * Creates the run's topics, {@value #PARTITIONS} partitions each, all at the start, and waits until
     * the leader of every partition answers a ListOffsets request: an idempotent producer writing to
     * a topic created a moment before met NOT_LEADER_OR_FOLLOWER and, once, went on to retry
     * OUT_OF_ORDER_SEQUENCE_NUMBER until its delivery timeout.
     */
    private void createTopics(List<String> roles) throws Exception {
        List<NewTopic> created = new ArrayList<>();
        for (String role : roles) {
            created.add(new NewTopic(topic(role), PARTITIONS, (short) 1));
        }
        try (Admin admin = admin()) {
            admin.createTopics(created).all().get(60, TimeUnit.SECONDS);
            topics.addAll(created.stream().map(NewTopic::name).toList());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!allLed(admin)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the topics " + topics + " have partitions without a leader after 60 s");
                }
                Thread.sleep(100);
            }
        }
    }

    private boolean allLed(Admin admin) throws Exception {
        Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
        for (TopicDescription topic : admin.describeTopics(topics).allTopicNames().get(60, TimeUnit.SECONDS).values()) {
            if (topic.partitions().size() < PARTITIONS || topic.partitions().stream().anyMatch(p -> p.leader() == null)) {
                return false;
            }
            for (TopicPartitionInfo partition : topic.partitions()) {
                partitions.put(new TopicPartition(topic.name(), partition.partition()), OffsetSpec.latest());
            }
        }
        try {
            admin.listOffsets(partitions).all().get(10, TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException | TimeoutException notYet) {
            return false;
        }
    }

    /** The consumer group of the transactional loop, whose offsets its transactions commit. */
    private String loopGroup() {
        return run + "-loop";
    }

    /** The name of this run's topic for {@code role}. */
    private String topic(String role) {
        return run + "-" + role;
    }

    /** Deletes a finished round's topics, so that every round starts with a broker holding the same data. */
    private void deleteTopics(List<String> names) throws Exception {
        try (Admin admin = admin()) {
            admin.deleteTopics(names).all().get(60, TimeUnit.SECONDS);
        }
        topics.removeAll(names);
    }

    private void cleanUp() {
        try (Admin admin = admin()) {
            try {
                admin.deleteTopics(topics).all().get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                System.err.println("bench: could not delete the topics " + topics + ": " + e);
            }
            try {
                admin.deleteConsumerGroups(List.of(loopGroup())).all().get(60, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof GroupIdNotFoundException)) {
                    System.err.println("bench: could not delete the consumer group " + loopGroup() + ": " + e.getCause());
                }
            }
        } catch (Exception e) {
            System.err.println("bench: could not clean up on the broker: " + e);
        }
        try (var paths = Files.walk(checkpoints)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (Exception e) {
            System.err.println("bench: could not delete " + checkpoints + ": " + e);
        }
    }

    private Admin admin() {
        Properties config = new Properties();
        config.put("bootstrap.servers", bootstrapServers);
        return Admin.create(config);
    }

    /** Generous: at least two minutes, plus a millisecond per record (1,000 records/s). */
    private static Duration timeoutFor(long records) {
        return Duration.ofSeconds(120).plusMillis(records);
    }

    private static double perSecond(long records, long nanos) {
        return records / (nanos / 1e9);
    }

    /** Prints one phase's rate. @return records per second */
    private static double phase(String what, int round, long records, long nanos) {
        double perSecond = perSecond(records, nanos);
        System.err.printf(Locale.ROOT, "bench: round %d: %s: %d records, %.0f records/s%n", round, what, records, perSecond);
        return perSecond;
    }

    private static void phase(String what, long records, double perSecond) {
        System.err.printf(Locale.ROOT, "bench: %s: %d records, %.0f records/s%n", what, records, perSecond);
    }
}
