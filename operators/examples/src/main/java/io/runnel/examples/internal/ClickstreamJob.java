package io.runnel.examples.internal;

import io.runnel.api.eventtime.WatermarkStrategy;
import io.runnel.api.functions.AggregateFunction;
import io.runnel.api.functions.Collector;
import io.runnel.api.stream.DataStream;
import io.runnel.api.stream.KeyedStream;
import io.runnel.api.stream.Sinks;
import io.runnel.api.stream.Sources;
import io.runnel.api.stream.StreamEnvironment;
import io.runnel.api.stream.StreamJob;
import io.runnel.api.windowing.ProcessWindowFunction;
import io.runnel.api.windowing.SessionWindows;
import io.runnel.api.windowing.TimeWindow;
import io.runnel.api.windowing.TumblingWindows;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.osgi.service.component.annotations.Component;

/**
 * The demo: a generated click log, parsed, bots dropped, clicks per user in 10 s tumbling windows
 * (printed) and per session of activity with a 30 s gap (printed and written to files).
 *
 * <p>Parameters: {@code events} (clicks to generate, default 100000; 0 runs until cancelled),
 * {@code rate} (clicks per second, default as fast as possible when bounded, 100 when not),
 * {@code output} (directory of the session files, default {@code <runnel.home>/data/clickstream}).
 */
@Component(property = StreamJob.NAME + "=" + ClickstreamJob.NAME)
public final class ClickstreamJob implements StreamJob {

    public static final String NAME = "clickstream";
    static final Duration WINDOW = Duration.ofSeconds(10);
    static final Duration SESSION_GAP = Duration.ofSeconds(30);
    private static final Set<String> PARAMETERS = Set.of("events", "rate", "output");

    @Override
    public void build(StreamEnvironment env, Map<String, String> parameters) {
        Set<String> unknown = new TreeSet<>(parameters.keySet());
        unknown.removeAll(PARAMETERS);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown parameter(s) " + unknown + "; the clickstream job takes "
                    + new TreeSet<>(PARAMETERS));
        }
        long events = longParameter(parameters, "events", 100_000);
        long count = events == 0 ? Long.MAX_VALUE : events;
        long rate = longParameter(parameters, "rate", events == 0 ? 100 : 0);
        String output = parameters.getOrDefault("output",
                Path.of(System.getProperty("runnel.home", "."), "data", NAME).toString());

        KeyedStream<Click, String> clicksByUser = env.fromSource(Sources.generator(count, rate, ClickLog::line), "click log")
                .map(Click::parse).name("parse")
                .filter(click -> !click.isBot()).name("drop bots")
                .assignTimestampsAndWatermarks(WatermarkStrategy.<Click>forBoundedOutOfOrderness(Duration.ofSeconds(2))
                        .withTimestampAssigner((click, previous) -> click.time()))
                .keyBy(Click::user);

        DataStream<UserActivity> perWindow = clicksByUser.window(TumblingWindows.<Click>ofEventTime(WINDOW))
                .aggregate(new CountClicks(), new Describe("clicks")).name("clicks per 10 s");
        perWindow.print();

        DataStream<UserActivity> sessions = clicksByUser.window(SessionWindows.<Click>withEventTimeGap(SESSION_GAP))
                .aggregate(new CountClicks(), new Describe("session")).name("sessions");
        sessions.print();
        sessions.sinkTo(Sinks.files(output), "session files");
    }

    private static long longParameter(Map<String, String> parameters, String name, long fallback) {
        String value = parameters.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            long parsed = Long.parseLong(value.trim());
            if (parsed < 0) {
                throw new NumberFormatException();
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("parameter '" + name + "' must be a whole number of 0 or more, but is '"
                    + value + "'");
        }
    }

    /** Counts clicks. */
    static final class CountClicks implements AggregateFunction<Click, long[], Long> {
        @Override
        public long[] createAccumulator() {
            return new long[1];
        }

        @Override
        public long[] add(Click value, long[] accumulator) {
            accumulator[0]++;
            return accumulator;
        }

        @Override
        public Long getResult(long[] accumulator) {
            return accumulator[0];
        }

        @Override
        public long[] merge(long[] a, long[] b) {
            return new long[] {a[0] + b[0]};
        }
    }

    /** Turns a window's count into a printable line. */
    static final class Describe extends ProcessWindowFunction<Long, UserActivity, String, TimeWindow> {
        private static final long serialVersionUID = 1L;
        private final String kind;

        Describe(String kind) {
            this.kind = kind;
        }

        @Override
        public void process(String user, Context context, Iterable<Long> counts, Collector<UserActivity> out) {
            out.collect(new UserActivity(kind, user, context.window().start(), context.window().end(), counts.iterator().next()));
        }
    }
}
