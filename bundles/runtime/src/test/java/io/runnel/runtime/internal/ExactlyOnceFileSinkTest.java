package io.runnel.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.api.functions.MapFunction;
import io.runnel.api.stream.DataStream;
import io.runnel.api.stream.JobClient;
import io.runnel.api.stream.JobResult;
import io.runnel.api.stream.JobStatus;
import io.runnel.api.stream.RestartStrategy;
import io.runnel.api.stream.Sinks;
import io.runnel.api.stream.Sources;
import io.runnel.runtime.internal.execution.LocalStreamEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole jobs with checkpoints every 50 ms whose map fails once, after some output was committed:
 * the job restarts from its latest checkpoint, and the committed part files together hold every
 * expected line exactly once, with no hidden file left over.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ExactlyOnceFileSinkTest {

    @TempDir
    Path temp;

    /**
     * Passes records on as strings, optionally slowed down; from its {@code failFrom}-th record on it
     * throws once, on the first record (checked every 50) at which the output directory holds a
     * committed part file, so the failure comes after a completed checkpoint. Static: every subtask
     * and every restart shares the one planned failure.
     */
    static final class FailOnceAfterACommit<T> implements MapFunction<T, String> {
        static volatile Path output;
        static final AtomicBoolean FAILED = new AtomicBoolean();
        static volatile int committedAtFailure;

        private final long failFrom;
        private final long pauseNanos;
        private long seen;

        FailOnceAfterACommit(long failFrom, long pauseNanos) {
            this.failFrom = failFrom;
            this.pauseNanos = pauseNanos;
        }

        @Override
        public String map(T value) throws IOException {
            if (pauseNanos > 0) {
                LockSupport.parkNanos(pauseNanos);
            }
            seen++;
            if (!FAILED.get() && seen >= failFrom && seen % 50 == 0) {
                int committed = committedFiles(output).size();
                if (committed > 0 && FAILED.compareAndSet(false, true)) {
                    committedAtFailure = committed;
                    throw new IllegalStateException("planned failure at record " + value + " (" + committed
                            + " part file(s) committed)");
                }
            }
            return String.valueOf(value);
        }
    }

    private Path output;

    @BeforeEach
    void plan() {
        output = temp.resolve("out");
        FailOnceAfterACommit.output = output;
        FailOnceAfterACommit.FAILED.set(false);
        FailOnceAfterACommit.committedAtFailure = 0;
    }

    private LocalStreamEnvironment environment(int parallelism) {
        LocalStreamEnvironment env = Jobs.environment(2);
        env.setParallelism(parallelism);
        env.setDefaultCheckpointDirectory(temp.resolve("checkpoints"));
        env.enableCheckpointing(Duration.ofMillis(50));
        env.setRestartStrategy(RestartStrategy.fixedDelay(3, Duration.ofMillis(100)));
        return env;
    }

    @Test
    void rateLimitedDatagenAtParallelismTwo() throws Exception {
        LocalStreamEnvironment env = environment(2);
        env.fromSource(Sources.generator(4000, 2000, index -> index), "numbers")
                .map(new FailOnceAfterACommit<>(600, 0))
                .sinkTo(Sinks.files(output.toString()), "files");

        runAndCheck(env, LongStream.range(0, 4000).mapToObj(Long::toString).toList());
    }

    @Test
    void linesOfTwoFilesAtParallelismTwo() throws Exception {
        Path input = Files.createDirectories(temp.resolve("in"));
        List<String> expected = new ArrayList<>();
        for (int file = 0; file < 2; file++) {
            List<String> lines = new ArrayList<>();
            for (int line = 0; line < 2500; line++) {
                lines.add("file " + file + " line " + line);
            }
            Files.write(input.resolve("in-" + file + ".txt"), lines);
            expected.addAll(lines);
        }
        LocalStreamEnvironment env = environment(2);
        env.fromSource(Sources.lines(input.toString()), "lines")
                .map(new FailOnceAfterACommit<>(800, 200_000))
                .sinkTo(Sinks.files(output.toString()), "files");

        runAndCheck(env, expected);
    }

    @Test
    void aCollectionInOrder() throws Exception {
        List<String> expected = LongStream.range(0, 3000).mapToObj(i -> "element " + i).toList();
        LocalStreamEnvironment env = environment(1);
        DataStream<String> elements = env.fromSource(Sources.collection(expected), "elements");
        elements.map(new FailOnceAfterACommit<>(1000, 300_000))
                .sinkTo(Sinks.files(output.toString()), "files");

        List<String> written = runAndCheck(env, expected);
        assertThat(written).as("one subtask: its files in number order hold the list in order").isEqualTo(expected);
    }

    /** Runs the job to its end and checks the committed output; returns its lines, file by file in number order. */
    private List<String> runAndCheck(LocalStreamEnvironment env, List<String> expected) throws Exception {
        JobClient job = env.executeAsync("exactly-once files");
        JobResult result = job.result().get(60, TimeUnit.SECONDS);

        assertThat(result.status()).as("job result %s", result).isEqualTo(JobStatus.FINISHED);
        assertThat(FailOnceAfterACommit.FAILED).as("the planned failure happened").isTrue();
        assertThat(FailOnceAfterACommit.committedAtFailure).as("output was committed before the failure").isPositive();
        List<String> written = new ArrayList<>();
        for (Path file : committedFiles(output)) {
            written.addAll(Files.readAllLines(file));
        }
        assertThat(written).hasSize(expected.size()).containsExactlyInAnyOrderElementsOf(expected);
        try (Stream<Path> files = Files.list(output)) {
            assertThat(files.map(file -> file.getFileName().toString()).filter(name -> name.startsWith(".")))
                    .as("no in-progress or pending file left").isEmpty();
        }
        return written;
    }

    /** The committed part files, ordered by subtask and then by number. */
    static List<Path> committedFiles(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        Function<Path, long[]> numbers = file -> {
            String[] parts = file.getFileName().toString().replace(".txt", "").split("-");
            return new long[] {Long.parseLong(parts[1]), Long.parseLong(parts[2])};
        };
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.getFileName().toString().matches("part-\\d+-\\d+\\.txt"))
                    .sorted((a, b) -> java.util.Arrays.compare(numbers.apply(a), numbers.apply(b))).toList();
        }
    }
}
