package io.runnel.runtime.internal.execution;

import io.runnel.api.JobId;
import io.runnel.spi.control.JobLaunch;
import io.runnel.api.stream.CheckpointConfig;
import io.runnel.api.stream.DataStream;
import io.runnel.api.stream.ExecutionOptions;
import io.runnel.runtime.internal.state.StateBackendChoice;
import io.runnel.spi.state.StateBackendFactory;
import io.runnel.api.stream.StreamJob;
import io.runnel.api.stream.JobClient;
import io.runnel.api.stream.RuntimeExecutionMode;
import io.runnel.api.stream.JobSubmissionException;
import io.runnel.api.stream.RestartStrategy;
import io.runnel.api.stream.SavepointRestore;
import io.runnel.api.stream.SourceDescriptor;
import io.runnel.api.stream.StreamEnvironment;
import io.runnel.api.types.TypeSerializer;
import io.runnel.api.types.Types;
import io.runnel.runtime.internal.checkpoint.CheckpointCoordinator;
import io.runnel.runtime.internal.checkpoint.CheckpointStorage;
import io.runnel.runtime.internal.checkpoint.ClusterParticipants;
import io.runnel.runtime.internal.checkpoint.LocalParticipants;
import io.runnel.runtime.internal.checkpoint.TaskSnapshots;
import io.runnel.runtime.internal.checkpoint.CompletedCheckpoint;
import io.runnel.runtime.internal.checkpoint.RestoredState;
import io.runnel.runtime.internal.graph.JobGraph;
import io.runnel.runtime.internal.graph.JobGraphBuilder;
import io.runnel.runtime.internal.graph.Transformation;
import io.runnel.runtime.internal.network.DataClient;
import io.runnel.runtime.internal.network.DataServer;
import io.runnel.runtime.internal.network.RecordSerializer;
import io.runnel.spi.cluster.ClusterMessaging;
import io.runnel.spi.connector.SourceProvider;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs jobs in this JVM, one thread per parallel subtask, within a fixed number of task slots.
 * Operators of a job share slots, so a job needs as many slots as its highest parallelism. A job can
 * also be spread over several nodes: each node builds it here and starts its share with
 * {@link #startPlaced}.
 */
public final class LocalStreamEnvironment implements StreamEnvironment {

    private static final Logger LOG = LoggerFactory.getLogger(LocalStreamEnvironment.class);
    /** The state backend of a job when neither it nor the node names one. */
    public static final String DEFAULT_STATE_BACKEND = "heap";

    private final MapConnectorRegistry connectors;
    private final int slots;
    private final List<Transformation.Sink> sinks = new ArrayList<>();
    private int nextId;
    private int parallelism = 1;
    private int maxParallelism = 128;
    private java.time.Duration autoWatermarkInterval = java.time.Duration.ofMillis(200);
    private RuntimeExecutionMode mode = RuntimeExecutionMode.STREAMING;
    private CheckpointConfig checkpointConfig = new CheckpointConfig();
    private RestartStrategy restartStrategy;
    private SavepointRestore savepointRestore;
    private Path defaultCheckpointDirectory = Path.of(System.getProperty("java.io.tmpdir"), "runnel-checkpoints");
    private ClassLoader jobClassLoader;
    /** The backend the job chose, or null for the default; and its options. */
    private String stateBackend;
    private Map<String, String> stateBackendOptions = Map.of();
    /** The node's default backend and the node's options of each backend, by name. */
    private String defaultStateBackend = DEFAULT_STATE_BACKEND;
    private Map<String, Map<String, String>> defaultStateBackendOptions = Map.of();
    private Path localStateDirectory = StateBackendChoice.DEFAULT_LOCAL_BASE;

    /**
     * @param connectors where sources and sinks are found by name
     * @param slots how many task slots jobs of this environment may use
     */
    public LocalStreamEnvironment(MapConnectorRegistry connectors, int slots) {
        this.connectors = connectors;
        this.slots = slots;
    }

    @Override
    public StreamEnvironment setParallelism(int parallelism) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("The default parallelism must be at least 1, but got " + parallelism);
        }
        this.parallelism = parallelism;
        return this;
    }

    @Override
    public int getParallelism() {
        return parallelism;
    }

    @Override
    public StreamEnvironment setMaxParallelism(int maxParallelism) {
        if (maxParallelism < 1 || maxParallelism > 32768) {
            throw new IllegalArgumentException("The max parallelism must be from 1 to 32768, but got " + maxParallelism);
        }
        this.maxParallelism = maxParallelism;
        return this;
    }

    @Override
    public int getMaxParallelism() {
        return maxParallelism;
    }

    @Override
    public StreamEnvironment setAutoWatermarkInterval(java.time.Duration interval) {
        if (interval.toMillis() < 1) {
            throw new IllegalArgumentException("The auto-watermark interval must be at least 1 ms, but got " + interval);
        }
        this.autoWatermarkInterval = interval;
        return this;
    }

    @Override
    public java.time.Duration getAutoWatermarkInterval() {
        return autoWatermarkInterval;
    }

    @Override
    public StreamEnvironment setRuntimeMode(RuntimeExecutionMode mode) {
        this.mode = java.util.Objects.requireNonNull(mode, "mode");
        return this;
    }

    @Override
    public RuntimeExecutionMode getRuntimeMode() {
        return mode;
    }

    /**
     * Builds a packaged job into this environment: the Runnel options among {@code parameters} (see
     * {@code ExecutionOptions}) configure the environment, the others are the job's own parameters.
     * The job's class loader becomes the one state is read back through.
     *
     * @throws JobSubmissionException naming the bad option or parameter and its value
     */
    public void build(StreamJob job, String jobName, java.util.Map<String, String> parameters) throws JobSubmissionException {
        java.util.Map<String, String> options = new java.util.LinkedHashMap<>();
        java.util.Map<String, String> own = new java.util.LinkedHashMap<>();
        parameters.forEach((key, value) -> (ExecutionOptions.isExecutionOption(key) ? options : own).put(key, value));
        setJobClassLoader(job.getClass().getClassLoader());
        try {
            configure(options);
            job.build(this, java.util.Map.copyOf(own));
        } catch (IllegalArgumentException e) {
            throw new JobSubmissionException("Job '" + jobName + "' could not be built: " + e.getMessage(), e);
        }
    }

    @Override
    public CheckpointConfig getCheckpointConfig() {
        return checkpointConfig;
    }

    @Override
    public StreamEnvironment setRestartStrategy(RestartStrategy strategy) {
        this.restartStrategy = strategy;
        return this;
    }

    @Override
    public RestartStrategy getRestartStrategy() {
        return restartStrategy;
    }

    @Override
    public StreamEnvironment setSavepointRestore(SavepointRestore restore) {
        this.savepointRestore = restore;
        return this;
    }

    @Override
    public SavepointRestore getSavepointRestore() {
        return savepointRestore;
    }

    /**
     * How long each completed checkpoint of a job started here took, from trigger to metadata, in
     * milliseconds and in order; empty for a job without checkpoints. For benchmarks and tools.
     */
    public static List<Long> checkpointDurationsMillis(JobClient job) {
        if (job instanceof LocalJob local && local.coordinator() != null) {
            return local.coordinator().completedDurationsMillis();
        }
        return List.of();
    }

    @Override
    public StreamEnvironment setStateBackend(String name, Map<String, String> options) {
        this.stateBackend = java.util.Objects.requireNonNull(name, "name");
        this.stateBackendOptions = Map.copyOf(options);
        return this;
    }

    @Override
    public String getStateBackend() {
        return stateBackend;
    }

    /**
     * The state backend of jobs that choose none ({@code state.backend.type} of the node), and the node's
     * options of each backend by name ({@code state.backend.<name>.*} without that prefix), under which a
     * job's own options of its backend are laid.
     */
    public LocalStreamEnvironment setDefaultStateBackend(String name, Map<String, Map<String, String>> optionsByBackend) {
        this.defaultStateBackend = java.util.Objects.requireNonNull(name, "name");
        this.defaultStateBackendOptions = Map.copyOf(optionsByBackend);
        return this;
    }

    /** Where keyed state backends make their local working directories (the node's {@code <data-dir>/state-local}). */
    public LocalStreamEnvironment setLocalStateDirectory(Path directory) {
        this.localStateDirectory = java.util.Objects.requireNonNull(directory, "directory");
        return this;
    }

    /**
     * The job's state backend, looked up by name among the registered backends, with the node's and the
     * job's options, checked by the backend.
     *
     * @throws JobSubmissionException naming the backend and the registered ones, or the bad option
     */
    private StateBackendChoice stateBackendChoice(String jobName) throws JobSubmissionException {
        String name = stateBackend != null ? stateBackend : defaultStateBackend;
        StateBackendFactory factory = connectors.stateBackend(name);
        if (factory == null) {
            throw new JobSubmissionException("Job '" + jobName + "' asks for the state backend '" + name + "' ("
                    + ExecutionOptions.STATE_BACKEND_TYPE + "), but no state backend of that name is registered. "
                    + "Available: " + connectors.stateBackendNames() + ". Install the backend's bundle, or choose one"
                    + " of these");
        }
        Map<String, String> options = new java.util.TreeMap<>(defaultStateBackendOptions.getOrDefault(name, Map.of()));
        if (stateBackend != null) {
            options.putAll(stateBackendOptions);
        }
        try {
            factory.validateOptions(Map.copyOf(options));
        } catch (IllegalArgumentException e) {
            throw new JobSubmissionException("Job '" + jobName + "' cannot use the state backend '" + name + "': "
                    + e.getMessage(), e);
        }
        return new StateBackendChoice(name, factory, options, localStateDirectory);
    }

    /** Where checkpoints go when the job does not set {@code state.checkpoints.dir}. */
    public LocalStreamEnvironment setDefaultCheckpointDirectory(Path directory) {
        this.defaultCheckpointDirectory = java.util.Objects.requireNonNull(directory, "directory");
        return this;
    }

    /**
     * The class loader that sees the job's record and state types; state in checkpoints is read back
     * through it. Default: the thread's context class loader, else the runtime's.
     */
    public LocalStreamEnvironment setJobClassLoader(ClassLoader loader) {
        this.jobClassLoader = loader;
        return this;
    }

    private ClassLoader jobClassLoader() {
        if (jobClassLoader != null) {
            return jobClassLoader;
        }
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : LocalStreamEnvironment.class.getClassLoader();
    }

    @Override
    public <T> DataStream<T> fromSource(SourceDescriptor<T> source, String name) {
        return new DataStreamImpl<>(this, new Transformation.Source(nextId(), name, source));
    }

    @Override
    public JobClient executeAsync(String jobName) throws JobSubmissionException {
        return submit(jobName);
    }

    /** Starts the job built so far; the returned job knows the slots it occupies. */
    LocalJob submit(String jobName) throws JobSubmissionException {
        return submit(jobName, JobLaunch.fresh());
    }

    /**
     * Starts the job built so far under {@code launch}'s id and leader fence; a resumed job restores
     * from its newest intact checkpoint, else from its savepoint, else starts empty.
     */
    LocalJob submit(String jobName, JobLaunch launch) throws JobSubmissionException {
        JobGraph graph = buildGraph(jobName);
        if (graph.requiredSlots() > slots) {
            throw new JobSubmissionException("Job '" + jobName + "' needs " + graph.requiredSlots()
                    + " task slots (its highest operator parallelism) but " + slots
                    + " are available: lower the parallelism or add TaskManager slots");
        }
        JobDeployment deployment = prepare(jobName, graph);
        JobId jobId = launch.jobId();
        TypeSerializer<Object> serializer = Types.dynamic(jobClassLoader());
        CheckpointConfig config = checkpointConfig(jobName, deployment, serializer);
        CheckpointStorage storage = storage(config, jobId);
        SavepointRestore restore = takeSavepointRestore();
        CompletedCheckpoint resumeFrom = launch.resume() ? latestCheckpoint(jobName, storage) : null;
        RestoredState initial = null;
        if (resumeFrom != null) {
            initial = new RestoredState(resumeFrom, serializer);
            deployment.restoreFrom(initial, true);
        } else if (restore != null) {
            initial = new RestoredState(open(restore.path()), serializer);
            deployment.restoreFrom(initial, restore.allowNonRestoredState());
        }
        TaskSnapshots snapshots = new TaskSnapshots(jobName, config, serializer, graph.maxParallelism());
        CheckpointCoordinator coordinator = new CheckpointCoordinator(jobId.value(), jobName, config, storage,
                initial == null ? null : initial.checkpoint(), new LocalParticipants(snapshots));
        coordinator.setLeaderFence(launch.fence());
        LocalJob job = new LocalJob(jobId, jobName, graph.requiredSlots(), (listener, state) -> {
            deployment.restoreFrom(state, true);
            return deployment.plans(deployment.createTasks(listener));
        }, restartStrategy(config), snapshots, coordinator, config, initial);
        job.start();
        return job;
    }

    /**
     * The job's checkpoint settings, with which the deployment's channels are set up; a batch job
     * takes no periodic checkpoints (a failed batch job restarts from its beginning).
     */
    private CheckpointConfig checkpointConfig(String jobName, JobDeployment deployment, TypeSerializer<Object> serializer) {
        CheckpointConfig config = checkpointConfig.copy();
        deployment.checkpointing(config.getMode(), serializer);
        if (deployment.isBatch() && config.isEnabled()) {
            LOG.info("Job '{}' runs in BATCH mode: it takes no periodic checkpoints (a failed batch job restarts from"
                    + " its beginning)", jobName);
            config.setInterval(java.time.Duration.ZERO);
        }
        return config;
    }

    /** Where job {@code jobId}'s checkpoints go: {@code state.checkpoints.dir}, else this environment's default. */
    private CheckpointStorage storage(CheckpointConfig config, JobId jobId) {
        Path base = config.getDirectory() != null ? Path.of(config.getDirectory()) : defaultCheckpointDirectory;
        return new CheckpointStorage(base.toAbsolutePath(), jobId.value());
    }

    /**
     * The newest intact checkpoint of a job being resumed, or null if it completed none (damaged
     * ones are skipped with a WARN naming them).
     */
    private static CompletedCheckpoint latestCheckpoint(String jobName, CheckpointStorage storage)
            throws JobSubmissionException {
        try {
            CompletedCheckpoint latest = storage.latestCompleted().orElse(null);
            LOG.info("Job '{}' resumes from {}", jobName, latest == null
                    ? "its savepoint or from the start (no checkpoint completed in " + storage.jobDirectory() + ")"
                    : latest.directory());
            return latest;
        } catch (IOException e) {
            throw new JobSubmissionException("Job '" + jobName + "' cannot resume: its checkpoint directory "
                    + storage.jobDirectory() + " cannot be read (" + e.getMessage() + "); make it readable and"
                    + " the JobManager tries again when it next leads", e);
        }
    }

    /** The savepoint the job built so far starts from, or null; it applies to that job only. */
    private SavepointRestore takeSavepointRestore() {
        SavepointRestore restore = savepointRestore;
        savepointRestore = null;
        return restore;
    }

    /** The job's restart strategy; without one, a job with checkpoints restarts with exponential delay. */
    private RestartStrategy restartStrategy(CheckpointConfig config) {
        return restartStrategy != null ? restartStrategy
                : config.isEnabled() ? RestartStrategy.exponentialDelay() : RestartStrategy.none();
    }

    /** Opens and verifies a savepoint or checkpoint to start from; what is wrong with it fails the submission. */
    private static CompletedCheckpoint open(String path) throws JobSubmissionException {
        try {
            return CheckpointStorage.open(Path.of(path));
        } catch (IOException e) {
            throw new JobSubmissionException(e.getMessage(), e);
        }
    }

    /**
     * Starts this node's share of a job placed over several nodes: builds the job built so far, as
     * every node of the placement does from the same job code, and starts only the subtasks that
     * {@code placement} puts on {@code localNode}. Channels to and from subtasks on other nodes go
     * through this node's data server and client; the other nodes' shares may start before or after
     * this one.
     *
     * <p>The returned client covers this node's tasks only: its result completes when they have all
     * ended; it fails when one of them fails, including because a channel from another node broke.
     * Cancelling it cancels the tasks here, which fails their channels to the other nodes.
     *
     * @param dataServer this node's data server, listening at the address {@code placement} gives for
     *     {@code localNode}
     * @param dataClient this node's data client
     * @param jobClassLoader loads the job's record types on this node; records on channels between
     *     nodes are written with {@code Types.dynamic(jobClassLoader)}
     * <p>The share takes part in the checkpoints and savepoints the JobManager triggers, through its
     * {@link LocalJob#snapshots()}, which writes the state files of the tasks here.
     *
     * @param restorePath the checkpoint or savepoint to restore the subtasks here from, or null to
     *     start empty
     * @throws JobSubmissionException if the job does not match the placement (another slot count, or
     *     no slot on this node), a connector is missing, the state to restore is not valid, or another
     *     node's data server cannot be reached; nothing runs here then
     */
    LocalJob startPlaced(String jobName, Placement placement, String localNode, DataServer dataServer,
            DataClient dataClient, ClassLoader jobClassLoader, String restorePath) throws JobSubmissionException {
        java.util.Objects.requireNonNull(placement, "placement");
        java.util.Objects.requireNonNull(jobClassLoader, "jobClassLoader");
        JobGraph graph = buildGraph(jobName);
        try {
            placement.checkFits(graph, localNode);
        } catch (IllegalArgumentException e) {
            throw new JobSubmissionException(e.getMessage(), e);
        }
        JobDeployment deployment = prepare(jobName, graph);
        TypeSerializer<Object> serializer = Types.dynamic(jobClassLoader);
        CheckpointConfig config = checkpointConfig(jobName, deployment, serializer);
        SavepointRestore requested = takeSavepointRestore(); // the JobManager decides what each attempt restores from
        RestoredState initial = null;
        if (restorePath != null) {
            Path path = Path.of(restorePath).toAbsolutePath().normalize();
            // Only the user's own savepoint may be refused for unclaimed state; the job's checkpoints match it.
            boolean userSavepoint = requested != null && Path.of(requested.path()).toAbsolutePath().normalize().equals(path);
            initial = new RestoredState(open(restorePath), serializer);
            deployment.restoreFrom(initial, !userSavepoint || requested.allowNonRestoredState());
        }
        ChannelWiring wiring = ChannelWiring.placed(graph, placement, localNode, dataServer, dataClient,
                RecordSerializer.of(serializer));
        TaskSnapshots snapshots = new TaskSnapshots(jobName, config, serializer, graph.maxParallelism());
        LocalJob job = new LocalJob(new JobId(placement.jobId()), jobName, placement.slotsOf(localNode).size(),
                (listener, state) -> deployment.plans(deployment.createTasks(listener, wiring)),
                RestartStrategy.none(), snapshots, null, config, initial);
        job.start();
        return job;
    }

    /**
     * The JobManager's side of a job placed over several nodes, from the job built so far: its
     * restart strategy and checkpoint coordinator, which checks the savepoint the job starts from.
     *
     * @throws JobSubmissionException if the job or the savepoint it starts from is not valid
     */
    PlacedJobControl coordinatePlaced(String jobName, ClusterMessaging messaging, JobLaunch launch)
            throws JobSubmissionException {
        JobId jobId = launch.jobId();
        JobGraph graph = buildGraph(jobName);
        JobDeployment deployment = prepare(jobName, graph);
        CheckpointConfig config = checkpointConfig(jobName, deployment, Types.dynamic(jobClassLoader()));
        SavepointRestore restore = takeSavepointRestore();
        CheckpointStorage storage = storage(config, jobId);
        CompletedCheckpoint initial = launch.resume() ? latestCheckpoint(jobName, storage) : null;
        if (initial == null && restore != null) {
            initial = open(restore.path());
        }
        ClusterParticipants nodes = new ClusterParticipants(jobId.value(), messaging);
        CheckpointCoordinator checkpoints = new CheckpointCoordinator(jobId.value(), jobName, config, storage,
                initial, nodes);
        checkpoints.setLeaderFence(launch.fence());
        return new PlacedJobControl(jobName, restartStrategy(config), checkpoints, nodes, config.isRetainOnCancel(), initial);
    }

    /**
     * Checks the job built so far as a submission would (graph, connectors, execution mode) without
     * starting it, and returns the task slots it occupies.
     */
    int plan(String jobName) throws JobSubmissionException {
        JobGraph graph = buildGraph(jobName);
        prepare(jobName, graph);
        return graph.requiredSlots();
    }

    /** The job graph of everything built since the last submission (which it becomes). */
    JobGraph buildGraph(String jobName) throws JobSubmissionException {
        List<Transformation.Sink> jobSinks = List.copyOf(sinks);
        sinks.clear();
        return new JobGraphBuilder(parallelism, maxParallelism, this::sourceMaxParallelism).build(jobName, jobSinks);
    }

    /** A deployment of {@code graph} whose connectors are checked and whose execution mode is settled. */
    private JobDeployment prepare(String jobName, JobGraph graph) throws JobSubmissionException {
        JobDeployment deployment = new JobDeployment(graph, connectors);
        deployment.validateConnectors();
        deployment.validateUids();
        deployment.stateBackend(stateBackendChoice(jobName));
        List<String> unbounded = deployment.unboundedSources();
        if (mode == RuntimeExecutionMode.BATCH && !unbounded.isEmpty()) {
            throw new JobSubmissionException("Job '" + jobName + "' runs in BATCH mode, but these sources do not end by "
                    + "themselves: " + unbounded + ". Make them bounded or run the job in STREAMING mode");
        }
        deployment.batch(mode == RuntimeExecutionMode.BATCH || (mode == RuntimeExecutionMode.AUTOMATIC && unbounded.isEmpty()));
        return deployment;
    }

    /** The connectors this environment's jobs find by name; more can be added. */
    public MapConnectorRegistry connectors() {
        return connectors;
    }

    int nextId() {
        return nextId++;
    }

    void addSink(Transformation.Sink sink) {
        sinks.add(sink);
    }

    private int sourceMaxParallelism(SourceDescriptor<?> descriptor) {
        SourceProvider provider = connectors.source(descriptor.connector());
        return provider == null ? 0 : provider.maxParallelism(descriptor);
    }
}
