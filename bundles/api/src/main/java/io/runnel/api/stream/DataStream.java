package io.runnel.api.stream;

import io.runnel.api.eventtime.WatermarkStrategy;
import io.runnel.api.functions.FilterFunction;
import io.runnel.api.functions.FlatMapFunction;
import io.runnel.api.functions.KeySelector;
import io.runnel.api.functions.MapFunction;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A stream of records of type {@code T}. Transformations return new streams; the settings methods
 * ({@link #name}, {@link #uid}, {@link #setParallelism}) apply to the operator that produces this
 * stream and return this stream.
 */
@ProviderType
public interface DataStream<T> {

    <R> DataStream<R> map(MapFunction<? super T, ? extends R> mapper);

    DataStream<T> filter(FilterFunction<? super T> filter);

    <R> DataStream<R> flatMap(FlatMapFunction<? super T, R> flatMapper);

    /**
     * Gives records event-time timestamps and emits watermarks, per parallel subtask of the operator
     * before. Usually applied right after a source.
     */
    DataStream<T> assignTimestampsAndWatermarks(WatermarkStrategy<T> strategy);

    /** Applies a process function to each record (no keyed state or timers; see keyBy for those). */
    <R> DataStream<R> process(io.runnel.api.functions.ProcessFunction<T, R> function);

    /** Connects this stream with another, for an operator that processes both. */
    <T2> ConnectedStreams<T, T2> connect(DataStream<T2> other);

    /**
     * Connects this stream (keyed or not) with a broadcast stream, for a
     * {@link io.runnel.api.functions.BroadcastProcessFunction} or
     * {@link io.runnel.api.functions.KeyedBroadcastProcessFunction}.
     */
    <B> BroadcastConnectedStream<T, B> connect(BroadcastStream<B> broadcast);

    /** Partitions the stream by key: all records with equal keys go to the same subtask. */
    <K> KeyedStream<T, K> keyBy(KeySelector<? super T, K> keySelector);

    /**
     * The records the operator producing this stream emitted to the side output {@code tag}.
     */
    <X> DataStream<X> getSideOutput(io.runnel.api.functions.OutputTag<X> tag);

    /** Merges streams of the same type; no order is kept between them. */
    @SuppressWarnings("unchecked")
    DataStream<T> union(DataStream<T>... others);

    /** Spreads records round-robin over all subtasks of the next operator. */
    DataStream<T> rebalance();

    /**
     * Spreads records round-robin over a subset of the next operator's subtasks: with 2 producers and
     * 4 consumers, producer 0 feeds consumers 0 and 1, producer 1 feeds 2 and 3. Cheaper than
     * rebalance when parallelism changes by a factor, since each producer talks to few consumers.
     */
    DataStream<T> rescale();

    /** Sends every record to every subtask of the next operator. */
    DataStream<T> broadcast();

    /**
     * Makes this a broadcast stream that carries the given broadcast states: connected to another
     * stream, every parallel subtask of the connected operator receives every record and holds the
     * states (see {@link io.runnel.api.state.OperatorStateStore} for how they are restored).
     *
     * @throws IllegalArgumentException if no descriptor is given or two share a name
     */
    BroadcastStream<T> broadcast(io.runnel.api.state.MapStateDescriptor<?, ?>... descriptors);

    /**
     * Sends subtask i's records to subtask i of the next operator; both must have the same
     * parallelism. This is the default between operators of equal parallelism, where it lets them
     * run chained in one thread.
     */
    DataStream<T> forward();

    /** The display name of the operator producing this stream (logs, status, errors). */
    DataStream<T> name(String name);

    /**
     * A stable id of the operator producing this stream, unique in the job: what its state is
     * matched by when a job is restored from a savepoint. Defaults to one derived from the
     * operator's position in the job.
     */
    DataStream<T> uid(String uid);

    /** The parallelism of the operator producing this stream. */
    DataStream<T> setParallelism(int parallelism);

    /** Writes the stream to a sink connector; see {@link Sinks}. */
    DataStreamSink sinkTo(SinkDescriptor<? super T> sink, String name);

    /** Writes every record to standard out, prefixed by the subtask index at parallelism above 1. */
    default DataStreamSink print() {
        return sinkTo(Sinks.print(), "print");
    }

    /**
     * Runs the job made of this stream (and whatever else was built in the environment) to its end
     * and returns the records of this stream. For bounded jobs and tests.
     */
    List<T> executeAndCollect(String jobName) throws JobSubmissionException, JobExecutionException;
}
