package io.runnel.runtime.internal.graph;

import io.runnel.api.stream.JobSubmissionException;
import io.runnel.api.stream.SourceDescriptor;
import io.runnel.runtime.internal.task.Partitioning;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * Turns the logical graph (everything that leads to the job's sinks) into a job graph: settles each
 * operator's parallelism, resolves partitionings and unions into edges, and chains operators joined
 * by a forward edge of equal parallelism where the consumer has that single input and the producer
 * that single output.
 */
public final class JobGraphBuilder {

    private final int defaultParallelism;
    private final int maxParallelism;
    private final ToIntFunction<SourceDescriptor<?>> sourceMaxParallelism;

    /**
     * @param sourceMaxParallelism the highest parallelism a source can use, 0 for no limit
     */
    public JobGraphBuilder(int defaultParallelism, int maxParallelism, ToIntFunction<SourceDescriptor<?>> sourceMaxParallelism) {
        this.defaultParallelism = defaultParallelism;
        this.maxParallelism = maxParallelism;
        this.sourceMaxParallelism = sourceMaxParallelism;
    }

    /** An edge between two operators before chaining. */
    private record Edge(Transformation from, Transformation to, Partitioning partitioning, String sideTag, int input) {}

    public JobGraph build(String jobName, List<Transformation.Sink> sinks) throws JobSubmissionException {
        if (sinks.isEmpty()) {
            throw new JobSubmissionException("Job '" + jobName + "' has no sink, so it would compute nothing: "
                    + "add print(), sinkTo(...) or use executeAndCollect(...)");
        }
        List<Transformation> operators = topologicalOrder(sinks);
        Map<Transformation, Integer> parallelism = new IdentityHashMap<>();
        for (Transformation operator : operators) {
            parallelism.put(operator, parallelismOf(operator));
        }

        List<Edge> edges = new ArrayList<>();
        Map<Transformation, List<Edge>> inputsOf = new IdentityHashMap<>();
        Map<Transformation, List<Edge>> outputsOf = new IdentityHashMap<>();
        for (Transformation operator : operators) {
            List<Transformation> operatorInputs = operator.inputs();
            for (int index = 0; index < operatorInputs.size(); index++) {
                Transformation input = operatorInputs.get(index);
                int inputIndex = index;
                for (Edge edge : resolve(input, operator, null, null, parallelism).stream()
                        .map(e -> new Edge(e.from(), e.to(), e.partitioning(), e.sideTag(), inputIndex)).toList()) {
                    edges.add(edge);
                    inputsOf.computeIfAbsent(edge.to(), k -> new ArrayList<>()).add(edge);
                    outputsOf.computeIfAbsent(edge.from(), k -> new ArrayList<>()).add(edge);
                }
            }
        }

        Map<Transformation, JobVertex> vertexOf = new IdentityHashMap<>();
        List<JobVertex> vertices = new ArrayList<>();
        Map<Transformation, List<Transformation>> chainOf = new IdentityHashMap<>();
        List<List<Transformation>> orderedChains = new ArrayList<>();
        for (Transformation operator : operators) {
            List<Edge> in = inputsOf.getOrDefault(operator, List.of());
            if (in.size() == 1 && !(operator instanceof Transformation.TwoInput) && chainable(in.get(0), outputsOf, parallelism)) {
                List<Transformation> chain = chainOf.get(in.get(0).from());
                chain.add(operator);
                chainOf.put(operator, chain);
            } else {
                List<Transformation> chain = new ArrayList<>();
                chain.add(operator);
                chainOf.put(operator, chain);
                orderedChains.add(chain);
            }
        }
        for (List<Transformation> chain : orderedChains) {
            JobVertex vertex = new JobVertex(vertices.size(), chain, parallelism.get(chain.get(0)));
            vertices.add(vertex);
            for (Transformation operator : chain) {
                vertexOf.put(operator, vertex);
            }
        }
        for (Edge edge : edges) {
            JobVertex from = vertexOf.get(edge.from());
            JobVertex to = vertexOf.get(edge.to());
            if (from != to) {
                JobEdge jobEdge = new JobEdge(from, to, edge.partitioning(), edge.sideTag(), edge.input());
                from.outputs.add(jobEdge);
                to.inputs.add(jobEdge);
            }
        }
        return new JobGraph(jobName, vertices, maxParallelism);
    }

    private boolean chainable(Edge edge, Map<Transformation, List<Edge>> outputsOf, Map<Transformation, Integer> parallelism) {
        // Side outputs leave from the end of a chain, so an operator whose side output is consumed ends it.
        return edge.sideTag() == null
                && edge.partitioning().kind() == Partitioning.Kind.FORWARD
                && parallelism.get(edge.from()).equals(parallelism.get(edge.to()))
                && outputsOf.get(edge.from()).size() == 1;
    }

    /** Operators reachable from the sinks, each after all of its inputs. */
    private static List<Transformation> topologicalOrder(List<Transformation.Sink> sinks) {
        Set<Transformation> visited = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        LinkedHashSet<Transformation> order = new LinkedHashSet<>();
        for (Transformation sink : sinks) {
            visit(sink, visited, order);
        }
        List<Transformation> operators = new ArrayList<>();
        for (Transformation t : order) {
            if (t.isPhysical()) {
                operators.add(t);
            }
        }
        return operators;
    }

    private static void visit(Transformation t, Set<Transformation> visited, LinkedHashSet<Transformation> order) {
        if (!visited.add(t)) {
            return;
        }
        for (Transformation input : t.inputs()) {
            visit(input, visited, order);
        }
        order.add(t);
    }

    private int parallelismOf(Transformation operator) throws JobSubmissionException {
        int chosen = operator.parallelism() > 0 ? operator.parallelism() : defaultParallelism;
        if (operator instanceof Transformation.Source source) {
            int limit = sourceMaxParallelism.applyAsInt(source.descriptor());
            if (limit > 0 && chosen > limit) {
                if (operator.parallelism() > 0) {
                    throw new JobSubmissionException("Source '" + operator.name() + "' can run at most " + limit
                            + " parallel subtask(s), but its parallelism is set to " + chosen);
                }
                chosen = limit;
            }
        }
        boolean keyed = operator instanceof Transformation.OneInput one && one.keySelector() != null
                || operator instanceof Transformation.TwoInput two && two.firstKey() != null;
        if (keyed && chosen > maxParallelism) {
            throw new JobSubmissionException("Keyed operator '" + operator.name() + "' has parallelism " + chosen
                    + ", above the job's max parallelism (key groups) of " + maxParallelism
                    + ": raise setMaxParallelism or lower the parallelism");
        }
        return chosen;
    }

    /** The operator edges that {@code input} stands for, seen from {@code consumer}. */
    private List<Edge> resolve(Transformation input, Transformation consumer, Partitioning chosen, String sideTag,
            Map<Transformation, Integer> parallelism) throws JobSubmissionException {
        if (input instanceof Transformation.Partition partition) {
            // The partitioning nearest to the consumer is the one that counts.
            return resolve(partition.inputs().get(0), consumer, chosen != null ? chosen : partition.partitioning(), sideTag,
                    parallelism);
        }
        if (input instanceof Transformation.Union union) {
            List<Edge> edges = new ArrayList<>();
            for (Transformation each : union.inputs()) {
                edges.addAll(resolve(each, consumer, chosen, sideTag, parallelism));
            }
            return edges;
        }
        if (input instanceof Transformation.SideOutput side) {
            return resolve(side.inputs().get(0), consumer, chosen, side.tag(), parallelism);
        }
        int from = parallelism.get(input);
        int to = parallelism.get(consumer);
        Partitioning partitioning = chosen != null ? chosen : from == to ? Partitioning.FORWARD : Partitioning.REBALANCE;
        if (partitioning.kind() == Partitioning.Kind.FORWARD && from != to) {
            throw new JobSubmissionException("forward() from '" + input.name() + "' (parallelism " + from + ") to '"
                    + consumer.name() + "' (parallelism " + to + ") needs equal parallelism: use rebalance() instead");
        }
        return List.of(new Edge(input, consumer, partitioning, sideTag, 0));
    }
}
