package io.runnel.examples.internal;

import io.runnel.api.functions.Collector;
import io.runnel.api.functions.KeyedProcessFunction;
import io.runnel.api.functions.RuntimeContext;
import io.runnel.api.state.ValueState;
import io.runnel.api.state.ValueStateDescriptor;
import io.runnel.api.stream.SinkDescriptor;
import io.runnel.api.stream.SourceDescriptor;
import io.runnel.api.stream.StreamEnvironment;
import io.runnel.api.stream.StreamJob;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.osgi.service.component.annotations.Component;

/**
 * Kafka in, a running count per key, Kafka out exactly once: for every input record the job writes
 * {@code key,count} where count is how many records of that key it has seen so far, so a
 * {@code read_committed} reader of the output sees each key's counts 1..N once each. A lost record
 * shows as a gap, a record counted twice as a repeat; that is what the exactly-once proof
 * ({@code itests/paxexam} {@code KafkaExactlyOnceIT}) checks.
 *
 * <p>The key of an input record is its value (UTF-8 text) up to the first comma, or the whole
 * value without one. The connectors are referred to by name ({@code kafka}), so this bundle
 * imports nothing of the Kafka connector's.
 *
 * <p>Parameters: {@code bootstrap} ({@code host:port[,...]}), {@code input} and {@code output}
 * (topics) are required; {@code group} (consumer group, default {@code kafka-counts}),
 * {@code transactional-id-prefix} (default {@code kafka-counts-<output>}), {@code transaction-timeout}
 * (default the sink's, 15min). The output becomes visible at completed checkpoints only, so run it
 * with {@code execution.checkpointing.interval}.
 */
@Component(property = StreamJob.NAME + "=" + KafkaCountsJob.NAME)
public final class KafkaCountsJob implements StreamJob {

    public static final String NAME = "kafka-counts";
    private static final Set<String> REQUIRED = Set.of("bootstrap", "input", "output");
    private static final Set<String> PARAMETERS = Set.of("bootstrap", "input", "output", "group",
            "transactional-id-prefix", "transaction-timeout");
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9._-]+");

    @Override
    public void build(StreamEnvironment env, Map<String, String> parameters) {
        Set<String> unknown = new TreeSet<>(parameters.keySet());
        unknown.removeAll(PARAMETERS);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown parameter(s) " + unknown + "; the " + NAME + " job takes "
                    + new TreeSet<>(PARAMETERS));
        }
        Set<String> missing = new TreeSet<>(REQUIRED);
        missing.removeIf(key -> parameters.get(key) != null && !parameters.get(key).isBlank());
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("the " + NAME + " job needs the parameter(s) " + missing
                    + ", for example -p bootstrap=127.0.0.1:9092 -p input=clicks -p output=click-counts");
        }
        String bootstrap = parameters.get("bootstrap").trim();
        String output = parameters.get("output").trim();
        String prefix = parameters.getOrDefault("transactional-id-prefix", NAME + "-" + output).trim();
        if (!PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("the transactional id prefix '" + prefix + "' may hold only letters, digits, "
                    + "'.', '_' and '-'; set -p transactional-id-prefix=... to such a name");
        }

        Map<String, Object> source = new LinkedHashMap<>();
        source.put("bootstrap.servers", bootstrap);
        source.put("topics", parameters.get("input").trim());
        source.put("group.id", parameters.getOrDefault("group", NAME).trim());
        source.put("scan.startup.mode", "earliest-offset");

        Map<String, Object> sink = new LinkedHashMap<>();
        sink.put("bootstrap.servers", bootstrap);
        sink.put("topic", output);
        sink.put("sink.delivery-guarantee", "exactly-once");
        sink.put("sink.transactional-id-prefix", prefix);
        if (parameters.containsKey("transaction-timeout")) {
            sink.put("sink.transaction-timeout", parameters.get("transaction-timeout").trim());
        }

        env.fromSource(new SourceDescriptor<String>("kafka", source), "kafka input").uid("kafka-input")
                .keyBy(KafkaCountsJob::keyOf)
                .process(new RunningCount()).name("running count").uid("running-count")
                .sinkTo(new SinkDescriptor<String>("kafka", sink), "kafka output").uid("kafka-output");
    }

    /** The record's key: its text up to the first comma. */
    static String keyOf(String value) {
        int comma = value.indexOf(',');
        return comma < 0 ? value : value.substring(0, comma);
    }

    /** Counts the records of each key and emits {@code key,count} for every one. */
    static final class RunningCount extends KeyedProcessFunction<String, String, String> {
        private static final long serialVersionUID = 1L;
        private transient ValueState<Long> count;

        @Override
        public void open(RuntimeContext context) {
            count = context.getState(new ValueStateDescriptor<>("count", Long.class));
        }

        @Override
        public void processElement(String value, Context context, Collector<String> out) throws Exception {
            Long previous = count.value();
            long next = previous == null ? 1 : previous + 1;
            count.update(next);
            out.collect(context.getCurrentKey() + "," + next);
        }
    }
}
