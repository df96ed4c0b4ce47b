package io.runnel.examples.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.api.stream.SinkDescriptor;
import io.runnel.connectors.basic.internal.DatagenSource;
import io.runnel.connectors.basic.internal.FileSink;
import io.runnel.runtime.internal.execution.LocalStreamEnvironment;
import io.runnel.runtime.internal.execution.MapConnectorRegistry;
import io.runnel.spi.connector.SinkProvider;
import io.runnel.spi.connector.SinkWriter;
import io.runnel.spi.connector.SubtaskInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The demo job's results equal a plain computation over the same click log, at any parallelism. */
class ClickstreamJobTest {

    private static final long EVENTS = 20_000;

    @TempDir
    Path output;

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void windowsAndSessionsMatchAPlainComputation(int parallelism) throws Exception {
        Queue<Object> printed = new ConcurrentLinkedQueue<>();
        MapConnectorRegistry connectors = new MapConnectorRegistry().withStateBackend("heap", new io.runnel.state.heap.HeapStateBackendFactory())
                .withSource("datagen", new DatagenSource())
                .withSink("print", new CollectingPrint(printed))
                .withSink("file", new FileSink());
        LocalStreamEnvironment env = new LocalStreamEnvironment(connectors, 4);
        env.setParallelism(parallelism);
        new ClickstreamJob().build(env, Map.of("events", Long.toString(EVENTS), "output", output.toString()));
        env.execute("clickstream");

        Set<UserActivity> expected = expected();
        Set<UserActivity> actual = new HashSet<>();
        for (Object each : printed) {
            assertThat(actual.add((UserActivity) each)).as("each window is printed once: " + each).isTrue();
        }
        assertThat(actual).isEqualTo(expected);

        List<String> fileLines = new ArrayList<>();
        try (Stream<Path> files = Files.list(output)) {
            for (Path file : files.toList()) {
                if (file.getFileName().toString().matches("part-\\d+-\\d+\\.txt")) { // committed part files only
                    fileLines.addAll(Files.readAllLines(file));
                }
            }
        }
        assertThat(fileLines).containsExactlyInAnyOrderElementsOf(
                expected.stream().filter(a -> a.kind().equals("session")).map(UserActivity::toString).toList());
    }

    @Test
    void badParametersAreNamed() {
        LocalStreamEnvironment env = new LocalStreamEnvironment(new MapConnectorRegistry().withStateBackend("heap", new io.runnel.state.heap.HeapStateBackendFactory()), 1);
        assertThatThrownBy(() -> new ClickstreamJob().build(env, Map.of("evnts", "5")))
                .hasMessageContaining("unknown parameter(s) [evnts]").hasMessageContaining("[events, output, rate]");
        assertThatThrownBy(() -> new ClickstreamJob().build(env, Map.of("events", "-3")))
                .hasMessageContaining("'events'").hasMessageContaining("'-3'");
    }

    /** Tumbling 10 s counts and 30 s-gap sessions per user, by plain loops. */
    private static Set<UserActivity> expected() {
        Map<String, List<Long>> timesByUser = new TreeMap<>();
        Map<String, Long> perWindow = new TreeMap<>();
        for (long c = 0; c < EVENTS; c++) {
            Click click = Click.parse(ClickLog.line(c));
            if (click.isBot()) {
                continue;
            }
            timesByUser.computeIfAbsent(click.user(), u -> new ArrayList<>()).add(click.time());
            long start = click.time() / 10_000 * 10_000;
            perWindow.merge(click.user() + "," + start, 1L, Long::sum);
        }
        Set<UserActivity> expected = new HashSet<>();
        perWindow.forEach((userAndStart, count) -> {
            String[] parts = userAndStart.split(",");
            long start = Long.parseLong(parts[1]);
            expected.add(new UserActivity("clicks", parts[0], start, start + 10_000, count));
        });
        long gap = ClickstreamJob.SESSION_GAP.toMillis();
        timesByUser.forEach((user, times) -> {
            times.sort(Long::compare);
            long start = times.get(0);
            long end = start + gap;
            long count = 0;
            for (long time : times) {
                if (time > end) {
                    expected.add(new UserActivity("session", user, start, end, count));
                    start = time;
                    count = 0;
                }
                end = Math.max(end, time + gap);
                count++;
            }
            expected.add(new UserActivity("session", user, start, end, count));
        });
        return expected;
    }

    /** Stands in for the print sink: keeps what would be printed. */
    private record CollectingPrint(Queue<Object> printed) implements SinkProvider {
        @Override
        public <T> SinkWriter<T> createWriter(SinkDescriptor<T> descriptor, SubtaskInfo subtask) {
            return printed::add;
        }
    }
}
