package io.runnel.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code ./runnel run demo} as a user runs it: a node process of its own runs the clickstream job in
 * its task slots and exits 0 when the job finishes. What it prints and writes is compared with the
 * same computation done plainly here.
 */
class RunJobIT {

    private static final int EVENTS = 5000;
    private final List<NodeProcess> processes = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        for (NodeProcess process : processes) {
            process.close();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void theDemoJobRunsInTheNodeAndItsResultsAreRight(int parallelism) throws Exception {
        Path work = Files.createTempDirectory(Files.createDirectories(
                Path.of(System.getProperty("runnel.itests.work", "target/it-work")).toAbsolutePath()), "run-");
        Path output = work.resolve("sessions");
        NodeProcess run = NodeProcess.command("demo-p" + parallelism, work, "run", "demo",
                "--parallelism", Integer.toString(parallelism), "--slots", "4",
                "-p", "events=" + EVENTS, "-p", "output=" + output);
        processes.add(run);
        assertThat(run.awaitExit(Duration.ofSeconds(120))).as(run.output()).isZero();
        assertThat(run.output()).contains("runnel: job 'clickstream' finished");

        DemoResults expected = new DemoResults(EVENTS);
        List<String> printedWindows = DemoResults.printedWindows(run.output());
        assertThat(printedWindows).hasSize(expected.tumbling.size());
        assertThat(printedWindows.stream().mapToLong(DemoResults::lastNumber).sum()).isEqualTo(expected.totalClicks());
        assertThat(DemoResults.writtenSessions(output)).isEqualTo(expected.sessions);
    }

    @org.junit.jupiter.api.Test
    void aUsersJobBundleRunsFromItsJar() throws Exception {
        Path work = Files.createTempDirectory(Files.createDirectories(
                Path.of(System.getProperty("runnel.itests.work", "target/it-work")).toAbsolutePath()), "run-jar-");
        Path jar = Path.of(System.getProperty("runnel.samplejob.jar")).toAbsolutePath();
        assertThat(jar).as("the sample job bundle is built before the integration tests").exists();
        Path output = work.resolve("counts");
        NodeProcess run = NodeProcess.command("wordcount", work, "run", jar.toString(), "--job", "wordcount",
                "-p", "text=to be or not to be", "-p", "output=" + output);
        processes.add(run);
        assertThat(run.awaitExit(Duration.ofSeconds(120))).as(run.output()).isZero();
        List<String> lines = DemoResults.committedLines(output);
        // A running reduce emits every update: the last line per word holds its count.
        Map<String, Long> finalCounts = new TreeMap<>();
        for (String line : lines) {
            String[] parts = line.split(" ");
            finalCounts.merge(parts[0], Long.parseLong(parts[1]), Math::max);
        }
        assertThat(finalCounts).isEqualTo(Map.of("to", 2L, "be", 2L, "or", 1L, "not", 1L));
    }

    @org.junit.jupiter.api.Test
    void anUnknownJobNameIsExplainedWithTheDeployedOnes() throws Exception {
        Path work = Files.createTempDirectory(Files.createDirectories(
                Path.of(System.getProperty("runnel.itests.work", "target/it-work")).toAbsolutePath()), "run-missing-");
        NodeProcess run = NodeProcess.command("missing", work, "run", "nosuch");
        processes.add(run);
        assertThat(run.awaitExit(Duration.ofSeconds(120))).isEqualTo(1);
        assertThat(run.output()).contains("job 'nosuch' did not start within").contains("jobs deployed: [clickstream, kafka-counts, keycount]");
    }
}
