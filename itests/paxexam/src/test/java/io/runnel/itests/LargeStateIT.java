package io.runnel.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Keyed state far larger than the node's heap, in the RocksDB backend: the {@code keycount} example
 * job (a running count per key in value state) runs in a node process with {@code -Xmx512m},
 * completes incremental checkpoints, is killed with SIGKILL, and the node started again on the same
 * data directory resumes it from its latest checkpoint; the committed output is then exactly one line
 * {@code "<key> 2"} per key, so no record was lost or counted twice across the kill.
 *
 * <p>Size: 1 million keys by default (2 million records, slowed so that the kill lands mid-run),
 * which fits the time of an ordinary build on 2 cores. The size, 20 million keys (about 2 GB
 * of state as heap objects), runs with {@code -Drunnel.soak=true}: about 4 minutes on 2 cores.
 */
class LargeStateIT {

    private static final boolean SOAK = Boolean.getBoolean("runnel.soak");
    private static final long KEYS = SOAK ? 20_000_000 : 1_000_000;
    /** Records per second: the default size is slowed to take about 20 s, so the kill comes mid-run. */
    private static final long RATE = SOAK ? 0 : 100_000;
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration RUN = SOAK ? Duration.ofMinutes(30) : Duration.ofMinutes(3);
    private final List<NodeProcess> processes = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        for (NodeProcess process : processes) {
            process.close();
        }
    }

    @Test
    void aKeyedJobWithStateBeyondTheHeapRecoversExactlyAfterSigkill() throws Exception {
        Path work = Files.createTempDirectory(Files.createDirectories(
                Path.of(System.getProperty("runnel.itests.work", "target/it-work")).toAbsolutePath()), "large-state-");
        Path output = work.resolve("counts");
        List<String> command = new ArrayList<>(List.of("run", "keycount", "--parallelism", "2",
                "-p", "keys=" + KEYS, "-p", "repeats=2", "-p", "output=" + output,
                "-p", "state.backend.type=rocksdb", "-p", "execution.checkpointing.interval=1s",
                "--role", "both", "--slots", "2", "--data", work.resolve("data").toString(), "--node-id", "large"));
        if (RATE > 0) {
            command.addAll(List.of("-p", "rate=" + RATE));
        }
        String javaOptions = "-Xmx512m -XX:+UseSerialGC";

        NodeProcess first = NodeProcess.commandWithJavaOptions("large-1", work, javaOptions, command.toArray(new String[0]));
        processes.add(first);
        first.awaitLine("a second completed checkpoint", l -> l.contains("completed checkpoint 2 "), START);
        assertThat(first.isAlive()).as("the node is killed while its job runs").isTrue();
        first.kill();

        NodeProcess again = NodeProcess.commandWithJavaOptions("large-2", work, javaOptions, command.toArray(new String[0]));
        processes.add(again);
        again.awaitLine("the job resumed", l -> l.contains("resumed job 'keycount'"), START);
        assertThat(again.awaitExit(RUN)).as(again.output()).isZero();
        assertThat(again.output()).contains("runnel: job 'keycount' finished")
                .containsPattern("Job 'keycount' resumes from .*chk-\\d+");

        BitSet seen = new BitSet((int) KEYS);
        long lines = 0;
        try (Stream<Path> files = Files.list(output)) {
            for (Path file : files.filter(f -> f.getFileName().toString().matches("part-\\d+-\\d+\\.txt")).toList()) {
                try (BufferedReader reader = Files.newBufferedReader(file)) {
                    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                        lines++;
                        String[] words = line.split(" ");
                        assertThat(words[1]).as("count of key %s (a record lost or counted twice)", words[0]).isEqualTo("2");
                        int key = Integer.parseInt(words[0]);
                        assertThat(seen.get(key)).as("key %s written twice", key).isFalse();
                        seen.set(key);
                    }
                }
            }
        }
        assertThat(lines).as("one line per key").isEqualTo(KEYS);
        assertThat(seen.cardinality()).isEqualTo((int) KEYS);
    }
}
