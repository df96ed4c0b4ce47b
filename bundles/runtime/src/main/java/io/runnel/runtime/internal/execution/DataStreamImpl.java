package io.runnel.runtime.internal.execution;

import io.runnel.api.eventtime.WatermarkStrategy;
import io.runnel.api.functions.FilterFunction;
import io.runnel.api.functions.FlatMapFunction;
import io.runnel.api.functions.KeySelector;
import io.runnel.api.functions.MapFunction;
import io.runnel.api.stream.DataStream;
import io.runnel.api.stream.DataStreamSink;
import io.runnel.api.stream.JobExecutionException;
import io.runnel.api.stream.JobSubmissionException;
import io.runnel.api.stream.KeyedStream;
import io.runnel.api.stream.SinkDescriptor;
import io.runnel.runtime.internal.graph.Transformation;
import io.runnel.runtime.internal.operators.FilterOperator;
import io.runnel.runtime.internal.operators.FlatMapOperator;
import io.runnel.runtime.internal.operators.MapOperator;
import io.runnel.runtime.internal.operators.FunctionCopies;
import io.runnel.runtime.internal.operators.OperatorFactory;
import io.runnel.runtime.internal.operators.ProcessOperator;
import io.runnel.runtime.internal.operators.TimestampsAndWatermarksOperator;
import io.runnel.runtime.internal.task.Partitioning;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/** Records each DataStream call as a transformation of the environment's logical graph. */
class DataStreamImpl<T> implements DataStream<T> {

    final LocalStreamEnvironment env;
    final Transformation transformation;

    DataStreamImpl(LocalStreamEnvironment env, Transformation transformation) {
        this.env = env;
        this.transformation = transformation;
    }

    @Override
    public <R> DataStream<R> map(MapFunction<? super T, ? extends R> mapper) {
        Objects.requireNonNull(mapper, "mapper");
        var copies = FunctionCopies.ifCheckpointed(mapper, "MapFunction");
        return oneInput("map", (context, output) -> new MapOperator(copies.get(), context, output), null);
    }

    @Override
    public DataStream<T> filter(FilterFunction<? super T> filter) {
        Objects.requireNonNull(filter, "filter");
        var copies = FunctionCopies.ifCheckpointed(filter, "FilterFunction");
        return oneInput("filter", (context, output) -> new FilterOperator(copies.get(), context, output), null);
    }

    @Override
    public <R> DataStream<R> flatMap(FlatMapFunction<? super T, R> flatMapper) {
        Objects.requireNonNull(flatMapper, "flatMapper");
        var copies = FunctionCopies.ifCheckpointed(flatMapper, "FlatMapFunction");
        return oneInput("flatMap", (context, output) -> new FlatMapOperator(copies.get(), context, output), null);
    }

    @Override
    public DataStream<T> assignTimestampsAndWatermarks(WatermarkStrategy<T> strategy) {
        Objects.requireNonNull(strategy, "strategy");
        long interval = env.getAutoWatermarkInterval().toMillis();
        return oneInput("timestamps/watermarks",
                (context, output) -> new TimestampsAndWatermarksOperator(strategy, interval, context, output), null);
    }

    @Override
    public <R> DataStream<R> process(io.runnel.api.functions.ProcessFunction<T, R> function) {
        Objects.requireNonNull(function, "function");
        var copies = FunctionCopies.of(function, "ProcessFunction");
        return oneInput("process", (context, output) -> new ProcessOperator(copies.get(), context, output), null);
    }

    @Override
    public <T2> io.runnel.api.stream.ConnectedStreams<T, T2> connect(DataStream<T2> other) {
        DataStreamImpl<T2> impl = (DataStreamImpl<T2>) Objects.requireNonNull(other, "other");
        if (impl.env != env) {
            throw new IllegalArgumentException("connect() needs streams of the same environment");
        }
        return new ConnectedStreamsImpl<>(env, transformation, impl.transformation, null, null);
    }

    @Override
    public <B> io.runnel.api.stream.BroadcastConnectedStream<T, B> connect(io.runnel.api.stream.BroadcastStream<B> broadcast) {
        BroadcastStreamImpl<B> impl = (BroadcastStreamImpl<B>) Objects.requireNonNull(broadcast, "broadcast");
        if (impl.env != env) {
            throw new IllegalArgumentException("connect() needs streams of the same environment");
        }
        KeySelector<Object, Object> key = this instanceof KeyedStreamImpl<?, ?> keyed ? keyed.keySelector : null;
        return new BroadcastConnectedStreamImpl<>(env, transformation, key, impl);
    }

    @Override
    public <K> KeyedStream<T, K> keyBy(KeySelector<? super T, K> keySelector) {
        Objects.requireNonNull(keySelector, "keySelector");
        Transformation.Partition partition = new Transformation.Partition(env.nextId(), transformation,
                Partitioning.hash(keySelector));
        return new KeyedStreamImpl<>(env, partition, keySelector);
    }

    @Override
    public <X> DataStream<X> getSideOutput(io.runnel.api.functions.OutputTag<X> tag) {
        Objects.requireNonNull(tag, "tag");
        return new DataStreamImpl<>(env, new Transformation.SideOutput(env.nextId(), physical("getSideOutput"), tag.id()));
    }

    @SafeVarargs
    @Override
    public final DataStream<T> union(DataStream<T>... others) {
        List<Transformation> inputs = new ArrayList<>();
        inputs.add(transformation);
        for (DataStream<T> other : others) {
            DataStreamImpl<T> impl = (DataStreamImpl<T>) other;
            if (impl.env != env) {
                throw new IllegalArgumentException("union() needs streams of the same environment");
            }
            inputs.add(impl.transformation);
        }
        return new DataStreamImpl<>(env, new Transformation.Union(env.nextId(), inputs));
    }

    @Override
    public DataStream<T> rebalance() {
        return partitioned(Partitioning.REBALANCE);
    }

    @Override
    public DataStream<T> rescale() {
        return partitioned(Partitioning.RESCALE);
    }

    @Override
    public io.runnel.api.stream.BroadcastStream<T> broadcast(io.runnel.api.state.MapStateDescriptor<?, ?>... descriptors) {
        return new BroadcastStreamImpl<>(env, new Transformation.Partition(env.nextId(), transformation, Partitioning.BROADCAST),
                List.of(descriptors));
    }

    @Override
    public DataStream<T> broadcast() {
        return partitioned(Partitioning.BROADCAST);
    }

    @Override
    public DataStream<T> forward() {
        return partitioned(Partitioning.FORWARD);
    }

    @Override
    public DataStream<T> name(String name) {
        physical("name").setName(Objects.requireNonNull(name, "name"));
        return this;
    }

    @Override
    public DataStream<T> uid(String uid) {
        physical("uid").setUid(Objects.requireNonNull(uid, "uid"));
        return this;
    }

    @Override
    public DataStream<T> setParallelism(int parallelism) {
        physical("setParallelism").setParallelism(parallelism);
        return this;
    }

    @Override
    public DataStreamSink sinkTo(SinkDescriptor<? super T> sink, String name) {
        Objects.requireNonNull(sink, "sink");
        Transformation.Sink transformation = new Transformation.Sink(env.nextId(), name, this.transformation, sink, null);
        env.addSink(transformation);
        return new SinkSettings(transformation);
    }

    @Override
    public List<T> executeAndCollect(String jobName) throws JobSubmissionException, JobExecutionException {
        Queue<Object> collected = new ConcurrentLinkedQueue<>();
        OperatorFactory collector = (context, output) -> new CollectOperator(collected);
        env.addSink(new Transformation.Sink(env.nextId(), "collect", transformation, null, collector));
        env.execute(jobName);
        @SuppressWarnings("unchecked")
        List<T> records = (List<T>) new ArrayList<>(collected);
        return records;
    }

    <R> DataStream<R> oneInput(String name, OperatorFactory factory, KeySelector<Object, Object> keySelector) {
        return new DataStreamImpl<>(env, new Transformation.OneInput(env.nextId(), name, transformation, factory, keySelector));
    }

    private DataStream<T> partitioned(Partitioning partitioning) {
        return new DataStreamImpl<>(env, new Transformation.Partition(env.nextId(), transformation, partitioning));
    }

    private Transformation physical(String setting) {
        if (!transformation.isPhysical()) {
            throw new UnsupportedOperationException(setting + "() applies to an operator, but this stream comes from "
                    + transformation.name() + "(): call it on the stream before");
        }
        return transformation;
    }

    /** The sink of executeAndCollect: keeps records in memory for the caller. */
    private record CollectOperator(Queue<Object> collected) implements io.runnel.runtime.internal.operators.StreamOperator<Object> {
        @Override
        public void emit(Object record, long timestamp) {
            collected.add(record);
        }

        @Override
        public void emitWatermark(long watermark) {}

        @Override
        public void emitIdle(boolean idle) {}
    }

    /** Settings of a sink operator. */
    private record SinkSettings(Transformation.Sink sink) implements DataStreamSink {
        @Override
        public DataStreamSink name(String name) {
            sink.setName(name);
            return this;
        }

        @Override
        public DataStreamSink uid(String uid) {
            sink.setUid(uid);
            return this;
        }

        @Override
        public DataStreamSink setParallelism(int parallelism) {
            sink.setParallelism(parallelism);
            return this;
        }
    }
}
