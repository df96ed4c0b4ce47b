package io.runnel.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.api.eventtime.WatermarkStrategy;
import io.runnel.api.functions.CoMapFunction;
import io.runnel.api.functions.CoProcessFunction;
import io.runnel.api.functions.Collector;
import io.runnel.api.functions.OutputTag;
import io.runnel.api.functions.ProcessFunction;
import io.runnel.api.functions.RuntimeContext;
import io.runnel.api.state.ListState;
import io.runnel.api.state.ListStateDescriptor;
import io.runnel.api.state.ValueState;
import io.runnel.api.state.ValueStateDescriptor;
import io.runnel.api.stream.DataStream;
import io.runnel.api.stream.JobExecutionException;
import io.runnel.api.stream.SinkDescriptor;
import io.runnel.api.stream.Sources;
import io.runnel.api.stream.StreamEnvironment;
import io.runnel.runtime.internal.execution.LocalStreamEnvironment;
import io.runnel.spi.connector.SinkProvider;
import io.runnel.spi.connector.SinkWriter;
import io.runnel.spi.connector.SubtaskInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConnectedStreamsTest {

    record Order(long id, int customer) {}

    record Customer(int id, String name) {}

    /** Joins orders with their customer's name; orders that come before their customer wait in state. */
    static final class Enrich extends CoProcessFunction<Order, Customer, String> {
        private transient ValueState<String> name;
        private transient ListState<Order> waiting;

        @Override
        public void open(RuntimeContext context) {
            name = context.getState(new ValueStateDescriptor<>("name", String.class));
            waiting = context.getListState(new ListStateDescriptor<>("waiting", Order.class));
        }

        @Override
        public void processElement1(Order order, Context context, Collector<String> out) {
            if (name.value() == null) {
                waiting.add(order);
            } else {
                out.collect("order " + order.id() + " for " + name.value());
            }
        }

        @Override
        public void processElement2(Customer customer, Context context, Collector<String> out) {
            name.update(customer.name());
            for (Order order : waiting.get()) {
                out.collect("order " + order.id() + " for " + customer.name());
            }
            waiting.clear();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void keyedCoProcessJoinsBothSidesByKey(int parallelism) throws Exception {
        StreamEnvironment env = Jobs.environment(4).setParallelism(parallelism);
        DataStream<Order> orders = env.fromSource(Sources.generator(3000, i -> new Order(i, (int) (i % 97))), "orders");
        DataStream<Customer> customers = env.fromSource(Sources.generator(97, i -> new Customer((int) i, "c" + i)), "customers");
        List<String> joined = orders.connect(customers).keyBy(Order::customer, Customer::id)
                .process(new Enrich()).executeAndCollect("enrich");
        List<String> expected = new ArrayList<>();
        for (long i = 0; i < 3000; i++) {
            expected.add("order " + i + " for c" + (i % 97));
        }
        assertThat(joined).containsExactlyInAnyOrderElementsOf(expected);
    }

    /**
     * Per key, sets an event-time timer 10 ms after each record of either side; the timer reports its
     * key, the timer context's view of it, and the timestamp its output carries.
     */
    static final class RemindLater extends CoProcessFunction<Order, Customer, String> {
        @Override
        public void processElement1(Order order, Context context, Collector<String> out) {
            context.timerService().registerEventTimeTimer(context.timestamp() + 10);
        }

        @Override
        public void processElement2(Customer customer, Context context, Collector<String> out) {
            context.timerService().registerEventTimeTimer(context.timestamp() + 10);
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext context, Collector<String> out) {
            out.collect(context.getCurrentKey() + "@" + timestamp + " event-time=" + context.isEventTime()
                    + " timestamp=" + context.timestamp());
        }
    }

    @Test
    void keyedCoProcessTimersFireForTheirKeyWithTheirTime() throws Exception {
        StreamEnvironment env = Jobs.environment(2).setParallelism(2);
        DataStream<Order> orders = env.fromElements(new Order(100, 1), new Order(200, 2))
                .assignTimestampsAndWatermarks(WatermarkStrategy.<Order>forMonotonousTimestamps()
                        .withTimestampAssigner((order, previous) -> order.id()));
        DataStream<Customer> customers = env.fromElements(new Customer(1, "a"), new Customer(3, "c"))
                .assignTimestampsAndWatermarks(WatermarkStrategy.<Customer>forMonotonousTimestamps()
                        .withTimestampAssigner((customer, previous) -> 1000L * customer.id()));
        List<String> fired = orders.connect(customers).keyBy(Order::customer, Customer::id)
                .process(new RemindLater()).executeAndCollect("timers");
        assertThat(fired).containsExactlyInAnyOrder(
                "1@110 event-time=true timestamp=110",
                "2@210 event-time=true timestamp=210",
                "1@1010 event-time=true timestamp=1010",
                "3@3010 event-time=true timestamp=3010");
    }

    @Test
    void timersOnConnectedStreamsWithoutKeysAreRefused() {
        StreamEnvironment env = Jobs.environment(1);
        env.fromElements(new Order(1, 1)).connect(env.fromElements(new Customer(1, "a")))
                .process(new RemindLater()).print();
        assertThatThrownBy(() -> env.execute("no keys"))
                .isInstanceOf(JobExecutionException.class)
                .hasMessageContaining("Timers need keyed connected streams");
    }

    @Test
    void coMapBringsTwoTypesToOne() throws Exception {
        StreamEnvironment env = Jobs.environment(2).setParallelism(2);
        DataStream<Long> numbers = env.fromSource(Sources.generator(50, i -> i), "numbers");
        DataStream<String> words = env.fromElements("a", "b");
        List<String> out = numbers.connect(words).map(new CoMapFunction<Long, String, String>() {
            @Override
            public String map1(Long value) {
                return "n" + value;
            }

            @Override
            public String map2(String value) {
                return "w" + value;
            }
        }).executeAndCollect("co-map");
        assertThat(out).hasSize(52).contains("n0", "n49", "wa", "wb");
    }

    static final OutputTag<Long> ODD = new OutputTag<>("odd", Long.class);

    /** Evens to the main output, odds aside. */
    static final class SplitByParity extends ProcessFunction<Long, Long> {
        @Override
        public void processElement(Long value, Context context, Collector<Long> out) {
            if (value % 2 == 0) {
                out.collect(value);
            } else {
                context.output(ODD, value);
            }
        }
    }

    @Test
    void processFunctionSplitsIntoMainAndSideOutput() throws Exception {
        Queue<Object> odds = new ConcurrentLinkedQueue<>();
        LocalStreamEnvironment env = Jobs.environment(2);
        env.setParallelism(2);
        env.connectors().withSink("queue", new SinkProvider() {
            @Override
            public <T> SinkWriter<T> createWriter(SinkDescriptor<T> descriptor, SubtaskInfo subtask) {
                return odds::add;
            }
        });
        DataStream<Long> evens = env.fromSource(Sources.generator(100, i -> i), "numbers").process(new SplitByParity());
        evens.getSideOutput(ODD).sinkTo(new SinkDescriptor<>("queue", Map.of()), "odds");
        List<Long> collected = evens.executeAndCollect("split");
        assertThat(collected).hasSize(50).allMatch(v -> v % 2 == 0);
        assertThat(odds).hasSize(50).allMatch(v -> (Long) v % 2 == 1);
    }

    /** Asks for keyed state on a non-keyed stream. */
    static final class WantsState extends ProcessFunction<Long, Long> {
        @Override
        public void open(RuntimeContext context) {
            context.getState(new ValueStateDescriptor<>("nope", Long.class));
        }

        @Override
        public void processElement(Long value, Context context, Collector<Long> out) {
            out.collect(value);
        }
    }

    @Test
    void keyedStateOnANonKeyedStreamIsExplained() {
        StreamEnvironment env = Jobs.environment(1);
        env.fromElements(1L).process(new WantsState()).print();
        assertThatThrownBy(() -> env.execute("no state"))
                .isInstanceOf(JobExecutionException.class)
                .hasMessageContaining("has no keyed state: keyed state needs a keyed stream");
    }
}
