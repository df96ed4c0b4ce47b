package io.runnel.runtime.internal.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.api.functions.Collector;
import io.runnel.api.functions.ProcessFunction;
import io.runnel.api.stream.JobSubmissionException;
import io.runnel.api.stream.SinkDescriptor;
import io.runnel.api.stream.SourceDescriptor;
import io.runnel.api.windowing.ProcessWindowFunction;
import io.runnel.api.windowing.TimeWindow;
import io.runnel.api.windowing.TumblingWindows;
import io.runnel.spi.connector.SinkProvider;
import io.runnel.spi.connector.SinkWriter;
import io.runnel.spi.connector.SourceOutput;
import io.runnel.spi.connector.SourceProvider;
import io.runnel.spi.connector.SourceReader;
import io.runnel.spi.connector.SubtaskInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What connector SPI 1.1 adds, as the runtime wires it: source timestamps and watermarks, and job-wide sink checks. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConnectorSpiTest {

    /** Emits "e0".."e5" with timestamps 0, 1000, ... 5000 and a watermark after each, from one subtask. */
    static final class TimedSource implements SourceProvider {
        @Override
        public boolean isBounded(SourceDescriptor<?> descriptor) {
            return true;
        }

        @Override
        public int maxParallelism(SourceDescriptor<?> descriptor) {
            return 1;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> SourceReader<T> createReader(SourceDescriptor<T> descriptor, SubtaskInfo subtask) {
            return new SourceReader<T>() {
                private int next;

                @Override
                public Status poll(Collector<T> output) {
                    if (next == 6) {
                        return Status.END_OF_INPUT;
                    }
                    SourceOutput<T> timed = (SourceOutput<T>) output;
                    timed.collect((T) ("e" + next), next * 1000L);
                    timed.emitWatermark(next * 1000L);
                    timed.emitWatermark(next * 1000L - 500); // not advancing: dropped
                    next++;
                    return Status.MORE_AVAILABLE;
                }
            };
        }
    }

    static final class Stamp extends ProcessFunction<String, String> {
        @Override
        public void processElement(String value, Context context, Collector<String> out) {
            out.collect(value + "@" + context.timestamp());
        }
    }

    static final class Count extends ProcessWindowFunction<String, String, Integer, TimeWindow> {
        @Override
        public void process(Integer key, Context context, Iterable<String> values, Collector<String> out) {
            int count = 0;
            for (String ignored : values) {
                count++;
            }
            out.collect(context.window().start() + ":" + count);
        }
    }

    private static LocalStreamEnvironment environment(SinkProvider sink) {
        MapConnectorRegistry connectors = new MapConnectorRegistry().withStateBackend("heap", new io.runnel.state.heap.HeapStateBackendFactory()).withSource("timed", new TimedSource());
        if (sink != null) {
            connectors.withSink("checked", sink);
        }
        return new LocalStreamEnvironment(connectors, 2);
    }

    @Test
    void recordsKeepTheTimestampsTheirSourceGaveThem() throws Exception {
        LocalStreamEnvironment env = environment(null);
        List<String> stamped = env.fromSource(new SourceDescriptor<String>("timed", Map.of()), "timed")
                .process(new Stamp()).executeAndCollect("stamps");
        assertThat(stamped).containsExactly("e0@0", "e1@1000", "e2@2000", "e3@3000", "e4@4000", "e5@5000");
    }

    @Test
    void sourceWatermarksDriveEventTimeWithoutATimestampAssigner() throws Exception {
        LocalStreamEnvironment env = environment(null);
        List<String> windows = env.fromSource(new SourceDescriptor<String>("timed", Map.of()), "timed")
                .keyBy(value -> 0)
                .window(TumblingWindows.<String>ofEventTime(java.time.Duration.ofSeconds(2)))
                .process(new Count()).executeAndCollect("windows");
        assertThat(windows).containsExactly("0:2", "2000:2", "4000:2");
    }

    /** Refuses two sinks whose "group" parameters are equal. */
    static final class CheckedSink implements SinkProvider {
        final List<List<SinkDescriptor<?>>> checked = new ArrayList<>();

        @Override
        public void validateJob(List<SinkDescriptor<?>> descriptors) {
            checked.add(descriptors);
            if (descriptors.stream().map(d -> d.parameters().get("group")).distinct().count() < descriptors.size()) {
                throw new IllegalArgumentException("group 'g' is used twice");
            }
        }

        @Override
        public <T> SinkWriter<T> createWriter(SinkDescriptor<T> descriptor, SubtaskInfo subtask) {
            return record -> {};
        }
    }

    @Test
    void theSinksOfAConnectorAreCheckedTogetherAtSubmission() {
        CheckedSink sink = new CheckedSink();
        LocalStreamEnvironment env = environment(sink);
        var stream = env.fromSource(new SourceDescriptor<String>("timed", Map.of()), "timed");
        stream.sinkTo(new SinkDescriptor<>("checked", Map.of("group", "g")), "first");
        stream.sinkTo(new SinkDescriptor<>("checked", Map.of("group", "g")), "second");

        assertThatThrownBy(() -> env.executeAsync("clash")).isInstanceOf(JobSubmissionException.class)
                .hasMessageContaining("Sinks [first, second] do not fit together: group 'g' is used twice");
        assertThat(sink.checked).hasSize(1);
        assertThat(sink.checked.get(0)).hasSize(2);
    }
}
