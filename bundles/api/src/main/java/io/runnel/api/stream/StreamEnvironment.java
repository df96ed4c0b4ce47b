package io.runnel.api.stream;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Where a job is built and from where it is executed. Settings made here are the defaults of every
 * operator; each stream can override its parallelism.
 *
 * <p>Not thread-safe: build a job from one thread.
 */
@ProviderType
public interface StreamEnvironment {

    /** Default number of parallel subtasks of each operator (default: 1). */
    StreamEnvironment setParallelism(int parallelism);

    int getParallelism();

    /**
     * Number of key groups, the upper bound for the parallelism of keyed operators and the unit in
     * which keyed state moves when a job is rescaled (default 128). Fixed for the life of a job.
     */
    StreamEnvironment setMaxParallelism(int maxParallelism);

    int getMaxParallelism();

    /**
     * How often watermark generators are asked for a watermark, and idleness checked (default
     * 200 ms).
     */
    StreamEnvironment setAutoWatermarkInterval(java.time.Duration interval);

    java.time.Duration getAutoWatermarkInterval();

    /** Sets the execution mode of the jobs built from now on; {@link RuntimeExecutionMode#STREAMING} by default. */
    StreamEnvironment setRuntimeMode(RuntimeExecutionMode mode);

    RuntimeExecutionMode getRuntimeMode();

    /** A stream from a source connector; see {@link Sources} for the built-in ones. */
    <T> DataStream<T> fromSource(SourceDescriptor<T> source, String name);

    /** A bounded stream of the given elements, in order at parallelism 1. */
    default <T> DataStream<T> fromCollection(Collection<? extends T> elements) {
        return fromSource(Sources.collection(List.copyOf(elements)), "collection");
    }

    /** A bounded stream of the given elements. */
    @SuppressWarnings("unchecked")
    default <T> DataStream<T> fromElements(T... elements) {
        return fromCollection(Arrays.asList(elements));
    }

    /**
     * Starts the job built so far and returns at once. The environment can be used to build and
     * start another job afterwards.
     *
     * @throws JobSubmissionException if the job cannot start (no sink, an unknown connector, more
     *     parallelism than free slots, ...), before any task runs
     */
    JobClient executeAsync(String jobName) throws JobSubmissionException;

    /** Starts the job and waits until it ends; only bounded jobs end by themselves. */
    default JobResult execute(String jobName) throws JobSubmissionException, JobExecutionException {
        return executeAsync(jobName).waitForResult();
    }
}
