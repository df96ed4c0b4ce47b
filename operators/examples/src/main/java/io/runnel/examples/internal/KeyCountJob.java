package io.runnel.examples.internal;

import io.runnel.api.functions.Collector;
import io.runnel.api.functions.KeyedProcessFunction;
import io.runnel.api.functions.RuntimeContext;
import io.runnel.api.state.ValueState;
import io.runnel.api.state.ValueStateDescriptor;
import io.runnel.api.stream.Sinks;
import io.runnel.api.stream.Sources;
import io.runnel.api.stream.StreamEnvironment;
import io.runnel.api.stream.StreamJob;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.osgi.service.component.annotations.Component;

/**
 * A job with as much keyed state as asked for, whose output shows at a glance whether state was
 * kept exactly: records {@code 0 .. keys x repeats - 1}, record {@code i} counting once for key
 * {@code i mod keys}; a running count per key in value state; a key is written to the files once
 * its count reaches {@code repeats}, as {@code "<key> <count>"}, and again (with a higher count) if
 * it ever went past. So the committed output is exactly {@code keys} lines {@code "<key> <repeats>"}
 * when no record was lost or counted twice, whatever failures and restores happened in between.
 *
 * <p>Parameters: {@code keys} (distinct keys, default 1000000), {@code repeats} (records per key,
 * default 2), {@code rate} (records per second, default as fast as possible), {@code output}
 * (directory of the files, default {@code <runnel.home>/data/keycount}). State grows with the keys:
 * choose {@code state.backend.type: rocksdb} for more keys than the heap holds.
 */
@Component(property = StreamJob.NAME + "=" + KeyCountJob.NAME)
public final class KeyCountJob implements StreamJob {

    public static final String NAME = "keycount";
    private static final Set<String> PARAMETERS = Set.of("keys", "repeats", "rate", "output");

    @Override
    public void build(StreamEnvironment env, Map<String, String> parameters) {
        Set<String> unknown = new TreeSet<>(parameters.keySet());
        unknown.removeAll(PARAMETERS);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown parameter(s) " + unknown + "; the keycount job takes "
                    + new TreeSet<>(PARAMETERS));
        }
        long keys = positive(parameters, "keys", 1_000_000);
        long repeats = positive(parameters, "repeats", 2);
        long rate = parameters.containsKey("rate") ? positive(parameters, "rate", 0) : 0;
        if (keys > Long.MAX_VALUE / repeats) {
            throw new IllegalArgumentException("keys x repeats (" + keys + " x " + repeats + ") is too large: lower either");
        }
        String output = parameters.getOrDefault("output",
                Path.of(System.getProperty("runnel.home", "."), "data", NAME).toString());

        env.fromSource(Sources.generator(keys * repeats, rate, i -> i), "records").uid("records")
                .keyBy(record -> record % keys)
                .process(new RunningCount(repeats)).name("running count").uid("running count")
                .sinkTo(Sinks.files(output), "count files").uid("count files");
    }

    private static long positive(Map<String, String> parameters, String name, long fallback) {
        String value = parameters.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            long parsed = Long.parseLong(value.trim());
            if (parsed < 1) {
                throw new NumberFormatException();
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("parameter '" + name + "' must be a whole number of 1 or more, but is '"
                    + value + "'");
        }
    }

    /** Counts each key's records in value state; reports a key when its count reaches {@code repeats} or passes it. */
    static final class RunningCount extends KeyedProcessFunction<Long, Long, String> {
        private static final long serialVersionUID = 1L;
        private final long repeats;
        private transient ValueState<Long> count;

        RunningCount(long repeats) {
            this.repeats = repeats;
        }

        @Override
        public void open(RuntimeContext context) {
            count = context.getState(new ValueStateDescriptor<>("count", Long.class));
        }

        @Override
        public void processElement(Long record, Context context, Collector<String> out) {
            Long before = count.value();
            long now = before == null ? 1 : before + 1;
            count.update(now);
            if (now >= repeats) {
                out.collect(context.getCurrentKey() + " " + now);
            }
        }
    }
}
