package io.runnel.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.api.functions.BroadcastProcessFunction;
import io.runnel.api.functions.Collector;
import io.runnel.api.functions.KeyedBroadcastProcessFunction;
import io.runnel.api.functions.RuntimeContext;
import io.runnel.api.state.ListState;
import io.runnel.api.state.ListStateDescriptor;
import io.runnel.api.state.MapStateDescriptor;
import io.runnel.api.state.ReadOnlyBroadcastState;
import io.runnel.api.stream.BroadcastStream;
import io.runnel.api.stream.DataStream;
import io.runnel.api.stream.JobExecutionException;
import io.runnel.api.stream.Sources;
import io.runnel.api.stream.StreamEnvironment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BroadcastStateTest {

    record Payment(int user, int category, long amount) {}

    record Limit(int category, long max) {}

    static final MapStateDescriptor<Integer, Long> LIMITS = new MapStateDescriptor<>("limits", Integer.class, Long.class);

    static final int CATEGORIES = 5;

    static long limitOf(int category) {
        return 100L * (category + 1);
    }

    static Payment payment(long i) {
        return new Payment((int) (i % 37), (int) (i % CATEGORIES), (i * 7919) % 700);
    }

    /**
     * Flags payments above their category's limit. A payment whose limit is not known yet waits in
     * keyed state; when the limit arrives on the broadcast side, every key's waiting payments of that
     * category are judged through applyToKeyedState. Each payment is judged exactly once, whatever
     * the interleaving of the two inputs, so the result is deterministic.
     */
    static final class FlagLargePayments extends KeyedBroadcastProcessFunction<Integer, Payment, Limit, String> {
        static final ListStateDescriptor<Payment> WAITING = new ListStateDescriptor<>("waiting", Payment.class);
        private transient ListState<Payment> waiting;

        @Override
        public void open(RuntimeContext context) {
            waiting = context.getListState(WAITING);
        }

        @Override
        public void processElement(Payment payment, ReadOnlyContext context, Collector<String> out) {
            assertThat(context.getCurrentKey()).isEqualTo(payment.user());
            Long max = context.getBroadcastState(LIMITS).get(payment.category());
            if (max == null) {
                waiting.add(payment);
            } else {
                out.collect(judge(payment, max));
            }
        }

        @Override
        public void processBroadcastElement(Limit limit, Context context, Collector<String> out) throws Exception {
            context.getBroadcastState(LIMITS).put(limit.category(), limit.max());
            context.applyToKeyedState(WAITING, (Integer user, ListState<Payment> payments) -> {
                List<Payment> stillWaiting = new ArrayList<>();
                for (Payment payment : payments.get()) {
                    if (payment.category() == limit.category()) {
                        out.collect(judge(payment, limit.max()));
                    } else {
                        stillWaiting.add(payment);
                    }
                }
                if (stillWaiting.isEmpty()) {
                    payments.clear();
                } else {
                    payments.update(stillWaiting);
                }
            });
        }

        static String judge(Payment payment, long max) {
            return payment.user() + "/" + payment.amount() + (payment.amount() > max ? " flagged" : " ok");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void keyedBroadcastJudgesEveryPaymentOnceWithItsCategoryLimit(int parallelism) throws Exception {
        StreamEnvironment env = Jobs.environment(8).setParallelism(parallelism);
        DataStream<Payment> payments = env.fromSource(Sources.generator(4000, BroadcastStateTest::payment), "payments");
        BroadcastStream<Limit> limits = env.fromSource(
                Sources.generator(CATEGORIES, c -> new Limit((int) c, limitOf((int) c))), "limits").broadcast(LIMITS);
        List<String> out = payments.keyBy(Payment::user).connect(limits).process(new FlagLargePayments())
                .executeAndCollect("flag payments");

        List<String> expected = new ArrayList<>();
        for (long i = 0; i < 4000; i++) {
            Payment payment = payment(i);
            expected.add(FlagLargePayments.judge(payment, limitOf(payment.category())));
        }
        assertThat(out).containsExactlyInAnyOrderElementsOf(expected);
    }

    /** Scales numbers by a factor that arrives once on the broadcast side; numbers before it wait. */
    static final class Scale extends BroadcastProcessFunction<Long, Long, Long> {
        static final MapStateDescriptor<String, Long> FACTOR = new MapStateDescriptor<>("factor", String.class, Long.class);
        private final List<Long> waiting = new ArrayList<>();

        @Override
        public void processElement(Long value, ReadOnlyContext context, Collector<Long> out) {
            ReadOnlyBroadcastState<String, Long> state = context.getBroadcastState(FACTOR);
            if (state.contains("factor")) {
                out.collect(value * state.get("factor"));
            } else {
                waiting.add(value);
            }
        }

        @Override
        public void processBroadcastElement(Long factor, Context context, Collector<Long> out) {
            context.getBroadcastState(FACTOR).put("factor", factor);
            waiting.forEach(value -> out.collect(value * factor));
            waiting.clear();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void nonKeyedBroadcastReachesEverySubtask(int parallelism) throws Exception {
        StreamEnvironment env = Jobs.environment(8).setParallelism(parallelism);
        DataStream<Long> numbers = env.fromSource(Sources.generator(1000, i -> i), "numbers").rebalance();
        BroadcastStream<Long> factor = env.fromElements(3L).broadcast(Scale.FACTOR);
        List<Long> out = numbers.connect(factor).process(new Scale()).executeAndCollect("scale");
        List<Long> expected = new ArrayList<>();
        for (long i = 0; i < 1000; i++) {
            expected.add(i * 3);
        }
        assertThat(out).containsExactlyInAnyOrderElementsOf(expected);
    }

    /** Reads a broadcast state that was never declared. */
    static final class ReadsUndeclared extends BroadcastProcessFunction<Long, Long, Long> {
        @Override
        public void processElement(Long value, ReadOnlyContext context, Collector<Long> out) {
            context.getBroadcastState(new MapStateDescriptor<>("rules", String.class, String.class));
        }

        @Override
        public void processBroadcastElement(Long value, Context context, Collector<Long> out) {}
    }

    @Test
    void undeclaredBroadcastStateIsNamedInTheFailure() {
        StreamEnvironment env = Jobs.environment(1);
        env.fromElements(1L).connect(env.fromElements(2L).broadcast(Scale.FACTOR)).process(new ReadsUndeclared()).print();
        assertThatThrownBy(() -> env.execute("undeclared"))
                .isInstanceOf(JobExecutionException.class)
                .hasMessageContaining("has no broadcast state 'rules'")
                .hasMessageContaining("[factor]");
    }

    @Test
    void keyedFunctionOnANonKeyedStreamAndTheReverseAreRefused() {
        StreamEnvironment env = Jobs.environment(1);
        BroadcastStream<Limit> limits = env.fromElements(new Limit(0, 1)).broadcast(LIMITS);
        DataStream<Payment> payments = env.fromElements(payment(1));
        assertThatThrownBy(() -> payments.connect(limits).process(new FlagLargePayments()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs a keyed stream");
        assertThatThrownBy(() -> payments.keyBy(Payment::user).connect(limits).process(
                new BroadcastProcessFunction<Payment, Limit, String>() {
                    @Override
                    public void processElement(Payment value, ReadOnlyContext context, Collector<String> out) {}

                    @Override
                    public void processBroadcastElement(Limit value, Context context, Collector<String> out) {}
                }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is keyed");
    }

    @Test
    void broadcastNeedsUniquelyNamedDescriptors() {
        StreamEnvironment env = Jobs.environment(1);
        DataStream<Long> numbers = env.fromElements(1L);
        assertThatThrownBy(() -> numbers.broadcast(LIMITS, new MapStateDescriptor<>("limits", String.class, String.class)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Two broadcast state descriptors are named 'limits'");
        assertThat(numbers.broadcast(LIMITS).stateDescriptors()).extracting(d -> d.name()).containsExactly("limits");
    }
}
