package io.runnel.runtime.internal.execution;

import io.runnel.api.stream.CheckpointingMode;
import io.runnel.api.stream.JobSubmissionException;
import io.runnel.api.stream.SinkDescriptor;
import io.runnel.api.stream.SourceDescriptor;
import io.runnel.runtime.internal.checkpoint.OperatorState;
import io.runnel.runtime.internal.checkpoint.RestoredState;
import io.runnel.runtime.internal.checkpoint.SubtaskStateCodec;
import io.runnel.runtime.internal.checkpoint.TaskCheckpointPlan;
import io.runnel.runtime.internal.graph.JobEdge;
import io.runnel.runtime.internal.graph.JobGraph;
import io.runnel.runtime.internal.graph.JobVertex;
import io.runnel.runtime.internal.graph.Transformation;
import io.runnel.runtime.internal.operators.OperatorContext;
import io.runnel.runtime.internal.operators.OperatorSnapshot;
import io.runnel.runtime.internal.operators.SinkOperator;
import io.runnel.runtime.internal.operators.StreamOperator;
import io.runnel.runtime.internal.state.StateBackendChoice;
import io.runnel.api.types.TypeSerializer;
import io.runnel.runtime.internal.task.FanOut;
import io.runnel.runtime.internal.task.InFlightRecords;
import io.runnel.runtime.internal.task.Output;
import io.runnel.runtime.internal.task.RecordWriter;
import io.runnel.runtime.internal.task.RoutingOutput;
import io.runnel.runtime.internal.task.StreamTask;
import io.runnel.spi.connector.SinkProvider;
import io.runnel.spi.connector.SinkWriter;
import io.runnel.spi.connector.SourceProvider;
import io.runnel.spi.connector.SourceReader;
import io.runnel.spi.connector.SubtaskInfo;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Turns a job graph into runnable tasks in this JVM: the operator chain of every subtask that runs
 * here, with one input gate per consuming subtask and one record writer per producing subtask and
 * edge. Which subtasks run here, and whether a channel stays in this JVM or crosses to another node,
 * is the {@link ChannelWiring}'s business; without one, every subtask runs here. Connectors are
 * looked up and checked first, so a job with an unknown connector or a bad parameter fails before
 * any task exists.
 *
 * <p>Every operator has a uid, under which checkpoints file its state: the one the user gave, else
 * one made of its position in the job and its name ({@code auto-3-parse}), which stays the same as
 * long as the job is built the same way. A deployment restored from a checkpoint gives each
 * operator subtask its share of the state saved under its uid; the task of a chain whose first
 * operator has in-flight records (an unaligned checkpoint) processes those first.
 */
final class JobDeployment {

    private final JobGraph graph;
    private final ConnectorRegistry connectors;
    private final Map<Transformation, String> uids = new IdentityHashMap<>();
    private final Map<StreamTask, TaskCheckpointPlan> plans = new IdentityHashMap<>();
    private boolean batch;
    private RestoredState restore;
    private CheckpointingMode checkpointingMode = CheckpointingMode.EXACTLY_ONCE;
    private TypeSerializer<Object> inFlightCopier;
    /** Where keyed operators keep their state; null until chosen (a job without keyed operators needs none). */
    private StateBackendChoice stateBackend;

    JobDeployment(JobGraph graph, ConnectorRegistry connectors) {
        this.graph = graph;
        this.connectors = connectors;
        for (JobVertex vertex : graph.vertices()) {
            for (Transformation operator : vertex.chain()) {
                uids.put(operator, operator.uid() != null ? operator.uid() : "auto-" + operator.id() + "-" + operator.name());
            }
        }
    }

    /** Keyed operators keep their state in {@code backend}. */
    void stateBackend(StateBackendChoice backend) {
        this.stateBackend = backend;
    }

    /** Checks that no two operators share a uid; the message names the uid and both operators. */
    void validateUids() throws JobSubmissionException {
        Map<String, Transformation> seen = new HashMap<>();
        for (Map.Entry<Transformation, String> entry : uids.entrySet()) {
            Transformation other = seen.put(entry.getValue(), entry.getKey());
            if (other != null) {
                throw new JobSubmissionException("Operators '" + other.name() + "' and '" + entry.getKey().name()
                        + "' have the same uid '" + entry.getValue() + "'; give each operator a uid of its own");
            }
        }
    }

    /**
     * Restores every task created from now on from {@code state}, or starts them empty with null.
     *
     * @param allowNonRestoredState whether state for uids this job lacks may be dropped
     * @throws JobSubmissionException if the state has operators this job lacks (and that is not
     *     allowed), or keyed state of another max parallelism
     */
    void restoreFrom(RestoredState state, boolean allowNonRestoredState) throws JobSubmissionException {
        if (state != null) {
            java.util.Set<String> unclaimed = new TreeSet<>(state.operatorUids());
            // uids is an IdentityHashMap, whose values() compares with ==, while the uids read back from
            // a savepoint are other String instances: compare through a set of equal strings.
            unclaimed.removeAll(new java.util.HashSet<>(uids.values()));
            if (!unclaimed.isEmpty() && !allowNonRestoredState) {
                throw new JobSubmissionException("Cannot start job '" + graph.name() + "' from " + state + ": it holds state"
                        + " for operator uid(s) " + unclaimed + " that the job does not have (its uids: "
                        + new TreeSet<>(uids.values()) + "). Give the operators those uids, or allow dropping that state"
                        + " (execution.savepoint.ignore-unclaimed-state=true)");
            }
            for (String uid : uids.values()) {
                java.util.Optional<OperatorState> saved = state.operator(uid);
                if (saved.isPresent() && saved.get().maxParallelism() != graph.maxParallelism()
                        && saved.get().maxParallelism() != Math.max(graph.maxParallelism(), saved.get().parallelism())) {
                    throw new JobSubmissionException("Cannot start job '" + graph.name() + "' from " + state + ": operator '"
                            + uid + "' was saved with max parallelism " + saved.get().maxParallelism() + ", but the job has "
                            + graph.maxParallelism() + ". Keep the max parallelism of a job across restores"
                            + " (StreamEnvironment.setMaxParallelism)");
                }
            }
        }
        this.restore = state;
    }

    /** The uid under which {@code operator}'s state is saved. */
    String uidOf(Transformation operator) {
        return uids.get(operator);
    }

    /** What each of {@code tasks} saves at a checkpoint, for the checkpoint coordinator. */
    List<TaskCheckpointPlan> plans(List<StreamTask> tasks) {
        List<TaskCheckpointPlan> list = new ArrayList<>();
        for (StreamTask task : tasks) {
            list.add(plans.get(task));
        }
        return list;
    }

    /** Checks every connector of the job; the messages name the operator, the connector and what is wrong. */
    void validateConnectors() throws JobSubmissionException {
        for (JobVertex vertex : graph.vertices()) {
            for (Transformation operator : vertex.chain()) {
                try {
                    if (operator instanceof Transformation.Source source) {
                        sourceProvider(source).validate(source.descriptor());
                    } else if (operator instanceof Transformation.Sink sink && sink.descriptor() != null) {
                        sinkProvider(sink).validate(sink.descriptor());
                    }
                } catch (IllegalArgumentException e) {
                    throw new JobSubmissionException("Operator '" + operator.name() + "' is misconfigured: " + e.getMessage(), e);
                }
            }
        }
        // Then the sinks of each connector together (a Kafka sink refuses a transactional-id prefix used twice).
        Map<SinkProvider, List<SinkDescriptor<?>>> byConnector = new LinkedHashMap<>();
        Map<SinkProvider, List<String>> names = new LinkedHashMap<>();
        for (JobVertex vertex : graph.vertices()) {
            for (Transformation operator : vertex.chain()) {
                if (operator instanceof Transformation.Sink sink && sink.descriptor() != null) {
                    SinkProvider provider = sinkProvider(sink);
                    byConnector.computeIfAbsent(provider, p -> new ArrayList<>()).add(sink.descriptor());
                    names.computeIfAbsent(provider, p -> new ArrayList<>()).add(sink.name());
                }
            }
        }
        for (Map.Entry<SinkProvider, List<io.runnel.api.stream.SinkDescriptor<?>>> entry : byConnector.entrySet()) {
            try {
                entry.getKey().validateJob(List.copyOf(entry.getValue()));
            } catch (IllegalArgumentException e) {
                throw new JobSubmissionException("Sinks " + names.get(entry.getKey()) + " do not fit together: "
                        + e.getMessage(), e);
            }
        }
    }

    /** The names of the job's sources that do not end by themselves. */
    List<String> unboundedSources() throws JobSubmissionException {
        List<String> unbounded = new ArrayList<>();
        for (JobVertex vertex : graph.vertices()) {
            for (Transformation operator : vertex.chain()) {
                if (operator instanceof Transformation.Source source && !sourceProvider(source).isBounded(source.descriptor())) {
                    unbounded.add(source.name());
                }
            }
        }
        return unbounded;
    }

    boolean isBatch() {
        return batch;
    }

    /** Runs the tasks in batch mode (see {@code RuntimeExecutionMode.BATCH}). */
    JobDeployment batch(boolean batch) {
        this.batch = batch;
        return this;
    }

    /**
     * How the tasks created from now on treat checkpoint barriers (see {@code InputGate}).
     *
     * @param records the job's serializer: it copies records kept as in-flight state of unaligned
     *     checkpoints
     */
    JobDeployment checkpointing(CheckpointingMode mode, TypeSerializer<Object> records) {
        this.checkpointingMode = java.util.Objects.requireNonNull(mode, "mode");
        this.inFlightCopier = records;
        return this;
    }

    /** Creates every subtask's task, all in this JVM, joined by in-JVM channels. */
    List<StreamTask> createTasks(StreamTask.Listener listener) throws JobSubmissionException {
        return createTasks(listener, ChannelWiring.allLocal(graph));
    }

    /**
     * Creates the tasks of the subtasks that run on this node, with channels made by {@code wiring}.
     * If that fails, the network ends made so far are released and no task exists.
     */
    List<StreamTask> createTasks(StreamTask.Listener listener, ChannelWiring wiring) throws JobSubmissionException {
        plans.clear();
        try {
            wiring.checkpointing(checkpointingMode, inFlightCopier).connectInputs();
            List<StreamTask> tasks = new ArrayList<>();
            for (JobVertex vertex : graph.vertices()) {
                for (int subtask = 0; subtask < vertex.parallelism(); subtask++) {
                    if (wiring.runsHere(vertex, subtask)) {
                        tasks.add(createTask(vertex, subtask, wiring, listener));
                    }
                }
            }
            return tasks;
        } catch (JobSubmissionException | RuntimeException e) {
            wiring.releaseAll(e);
            throw e;
        }
    }

    /** How tasks, channels and errors name a subtask: {@code 'map -> filter' (2/4)}. */
    static String describe(JobVertex vertex, int subtask) {
        return "'" + vertex.name() + "' (" + (subtask + 1) + "/" + vertex.parallelism() + ")";
    }

    private StreamTask createTask(JobVertex vertex, int subtask, ChannelWiring wiring, StreamTask.Listener listener)
            throws JobSubmissionException {
        String description = describe(vertex, subtask);
        List<RecordWriter> writers = new ArrayList<>();
        List<RecordWriter> mainWriters = new ArrayList<>();
        Map<String, List<RecordWriter>> sideWriters = new HashMap<>();
        for (JobEdge edge : vertex.outputs()) {
            RecordWriter writer = wiring.writer(edge, subtask, description);
            writers.add(writer);
            if (edge.sideTag() == null) {
                mainWriters.add(writer);
            } else {
                sideWriters.computeIfAbsent(edge.sideTag(), tag -> new ArrayList<>()).add(writer);
            }
        }
        Output<Object> output = sideWriters.isEmpty()
                ? (writers.size() == 1 ? writers.get(0) : new FanOut(writers))
                : new RoutingOutput(mainWriters, sideWriters, writers);

        // Build the chain from its tail back to its head, each operator emitting into the next.
        List<Transformation> chain = vertex.chain();
        List<StreamOperator<Object>> operators = new ArrayList<>();
        List<OperatorSnapshot> restored = restore == null ? null : new ArrayList<>();
        List<String> operatorUids = new ArrayList<>();
        String sourceUid = null;
        StreamTask.ReaderFactory reader = null;
        InFlightRecords inFlight = null;
        for (int i = chain.size() - 1; i >= 0; i--) {
            Transformation operator = chain.get(i);
            OperatorContext context = contextFor(operator, subtask, vertex.parallelism());
            SubtaskStateCodec.Restored state = restoredState(operator, subtask, vertex.parallelism());
            if (operator instanceof Transformation.Source source) {
                sourceUid = uidOf(operator);
                reader = readerFactory(source, context, restoredSplits(source, state, vertex.parallelism()));
            } else {
                StreamOperator<Object> created = createOperator(operator, context, output);
                operators.add(0, created);
                operatorUids.add(0, uidOf(operator));
                if (restored != null) {
                    restored.add(0, state == null ? null : state.snapshot());
                }
                if (i == 0 && state != null) {
                    inFlight = state.inFlight();
                }
                output = created;
            }
        }
        StreamTask task = new StreamTask(description, reader, wiring.gate(vertex, subtask), output, operators, writers,
                wiring.listenerFor(vertex, subtask, listener), batch, restored);
        task.replayFirst(inFlight);
        plans.put(task, new TaskCheckpointPlan(task, subtask, vertex.parallelism(), sourceUid, operatorUids));
        return task;
    }

    /** The share of the restored state for one operator subtask, or null (no restore, or no state saved for it). */
    private SubtaskStateCodec.Restored restoredState(Transformation operator, int subtask, int parallelism)
            throws JobSubmissionException {
        if (restore == null) {
            return null;
        }
        try {
            return restore.subtask(uidOf(operator), subtask, parallelism);
        } catch (IOException | RuntimeException e) {
            throw new JobSubmissionException("Operator '" + operator.name() + "' (uid " + uidOf(operator) + ") subtask "
                    + (subtask + 1) + "/" + parallelism + " cannot be restored from " + restore + ": " + e.getMessage(), e);
        }
    }

    private OperatorContext contextFor(Transformation operator, int subtask, int parallelism) {
        if (operator instanceof Transformation.TwoInput two) {
            return new OperatorContext(operator.name(), subtask, parallelism, graph.maxParallelism(), two.firstKey(),
                    two.secondKey(), uidOf(operator), stateBackend);
        }
        return new OperatorContext(operator.name(), subtask, parallelism, graph.maxParallelism(),
                operator instanceof Transformation.OneInput one ? one.keySelector() : null, null, uidOf(operator),
                stateBackend);
    }

    private StreamOperator<Object> createOperator(Transformation operator, OperatorContext context, Output<Object> output)
            throws JobSubmissionException {
        if (operator instanceof Transformation.OneInput one) {
            return one.factory().create(context, output);
        }
        if (operator instanceof Transformation.TwoInput two) {
            return two.factory().create(context, output);
        }
        Transformation.Sink sink = (Transformation.Sink) operator;
        if (sink.internal() != null) {
            return sink.internal().create(context, output);
        }
        SinkProvider provider = sinkProvider(sink);
        @SuppressWarnings("unchecked")
        SinkDescriptor<Object> descriptor = (SinkDescriptor<Object>) sink.descriptor();
        SubtaskInfo info = new SubtaskInfo(sink.name(), context.subtaskIndex(), context.parallelism());
        return new SinkOperator(restoredState -> {
            SinkWriter<Object> writer = restoredState == null ? provider.createWriter(descriptor, info)
                    : provider.restoreWriter(descriptor, info, restoredState);
            return writer;
        }, context);
    }

    /**
     * The splits a source subtask resumes from: its share of the restored ones, or all of them if
     * its connector assigns splits by its own rule ({@code SourceProvider.restoresAllSplits}); null
     * when the job does not restore the source.
     */
    private List<byte[]> restoredSplits(Transformation.Source source, SubtaskStateCodec.Restored state, int parallelism)
            throws JobSubmissionException {
        if (state == null || state.sourceSplits() == null) {
            return null;
        }
        if (!sourceProvider(source).restoresAllSplits(source.descriptor())) {
            return state.sourceSplits();
        }
        List<byte[]> all = new ArrayList<>();
        for (int subtask = 0; subtask < parallelism; subtask++) {
            SubtaskStateCodec.Restored share = restoredState(source, subtask, parallelism);
            if (share != null && share.sourceSplits() != null) {
                all.addAll(share.sourceSplits());
            }
        }
        return all;
    }

    /** @param splits the positions to resume from, or null to start the source from its beginning */
    private StreamTask.ReaderFactory readerFactory(Transformation.Source source, OperatorContext context, List<byte[]> splits)
            throws JobSubmissionException {
        SourceProvider provider = sourceProvider(source);
        @SuppressWarnings("unchecked")
        SourceDescriptor<Object> descriptor = (SourceDescriptor<Object>) source.descriptor();
        SubtaskInfo info = new SubtaskInfo(source.name(), context.subtaskIndex(), context.parallelism());
        return () -> {
            SourceReader<Object> reader = splits == null ? provider.createReader(descriptor, info)
                    : provider.restoreReader(descriptor, info, splits);
            return reader;
        };
    }

    private SourceProvider sourceProvider(Transformation.Source source) throws JobSubmissionException {
        return installed("Source", source.name(), source.descriptor().connector(), connectors.source(source.descriptor().connector()),
                connectors.sourceNames());
    }

    private SinkProvider sinkProvider(Transformation.Sink sink) throws JobSubmissionException {
        return installed("Sink", sink.name(), sink.descriptor().connector(), connectors.sink(sink.descriptor().connector()),
                connectors.sinkNames());
    }

    /** The provider found, or an error naming the operator, the connector and what is installed. */
    private static <P> P installed(String kind, String operator, String connector, P provider, java.util.Set<String> installed)
            throws JobSubmissionException {
        if (provider == null) {
            throw new JobSubmissionException(kind + " '" + operator + "' uses the connector '" + connector + "', but no "
                    + kind.toLowerCase(java.util.Locale.ROOT) + " connector of that name is installed (installed: "
                    + installed + "). Deploy the bundle that provides it.");
        }
        return provider;
    }
}
