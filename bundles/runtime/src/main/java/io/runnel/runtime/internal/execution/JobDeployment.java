package io.runnel.runtime.internal.execution;

import io.runnel.api.stream.JobSubmissionException;
import io.runnel.api.stream.SinkDescriptor;
import io.runnel.api.stream.SourceDescriptor;
import io.runnel.runtime.internal.graph.JobEdge;
import io.runnel.runtime.internal.graph.JobGraph;
import io.runnel.runtime.internal.graph.JobVertex;
import io.runnel.runtime.internal.graph.Transformation;
import io.runnel.runtime.internal.operators.OperatorContext;
import io.runnel.runtime.internal.operators.SinkOperator;
import io.runnel.runtime.internal.operators.StreamOperator;
import io.runnel.runtime.internal.task.FanOut;
import io.runnel.runtime.internal.task.Output;
import io.runnel.runtime.internal.task.RecordWriter;
import io.runnel.runtime.internal.task.RoutingOutput;
import io.runnel.runtime.internal.task.StreamTask;
import io.runnel.spi.connector.SinkProvider;
import io.runnel.spi.connector.SinkWriter;
import io.runnel.spi.connector.SourceProvider;
import io.runnel.spi.connector.SourceReader;
import io.runnel.spi.connector.SubtaskInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a job graph into runnable tasks in this JVM: the operator chain of every subtask that runs
 * here, with one input gate per consuming subtask and one record writer per producing subtask and
 * edge. Which subtasks run here, and whether a channel stays in this JVM or crosses to another node,
 * is the {@link ChannelWiring}'s business; without one, every subtask runs here. Connectors are
 * looked up and checked first, so a job with an unknown connector or a bad parameter fails before
 * any task exists.
 */
final class JobDeployment {

    private final JobGraph graph;
    private final ConnectorRegistry connectors;
    private boolean batch;

    JobDeployment(JobGraph graph, ConnectorRegistry connectors) {
        this.graph = graph;
        this.connectors = connectors;
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

    /** Runs the tasks in batch mode (see {@code RuntimeExecutionMode.BATCH}). */
    JobDeployment batch(boolean batch) {
        this.batch = batch;
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
        try {
            wiring.connectInputs();
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
        StreamTask.ReaderFactory reader = null;
        for (int i = chain.size() - 1; i >= 0; i--) {
            Transformation operator = chain.get(i);
            OperatorContext context = contextFor(operator, subtask, vertex.parallelism());
            if (operator instanceof Transformation.Source source) {
                reader = readerFactory(source, context);
            } else {
                StreamOperator<Object> created = createOperator(operator, context, output);
                operators.add(0, created);
                output = created;
            }
        }
        return new StreamTask(description, reader, wiring.gate(vertex, subtask), output, operators, writers,
                wiring.listenerFor(vertex, subtask, listener), batch);
    }

    private OperatorContext contextFor(Transformation operator, int subtask, int parallelism) {
        if (operator instanceof Transformation.TwoInput two) {
            return new OperatorContext(operator.name(), subtask, parallelism, graph.maxParallelism(), two.firstKey(),
                    two.secondKey());
        }
        return new OperatorContext(operator.name(), subtask, parallelism, graph.maxParallelism(),
                operator instanceof Transformation.OneInput one ? one.keySelector() : null, null);
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
        return new SinkOperator(() -> {
            SinkWriter<Object> writer = provider.createWriter(descriptor, info);
            return writer;
        }, context);
    }

    private StreamTask.ReaderFactory readerFactory(Transformation.Source source, OperatorContext context)
            throws JobSubmissionException {
        SourceProvider provider = sourceProvider(source);
        @SuppressWarnings("unchecked")
        SourceDescriptor<Object> descriptor = (SourceDescriptor<Object>) source.descriptor();
        SubtaskInfo info = new SubtaskInfo(source.name(), context.subtaskIndex(), context.parallelism());
        return () -> {
            SourceReader<Object> reader = provider.createReader(descriptor, info);
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
