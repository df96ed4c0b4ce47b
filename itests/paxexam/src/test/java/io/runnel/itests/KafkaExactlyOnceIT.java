package io.runnel.itests;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.kafka.broker.KafkaBroker;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The proof of exactly-once with real processes: 1,000,000 keyed records in an 8-partition topic
 * of a real broker, the {@code kafka-counts} example job (Kafka source, running count per key,
 * exactly-once Kafka sink) at parallelism 2 with checkpoints every 500 ms, and nodes killed with
 * SIGKILL at random moments while it runs. A {@code read_committed} reader of the output must see
 * every key's running counts 1..N once each: a lost record would leave a gap, a record counted or
 * written twice a repeat.
 *
 * <p>The moments are fractions of the output, drawn from a seed that each test prints (set
 * {@code -Drunnel.it.eos.seed=S} to repeat a run); each kill waits until the output grew since the
 * previous one, so the job recovered in between. Every wait is bounded; every process and the
 * broker are stopped after each test.
 */
class KafkaExactlyOnceIT {

    private static final int RECORDS = 1_000_000;
    private static final int KEYS = 1000;
    private static final int PARTITIONS = 8;
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration PROGRESS = Duration.ofSeconds(120);
    private static final Duration FINISH = Duration.ofSeconds(240);
    private static final String FAST_DETECTION = "cluster.heartbeat.timeout=4000";

    /** Records written per second: the input takes about 40 s, so that the kills fall while it arrives. */
    private static final int RATE = Integer.getInteger("runnel.it.eos.rate", 25_000);
    private static final Map<String, Long> EXPECTED = KeyedInput.countsPerKey(RECORDS, KEYS);

    static {
        // The test's own Kafka clients log their whole configuration at INFO: keep the output readable.
        if (System.getProperty("org.slf4j.simpleLogger.log.org.apache.kafka") == null) {
            System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "warn");
        }
    }

    private final List<NodeProcess> processes = new ArrayList<>();
    private KafkaBroker broker;
    private KeyedInput input;
    private CountsReader reader;

    @AfterEach
    void stop() throws Exception {
        if (input != null) {
            input.close();
        }
        if (reader != null) {
            reader.close();
        }
        for (NodeProcess process : processes) {
            process.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void everyCountOnceWhileTaskManagersAndTheLeaderJobManagerAreKilled() throws Exception {
        Random random = seeded("cluster");
        startBroker();
        Path work = workDirectory("eos-cluster-");
        String clusterName = "it-eos-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        int leaderPort = freePort();
        List<String> command = new ArrayList<>(List.of("run", "kafka-counts", "--parallelism", "2"));
        command.addAll(jobOptions(work));
        command.addAll(List.of("--role", "jobmanager", "--port", Integer.toString(leaderPort), "--cluster-name", clusterName,
                "--node-id", "jm-1", "-D", "high-availability.storage-dir=" + work.resolve("ha"), "-D", FAST_DETECTION));
        NodeProcess leader = started(NodeProcess.command("jm-1", work, command.toArray(new String[0])));
        leader.awaitLine("jm-1 leading", l -> l.contains("JobManager on node jm-1 leads the cluster"), START);
        int standbyPort = freePort();
        // Nodes started later join through either JobManager: the leader's address is gone after its kill.
        String members = "127.0.0.1:" + leaderPort + ",127.0.0.1:" + standbyPort;
        NodeProcess standby = started(NodeProcess.start("jm-2", work, "--role", "jobmanager", "--port",
                Integer.toString(standbyPort), "--join", "127.0.0.1:" + leaderPort, "--cluster-name", clusterName,
                "--node-id", "jm-2", "-D", "high-availability.storage-dir=" + work.resolve("ha"), "-D", FAST_DETECTION));
        standby.awaitLine("jm-2 standing by", l -> l.contains("JobManager on node jm-2 stands by"), START);
        // One slot each: the job at parallelism 2 always has a subtask on both, so every kill hits it.
        List<NodeProcess> taskManagers = new ArrayList<>();
        for (int i = 1; i <= 2; i++) {
            taskManagers.add(taskManager(work, "tm-" + i, clusterName, members));
        }
        leader.awaitLine("the job deployed", l -> l.contains("attempt 0 deploys to"), START);
        startInputAndOutput();

        List<String> kills = new ArrayList<>(List.of("taskmanager", "taskmanager", "taskmanager", "jobmanager"));
        Collections.shuffle(kills, random);
        List<Long> moments = moments(random, kills.size());
        List<String> done = new ArrayList<>();
        int nextTaskManager = 3;
        long previous = 0;
        for (int i = 0; i < kills.size(); i++) {
            previous = awaitMoment(moments.get(i), previous);
            String when = " with " + input.written() + " input and " + previous + " output records";
            if (kills.get(i).equals("jobmanager")) {
                leader.kill();
                done.add("leader JobManager jm-1" + when);
                standby.awaitLine("jm-2 taking over", l -> l.contains("JobManager on node jm-2 took over with epoch"), START);
            } else {
                NodeProcess victim = taskManagers.remove(random.nextInt(taskManagers.size()));
                victim.kill();
                done.add("TaskManager " + victim.name() + when);
                taskManagers.add(taskManager(work, "tm-" + nextTaskManager++, clusterName, members));
            }
            System.out.println("KafkaExactlyOnceIT: killed " + done.get(done.size() - 1));
        }

        input.awaitDone(PROGRESS.toMillis());
        reader.awaitComplete(FINISH, Duration.ofSeconds(2));
        assertExactlyOnce("cluster (JobManager + standby + 2 TaskManagers)", done);
    }

    @Test
    void everyCountOnceWhenAnAllInOneNodeIsKilledAndStartedAgainTwice() throws Exception {
        Random random = seeded("all-in-one");
        startBroker();
        Path work = workDirectory("eos-solo-");
        List<String> command = new ArrayList<>(List.of("run", "kafka-counts", "--parallelism", "2"));
        command.addAll(jobOptions(work));
        command.addAll(List.of("--role", "both", "--slots", "2", "--data", work.resolve("data").toString(),
                "--node-id", "solo"));
        String[] arguments = command.toArray(new String[0]);

        NodeProcess node = started(NodeProcess.command("solo-1", work, arguments));
        node.awaitLine("the job running", l -> l.contains("Job 'kafka-counts'") && l.contains("runs at parallelism 2"), START);
        startInputAndOutput();
        List<Long> moments = moments(random, 2);
        List<String> done = new ArrayList<>();
        long previous = 0;
        for (int i = 0; i < moments.size(); i++) {
            previous = awaitMoment(moments.get(i), previous);
            String when = " with " + input.written() + " input and " + previous + " output records";
            node.kill();
            done.add("all-in-one node " + node.name() + when);
            System.out.println("KafkaExactlyOnceIT: killed " + done.get(done.size() - 1));
            node = started(NodeProcess.command("solo-" + (i + 2), work, arguments));
            node.awaitLine("the job resumed", l -> l.contains("resumed job 'kafka-counts'"), START);
        }

        input.awaitDone(PROGRESS.toMillis());
        reader.awaitComplete(FINISH, Duration.ofSeconds(2));
        assertExactlyOnce("all-in-one node", done);
    }

    @Test
    void everyCountOnceWhenTheJobIsStoppedWithASavepointAtParallelismTwoAndResumedAtOne() throws Exception {
        Random random = seeded("savepoint");
        startBroker();
        Path work = workDirectory("eos-savepoint-");
        NodeProcess node = started(NodeProcess.startWithShell("node", work, "--role", "both", "--slots", "2",
                "--port", Integer.toString(freePort()), "--cluster-name", "it-eos-sp-" + ProcessHandle.current().pid()
                        + "-" + System.nanoTime(), "--node-id", "node"));
        node.awaitLine("the node's slots", l -> l.contains("TaskManager on node node offers 2 task slot(s)"), START);
        node.awaitLine("the node leading", l -> l.contains("JobManager on node node leads the cluster"), START);
        String options = String.join(" ", shellOptions(work));

        node.shell("runnel:run kafka-counts 2 " + options);
        String first = jobId(node.awaitLine("the job started", l -> l.contains("started job "), START));
        startInputAndOutput();
        long moment = (long) (RECORDS * (0.2 + 0.5 * random.nextDouble()));
        long output = awaitMoment(moment, 0);
        String when = "with " + input.written() + " input and " + output + " output records";
        node.shell("runnel:stop " + first + " " + work.resolve("savepoints"));
        String stopped = node.awaitLine("the job stopped with a savepoint",
                l -> l.contains("job " + first + " stopped with savepoint "), START);
        String savepoint = stopped.substring(stopped.indexOf("stopped with savepoint ") + "stopped with savepoint ".length()).trim();
        System.out.println("KafkaExactlyOnceIT: stopped the job at parallelism 2 " + when + " with savepoint " + savepoint);

        node.shell("runnel:run kafka-counts 1 " + options + " execution.savepoint.path=" + savepoint);
        String second = jobId(node.awaitLine("the job resumed",
                l -> l.contains("started job ") && !l.contains("started job " + first), START));
        assertThat(second).isNotEqualTo(first);

        input.awaitDone(PROGRESS.toMillis());
        reader.awaitComplete(FINISH, Duration.ofSeconds(2));
        assertExactlyOnce("savepoint downscale 2 -> 1", List.of("stop with savepoint at parallelism 2 " + when
                + ", resumed at parallelism 1"));
    }

    private static String jobId(String startedLine) {
        String rest = startedLine.substring(startedLine.indexOf("started job ") + "started job ".length()).trim();
        return rest.split("\\s+")[0];
    }

    /** The job's options as {@code runnel:run} takes them (KEY=VALUE). */
    private List<String> shellOptions(Path work) {
        List<String> options = new ArrayList<>();
        List<String> flags = jobOptions(work);
        for (int i = 1; i < flags.size(); i += 2) {
            options.add(flags.get(i));
        }
        return options;
    }

    /**
     * The job's options: its topics, checkpoints every 500 ms into {@code work}, and a restart
     * strategy a user would set (10 attempts, 1 s apart). Waiting for a replacement TaskManager's
     * slots is no restart attempt (slot.request.timeout), so 10 are plenty for four kills.
     */
    private List<String> jobOptions(Path work) {
        return List.of("-p", "bootstrap=" + broker.bootstrapServers(), "-p", "input=records", "-p", "output=counts",
                "-p", "transaction-timeout=5min",
                "-p", "execution.checkpointing.interval=500ms",
                "-p", "state.checkpoints.dir=" + work.resolve("checkpoints"),
                "-p", "restart-strategy.type=fixed-delay", "-p", "restart-strategy.fixed-delay.attempts=10",
                "-p", "restart-strategy.fixed-delay.delay=1s");
    }

    private NodeProcess taskManager(Path work, String name, String clusterName, String members) throws IOException {
        return started(NodeProcess.start(name, work, "--role", "taskmanager", "--port", Integer.toString(freePort()),
                "--join", members, "--cluster-name", clusterName, "--node-id", name, "--slots", "1",
                "-D", FAST_DETECTION));
    }

    private NodeProcess started(NodeProcess process) {
        processes.add(process);
        return process;
    }

    /** {@code count} moments, in input records written, between 5 % and 80 % of the input, ascending. */
    private static List<Long> moments(Random random, int count) {
        List<Long> moments = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            moments.add((long) (RECORDS * (0.05 + 0.75 * random.nextDouble())));
        }
        Collections.sort(moments);
        return moments;
    }

    private static Random seeded(String test) {
        long seed = Long.getLong("runnel.it.eos.seed", System.nanoTime());
        System.out.println("KafkaExactlyOnceIT " + test + ": seed " + seed + " (repeat with -Drunnel.it.eos.seed=" + seed + ")");
        return new Random(seed);
    }

    /** Starts the broker and creates the input and output topics, 8 partitions each. */
    private void startBroker() throws Exception {
        broker = KafkaBroker.builder().start();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic("records", PARTITIONS, (short) 1), new NewTopic("counts", PARTITIONS, (short) 1)))
                    .all().get(30, TimeUnit.SECONDS);
        }
    }

    /** Starts writing the input while the job runs, and reading its output. */
    private void startInputAndOutput() {
        input = KeyedInput.start(broker.bootstrapServers(), "records", RECORDS, KEYS, RATE);
        reader = new CountsReader(broker.bootstrapServers(), "counts", EXPECTED);
    }

    /**
     * Waits until the input has {@code moment} records and the output grew since {@code outputBefore}
     * (the job recovered from the previous kill), both bounded.
     */
    private long awaitMoment(long moment, long outputBefore) throws InterruptedException {
        long deadline = System.nanoTime() + PROGRESS.toNanos();
        while (input.written() < moment) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the input did not reach " + moment + " records within " + PROGRESS.toSeconds() + " s");
            }
            Thread.sleep(50);
        }
        reader.awaitRecords(outputBefore + 1, PROGRESS);
        return reader.records();
    }

    private void assertExactlyOnce(String setUp, List<String> kills) throws InterruptedException {
        Map<String, Long> expected = EXPECTED;
        CountsReader.Result result = reader.stop();
        long missing = 0;
        for (Map.Entry<String, Long> key : expected.entrySet()) {
            missing += key.getValue() - Math.min(key.getValue(), result.highest().getOrDefault(key.getKey(), 0L));
        }
        long gapCount = result.gaps().values().stream().mapToLong(List::size).sum();
        System.out.println("KafkaExactlyOnceIT " + setUp + ": " + RECORDS + " input records of " + expected.size()
                + " keys; read_committed output " + result.records() + " records of " + result.highest().size()
                + " keys; duplicates " + result.duplicates() + "; gaps " + gapCount + "; missing at the end " + missing
                + "; kills: " + kills);
        assertThat(result.repeated()).as("counts seen more than once, by key").isEmpty();
        assertThat(result.gaps()).as("counts missing below a key's highest, by key (first 10)").isEmpty();
        assertThat(result.highest()).as("every key's highest count is its number of input records").isEqualTo(expected);
        assertThat(result.records()).as("one output record per input record").isEqualTo(RECORDS);
    }

    private static Path workDirectory(String prefix) throws IOException {
        return Files.createTempDirectory(Files.createDirectories(
                Path.of(System.getProperty("runnel.itests.work", "target/it-work")).toAbsolutePath()), prefix);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }
}
