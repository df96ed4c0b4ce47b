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

    /**
     * The job's checkpoint settings, to change before the job is submitted. Checkpoints are off
     * until an interval is set, here or with {@link #enableCheckpointing}.
     */
    CheckpointConfig getCheckpointConfig();

    /** Turns on periodic checkpoints every {@code interval}, exactly once. */
    default StreamEnvironment enableCheckpointing(java.time.Duration interval) {
        getCheckpointConfig().setInterval(interval);
        return this;
    }

    /** What the jobs built from now on do when a task fails; see {@link RestartStrategy} for the default. */
    StreamEnvironment setRestartStrategy(RestartStrategy strategy);

    /** The restart strategy set, or null for the default. */
    RestartStrategy getRestartStrategy();

    /** Starts the next job from a savepoint or retained checkpoint; null starts it empty. */
    StreamEnvironment setSavepointRestore(SavepointRestore restore);

    SavepointRestore getSavepointRestore();

    /**
     * Keeps the job's keyed state in the state backend registered under {@code name} ({@code heap},
     * {@code rocksdb}, ...) instead of the node's default. The backend is looked up, and checks
     * {@code options}, when the job is submitted; an unknown name fails the submission.
     *
     * @param options the backend's options without their {@code state.backend.<name>.} prefix
     */
    StreamEnvironment setStateBackend(String name, java.util.Map<String, String> options);

    /** The state backend chosen for the next job, or null for the node's default. */
    String getStateBackend();

    /**
     * Applies the options of {@link ExecutionOptions} found among {@code settings} (checkpointing,
     * restart strategy, savepoint to start from, state backend). Keys outside {@link ExecutionOptions#PREFIXES} are
     * ignored, so a job's own parameters may be passed along.
     *
     * @throws IllegalArgumentException naming an unknown option, or a key and its bad value
     */
    default StreamEnvironment configure(java.util.Map<String, String> settings) {
        ExecutionOptions.checkKnown(settings);
        getCheckpointConfig().configure(settings);
        RestartStrategy strategy = RestartStrategy.fromSettings(settings);
        if (strategy != null) {
            setRestartStrategy(strategy);
        }
        String savepoint = settings.get(ExecutionOptions.SAVEPOINT_PATH);
        String ignoreUnclaimed = settings.get(ExecutionOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE);
        if (savepoint != null) {
            setSavepointRestore(new SavepointRestore(savepoint.trim(), ignoreUnclaimed != null
                    && ExecutionOptions.parseBoolean(ExecutionOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE, ignoreUnclaimed)));
        } else if (ignoreUnclaimed != null) {
            throw new IllegalArgumentException(ExecutionOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE + " is set, but "
                    + ExecutionOptions.SAVEPOINT_PATH + " is not: there is no savepoint to restore from");
        }
        java.util.Map<String, java.util.Map<String, String>> backendOptions = ExecutionOptions.stateBackendOptions(settings);
        String backend = settings.get(ExecutionOptions.STATE_BACKEND_TYPE);
        if (backend != null) {
            String name = backend.trim();
            if (name.isEmpty()) {
                throw new IllegalArgumentException(ExecutionOptions.STATE_BACKEND_TYPE + " is empty: name a state backend,"
                        + " e.g. heap or rocksdb");
            }
            java.util.Set<String> others = new java.util.TreeSet<>(backendOptions.keySet());
            others.remove(name);
            if (!others.isEmpty()) {
                throw new IllegalArgumentException("Options of the state backend(s) " + others + " are set, but "
                        + ExecutionOptions.STATE_BACKEND_TYPE + " is '" + name + "': remove them, or set the options as "
                        + ExecutionOptions.STATE_BACKEND_PREFIX + name + ".<option>");
            }
            setStateBackend(name, backendOptions.getOrDefault(name, java.util.Map.of()));
        } else if (!backendOptions.isEmpty()) {
            throw new IllegalArgumentException("Options of the state backend(s) " + backendOptions.keySet() + " are set, but "
                    + ExecutionOptions.STATE_BACKEND_TYPE + " is not: set it to the backend the options are for");
        }
        return this;
    }

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
