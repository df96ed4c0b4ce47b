package io.runnel.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.api.functions.Collector;
import io.runnel.api.stream.DataStream;
import io.runnel.api.stream.JobClient;
import io.runnel.api.stream.JobExecutionException;
import io.runnel.api.stream.JobResult;
import io.runnel.api.stream.JobStatus;
import io.runnel.api.stream.SinkDescriptor;
import io.runnel.api.stream.Sources;
import io.runnel.api.stream.StreamEnvironment;
import io.runnel.runtime.internal.execution.LocalStreamEnvironment;
import io.runnel.runtime.internal.execution.MapConnectorRegistry;
import io.runnel.runtime.internal.task.Buffer;
import io.runnel.runtime.internal.task.InputChannel;
import io.runnel.spi.connector.SinkProvider;
import io.runnel.spi.connector.SinkWriter;
import io.runnel.spi.connector.SubtaskInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Whole jobs in this JVM; each result is compared with one computed by a plain loop in the test. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StreamJobsTest {

    /** A word and how often it was seen so far. */
    record WordCount(String word, long count) {}

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void wordCountEndsWithTheTrueCountOfEveryWord(int parallelism) throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            lines.add("w" + (i % 7) + " w" + (i % 13) + " w" + (i * i % 101));
        }
        Map<String, Long> expected = new HashMap<>();
        for (String line : lines) {
            for (String word : line.split(" ")) {
                expected.merge(word, 1L, Long::sum);
            }
        }

        StreamEnvironment env = Jobs.environment(4).setParallelism(parallelism);
        List<WordCount> updates = env.fromCollection(lines)
                .flatMap((String line, Collector<WordCount> out) -> {
                    for (String word : line.split(" ")) {
                        out.collect(new WordCount(word, 1));
                    }
                }).name("split")
                .keyBy(WordCount::word)
                .reduce((a, b) -> new WordCount(a.word(), a.count() + b.count())).name("count")
                .executeAndCollect("word count");

        assertThat(updates).hasSize(lines.size() * 3);
        Map<String, Long> finalCounts = updates.stream()
                .collect(Collectors.toMap(WordCount::word, WordCount::count, Math::max));
        assertThat(finalCounts).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void generatedEventsFlowThroughChainedMapAndFilter(int parallelism) throws Exception {
        long events = 200_000;
        StreamEnvironment env = Jobs.environment(4).setParallelism(parallelism);
        List<Long> out = env.fromSource(Sources.generator(events, i -> i), "events")
                .map(v -> v * 2).name("double")
                .filter(v -> v % 3 != 0).name("drop multiples of 3")
                .executeAndCollect("chain");
        List<Long> expected = LongStream.range(0, events).map(v -> v * 2).filter(v -> v % 3 != 0).boxed().toList();
        assertThat(out.stream().sorted().toList()).isEqualTo(expected);
    }

    @Test
    void parallelismOneKeepsOrder() throws Exception {
        List<Integer> out = Jobs.environment(1).fromElements(5, 3, 9, 1).map(x -> x + 1).executeAndCollect("order");
        assertThat(out).containsExactly(6, 4, 10, 2);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void unionRebalanceAndBroadcastDeliverEveryRecordTheRightNumberOfTimes(int parallelism) throws Exception {
        StreamEnvironment env = Jobs.environment(4).setParallelism(parallelism);
        DataStream<Long> a = env.fromSource(Sources.generator(1000, i -> i), "a");
        DataStream<Long> b = env.fromSource(Sources.generator(500, i -> 1000 + i), "b");
        List<Long> unioned = a.union(b).rebalance().map(x -> x).executeAndCollect("union");
        assertThat(unioned).containsExactlyInAnyOrderElementsOf(LongStream.range(0, 1500).boxed().toList());

        List<Long> broadcast = env.fromSource(Sources.generator(100, i -> i), "c").setParallelism(1)
                .broadcast().map(x -> x).executeAndCollect("broadcast");
        assertThat(broadcast).hasSize(100 * parallelism);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void rescaleDeliversEveryRecordOnce(int consumers) throws Exception {
        StreamEnvironment env = Jobs.environment(4).setParallelism(consumers);
        List<Long> out = env.fromSource(Sources.generator(2000, i -> i), "numbers").setParallelism(2)
                .rescale().map(x -> x).executeAndCollect("rescale");
        assertThat(out.stream().sorted().toList()).isEqualTo(LongStream.range(0, 2000).boxed().toList());
    }

    @Test
    void rescaleGroupsConsumersPerProducer() {
        assertThat(io.runnel.runtime.internal.task.Partitioning.rescaleRange(0, 2, 4)).containsExactly(0, 1);
        assertThat(io.runnel.runtime.internal.task.Partitioning.rescaleRange(1, 2, 4)).containsExactly(2, 3);
        assertThat(io.runnel.runtime.internal.task.Partitioning.rescaleRange(3, 4, 2)).containsExactly(1, 1);
        assertThat(io.runnel.runtime.internal.task.Partitioning.rescaleRange(0, 3, 3)).containsExactly(0, 0);
    }

    @Test
    void aFailingFunctionFailsTheJobNamingTheOperator() throws Exception {
        StreamEnvironment env = Jobs.environment(2).setParallelism(2);
        env.fromSource(Sources.generator(10_000, i -> i), "numbers")
                .map(v -> {
                    if (v == 4242) {
                        throw new IllegalStateException("cannot handle " + v);
                    }
                    return v;
                }).name("explode")
                .print();
        assertThatThrownBy(() -> env.execute("failing"))
                .isInstanceOf(JobExecutionException.class)
                .hasMessageContaining("Job 'failing'")
                .hasMessageContaining("FAILED")
                .hasMessageContaining("Operator 'explode' (1/2)")
                .hasRootCauseMessage("cannot handle 4242");
    }

    @Test
    void submissionErrorsComeBeforeAnythingRuns() {
        LocalStreamEnvironment env = Jobs.environment(2);
        env.setParallelism(3).fromSource(Sources.generator(10, i -> i), "numbers").print();
        assertThatThrownBy(() -> env.executeAsync("too wide"))
                .hasMessageContaining("needs 3 task slots").hasMessageContaining("but 2 are available");

        LocalStreamEnvironment other = Jobs.environment(2);
        other.fromElements(1, 2).sinkTo(new SinkDescriptor<>("nosuch", Map.of()), "out");
        assertThatThrownBy(() -> other.executeAsync("unknown"))
                .hasMessageContaining("connector 'nosuch'").hasMessageContaining("installed: [file, print]");
    }

    @Test
    void aSlowSinkHoldsBackTheSourceWithBoundedBuffering() throws Exception {
        AtomicLong produced = new AtomicLong();
        AtomicLong consumed = new AtomicLong();
        MapConnectorRegistry registry = Jobs.builtInConnectors().withSink("slow", new SlowSink(consumed));
        LocalStreamEnvironment env = new LocalStreamEnvironment(registry, 1);
        env.fromSource(Sources.generator(Long.MAX_VALUE, i -> {
            produced.incrementAndGet();
            return i;
        }), "endless").rebalance().sinkTo(new SinkDescriptor<>("slow", Map.of()), "slow sink");
        JobClient job = env.executeAsync("backpressure");

        long bound = InputChannel.QUEUE_CAPACITY * Buffer.CAPACITY + 2L * Buffer.CAPACITY + 4096;
        long maxBacklog = 0;
        for (int i = 0; i < 20; i++) {
            Thread.sleep(100);
            maxBacklog = Math.max(maxBacklog, produced.get() - consumed.get());
        }
        job.cancel();
        JobResult result = job.result().get(30, TimeUnit.SECONDS);
        assertThat(result.status()).isEqualTo(JobStatus.CANCELED);
        assertThat(consumed.get()).isPositive();
        assertThat(maxBacklog).as("records produced but not consumed never exceed the channel's capacity")
                .isLessThanOrEqualTo(bound);
    }

    @Test
    void cancellingAnEndlessJobEndsIt() throws Exception {
        StreamEnvironment env = Jobs.environment(2).setParallelism(2);
        env.fromSource(Sources.generator(Long.MAX_VALUE, i -> i), "endless").keyBy(i -> i % 10).reduce(Long::sum)
                .sinkTo(new SinkDescriptor<>("print", Map.of()), "print").setParallelism(1);
        JobClient job = env.executeAsync("endless");
        Thread.sleep(200);
        assertThat(job.status()).isEqualTo(JobStatus.RUNNING);
        job.cancel();
        assertThat(job.result().get(30, TimeUnit.SECONDS).status()).isEqualTo(JobStatus.CANCELED);
        assertThat(job.result().get().duration()).isLessThan(Duration.ofSeconds(30));
    }

    /** Sleeps a little per record: a sink far slower than its source. */
    private record SlowSink(AtomicLong consumed) implements SinkProvider {
        @Override
        public <T> SinkWriter<T> createWriter(SinkDescriptor<T> descriptor, SubtaskInfo subtask) {
            return record -> {
                Thread.sleep(0, 200_000);
                consumed.incrementAndGet();
            };
        }
    }
}
