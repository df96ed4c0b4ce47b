package io.runnel.runtime.internal.execution;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.api.JobId;
import io.runnel.api.cluster.NodeId;
import io.runnel.api.cluster.NodeInfo;
import io.runnel.api.cluster.NodeRole;
import io.runnel.api.stream.ExecutionOptions;
import io.runnel.api.stream.JobStatus;
import io.runnel.api.stream.Sources;
import io.runnel.api.stream.StreamJob;
import io.runnel.connectors.basic.internal.DatagenSource;
import io.runnel.runtime.internal.checkpoint.CompletedCheckpoint;
import io.runnel.runtime.internal.checkpoint.OperatorState;
import io.runnel.spi.cluster.ClusterMembership;
import io.runnel.spi.cluster.ClusterMessaging;
import io.runnel.spi.cluster.MembershipListener;
import io.runnel.spi.cluster.MessageListener;
import io.runnel.spi.cluster.Registration;
import io.runnel.spi.connector.SourceProvider;
import io.runnel.spi.control.TaskDeployment;
import io.runnel.spi.control.TaskExecutor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints of a job placed over two nodes, in one JVM: the JobManager's side
 * ({@link LocalJobExecutor#coordinatePlaced}) and two TaskManagers' {@link PlacedTaskExecutor}s with
 * their own data servers, talking over an in-memory stand-in for the cluster's messaging that
 * delivers on one thread, as the real one does. The job's keyed windows are spread over both nodes,
 * so barriers cross the data plane.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PlacedCheckpointTest {

    private static final NodeId JM = new NodeId("jm");
    private static final NodeId A = new NodeId("a");
    private static final NodeId B = new NodeId("b");

    @TempDir
    Path directory;

    private final Hub hub = new Hub();
    private final List<PlacedTaskExecutor> taskManagers = new ArrayList<>();
    private final List<TaskExecutor.TaskGroup> groups = new ArrayList<>();

    @AfterEach
    void stop() {
        groups.forEach(TaskExecutor.TaskGroup::cancel);
        taskManagers.forEach(PlacedTaskExecutor::deactivate);
        hub.dispatch.shutdownNow();
    }

    @Test
    void aJobOverTwoNodesCheckpointsStopsWithASavepointAndResumesOnOneNodeWithTheUninterruptedResult() throws Exception {
        ConnectorServices connectors = connectors();
        LocalJobExecutor jobManager = new LocalJobExecutor(connectors, Map.of("node.data-dir", directory.toString()));
        Map<NodeId, PlacedTaskExecutor> nodes = new LinkedHashMap<>();
        for (NodeId node : List.of(A, B)) {
            PlacedTaskExecutor executor = new PlacedTaskExecutor(connectors, membership(node), hub.view(node));
            taskManagers.add(executor);
            nodes.put(node, executor);
        }
        StreamJob job = (env, parameters) -> SavepointRecoveryTest.windowJob(env, TransactionalTestSink.into("placed"));
        Map<String, String> parameters = Map.of(ExecutionOptions.CHECKPOINTING_INTERVAL, "50ms");

        JobId first = JobId.generate();
        PlacedJobControl control = (PlacedJobControl) jobManager.coordinatePlaced(job, first, "placed", 4, parameters,
                hub.view(JM));
        Map<NodeId, CompletableFuture<TaskExecutor.Outcome>> ended = deploy(nodes, job, new TaskDeployment(first, 0,
                "placed", "placed", 4, parameters, List.of(A, A, B, B), addresses(nodes), control.restorePath()));
        control.attemptRunning(0, Set.of(A, B));

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while ((control.checkpoints().completedDurationsMillis().size() < 3
                || TransactionalTestSink.committed("placed").isEmpty()) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        CompletedCheckpoint checkpoint = control.checkpoints().latestCompleted().orElseThrow();
        OperatorState windows = checkpoint.metadata().operator("windows").orElseThrow();
        assertThat(windows.subtaskStates().keySet()).as("the state files of both nodes' subtasks").containsExactly(0, 1, 2, 3);
        // Retention may delete it by now: compare the path, not the file.
        assertThat(checkpoint.directory().toString()).as("under the JobManager's node.data-dir")
                .startsWith(directory.resolve("checkpoints").resolve(first.value()).toString());

        String savepoint = control.triggerSavepoint(directory.resolve("savepoints").toString(), false).get(30, TimeUnit.SECONDS);
        for (CompletableFuture<TaskExecutor.Outcome> outcome : ended.values()) {
            assertThat(outcome.get(30, TimeUnit.SECONDS)).isEqualTo(TaskExecutor.Outcome.FINISHED);
        }
        control.jobEnded(JobStatus.FINISHED);
        assertThat(SavepointRecoveryTest.merged(TransactionalTestSink.committed("placed"))).as("windows committed before the stop")
                .isNotEmpty().hasSizeLessThan(SavepointRecoveryTest.expectedWindows().size());

        // A new job from the savepoint, at parallelism 2, both slots on node b.
        Map<String, List<String>> beforeStop = TransactionalTestSink.transactions("placed");
        StreamJob resumed = (env, ignored) -> SavepointRecoveryTest.windowJob(env, TransactionalTestSink.reset("placed", beforeStop));
        Map<String, String> resumeParameters = new HashMap<>(parameters);
        resumeParameters.put(ExecutionOptions.SAVEPOINT_PATH, savepoint);
        JobId second = JobId.generate();
        PlacedJobControl again = (PlacedJobControl) jobManager.coordinatePlaced(resumed, second, "placed", 2,
                resumeParameters, hub.view(JM));
        assertThat(again.restorePath()).isEqualTo(Path.of(savepoint).toString());
        Map<NodeId, CompletableFuture<TaskExecutor.Outcome>> resumedEnded = deploy(Map.of(B, nodes.get(B)), resumed,
                new TaskDeployment(second, 0, "placed", "placed", 2, resumeParameters, List.of(B, B), addresses(nodes),
                        again.restorePath()));
        again.attemptRunning(0, Set.of(B));
        assertThat(resumedEnded.get(B).get(60, TimeUnit.SECONDS)).isEqualTo(TaskExecutor.Outcome.FINISHED);
        again.jobEnded(JobStatus.FINISHED);

        List<String> all = TransactionalTestSink.committed("placed");
        assertThat(all).as("no window is committed twice").doesNotHaveDuplicates();
        SavepointRecoveryTest.assertSameWindows(SavepointRecoveryTest.merged(all), SavepointRecoveryTest.expectedWindows());
    }

    /**
     * A bounded job whose tasks on node a end long before those on node b: a short pipeline runs on
     * both nodes, a long one (parallelism 1, slot 0) on node b only. Node a's share finishes after
     * its final checkpoint; checkpoints go on, node a answering them with its tasks' final state,
     * until node b's tasks took theirs. Every record is committed exactly once.
     */
    @Test
    void aNodeWhoseTasksEndedFirstAnswersLaterCheckpointsWithTheirFinalState() throws Exception {
        ConnectorServices connectors = connectors();
        LocalJobExecutor jobManager = new LocalJobExecutor(connectors, Map.of("node.data-dir", directory.toString()));
        Map<NodeId, PlacedTaskExecutor> nodes = new LinkedHashMap<>();
        for (NodeId node : List.of(A, B)) {
            PlacedTaskExecutor executor = new PlacedTaskExecutor(connectors, membership(node), hub.view(node));
            taskManagers.add(executor);
            nodes.put(node, executor);
        }
        long shortCount = 1_000;
        long longCount = 600;
        StreamJob job = (env, parameters) -> {
            env.fromSource(Sources.generator(shortCount, i -> i), "short numbers")
                    .sinkTo(TransactionalTestSink.into("staggered short"), "short sink");
            env.fromSource(Sources.generator(longCount, 400, i -> i), "long numbers").setParallelism(1)
                    .sinkTo(TransactionalTestSink.into("staggered long"), "long sink").setParallelism(1);
        };
        Map<String, String> parameters = Map.of(ExecutionOptions.CHECKPOINTING_INTERVAL, "30ms");
        JobId id = JobId.generate();
        PlacedJobControl control = (PlacedJobControl) jobManager.coordinatePlaced(job, id, "staggered", 2, parameters,
                hub.view(JM));
        // Slot 0 (every subtask 0, and the long pipeline) on node b; slot 1 on node a.
        Map<NodeId, CompletableFuture<TaskExecutor.Outcome>> ended = deploy(nodes, job, new TaskDeployment(id, 0,
                "staggered", "staggered", 2, parameters, List.of(B, A), addresses(nodes), control.restorePath()));
        control.attemptRunning(0, Set.of(A, B));

        assertThat(ended.get(A).get(60, TimeUnit.SECONDS)).isEqualTo(TaskExecutor.Outcome.FINISHED);
        control.nodeFinished(A); // what the JobManager's ClusterJob does on node a's report
        assertThat(ended.get(B)).as("node b still runs the long pipeline").isNotDone();
        int completedWhenAFinished = control.checkpoints().completedDurationsMillis().size();
        assertThat(ended.get(B).get(60, TimeUnit.SECONDS)).isEqualTo(TaskExecutor.Outcome.FINISHED);
        control.nodeFinished(B);

        assertThat(control.checkpoints().completedDurationsMillis().size()).as("checkpoints after node a finished")
                .isGreaterThan(completedWhenAFinished);
        CompletedCheckpoint last = control.checkpoints().latestCompleted().orElseThrow();
        assertThat(last.metadata().operators()).filteredOn(operator -> operator.parallelism() == 2)
                .isNotEmpty().allSatisfy(operator -> assertThat(operator.subtaskStates().keySet())
                        .as("state of %s from both nodes", operator.operatorUid()).containsExactly(0, 1));
        control.jobEnded(JobStatus.FINISHED);
        assertThat(TransactionalTestSink.committed("staggered short")).containsExactlyInAnyOrderElementsOf(numbers(shortCount));
        assertThat(TransactionalTestSink.committed("staggered long")).containsExactlyInAnyOrderElementsOf(numbers(longCount));
    }

    private static List<String> numbers(long count) {
        return java.util.stream.LongStream.range(0, count).mapToObj(String::valueOf).toList();
    }

    @Test
    void aCheckpointWithANodeThatDoesNotRunTheAttemptIsDeclinedAndAbandoned() throws Exception {
        ConnectorServices connectors = connectors();
        LocalJobExecutor jobManager = new LocalJobExecutor(connectors, Map.of("node.data-dir", directory.toString()));
        PlacedTaskExecutor a = new PlacedTaskExecutor(connectors, membership(A), hub.view(A));
        taskManagers.add(a);
        StreamJob job = (env, parameters) -> SavepointRecoveryTest.windowJob(env, TransactionalTestSink.into("declined"));
        JobId id = JobId.generate();
        PlacedJobControl control = (PlacedJobControl) jobManager.coordinatePlaced(job, id, "declined", 1, Map.of(),
                hub.view(JM));
        control.attemptRunning(0, Set.of(A)); // a runs nothing of this job
        CompletableFuture<String> savepoint = control.triggerSavepoint(directory.resolve("savepoints").toString(), null);
        assertThat(savepoint).failsWithin(Duration.ofSeconds(10)).withThrowableThat()
                .withMessageContaining("node a declined it").withMessageContaining("does not run on this node");
        control.jobEnded(JobStatus.CANCELED);
    }

    private Map<NodeId, CompletableFuture<TaskExecutor.Outcome>> deploy(Map<NodeId, PlacedTaskExecutor> nodes, StreamJob job,
            TaskDeployment deployment) throws Exception {
        Map<NodeId, CompletableFuture<TaskExecutor.Outcome>> ended = new LinkedHashMap<>();
        for (NodeId node : new java.util.LinkedHashSet<>(deployment.slotNodes())) {
            CompletableFuture<TaskExecutor.Outcome> outcome = new CompletableFuture<>();
            groups.add(nodes.get(node).deploy(job, deployment, node, (how, failure) -> outcome.complete(how)));
            ended.put(node, outcome);
        }
        return ended;
    }

    private static Map<NodeId, String> addresses(Map<NodeId, PlacedTaskExecutor> nodes) {
        Map<NodeId, String> addresses = new HashMap<>();
        nodes.forEach((node, executor) -> addresses.put(node, executor.dataAddress()));
        return addresses;
    }

    private static ConnectorServices connectors() {
        ConnectorServices connectors = new ConnectorServices();
        connectors.addSource(new DatagenSource(), Map.of(SourceProvider.CONNECTOR, "datagen"));
        connectors.addStateBackend(new io.runnel.state.heap.HeapStateBackendFactory(),
                Map.of(io.runnel.spi.state.StateBackendFactory.BACKEND, "heap"));
        connectors.addSink(new TransactionalTestSink(), Map.of(SourceProvider.CONNECTOR, TransactionalTestSink.CONNECTOR));
        return connectors;
    }

    private static ClusterMembership membership(NodeId node) {
        return new ClusterMembership() {
            @Override
            public NodeInfo localNode() {
                return new NodeInfo(node, "127.0.0.1", 5701, Set.of(NodeRole.TASKMANAGER));
            }

            @Override
            public List<NodeInfo> nodes() {
                return List.of(localNode());
            }

            @Override
            public Registration addListener(MembershipListener listener) {
                return () -> {};
            }
        };
    }

    /** Messages between the test's nodes, delivered on one thread in the order they were sent. */
    private static final class Hub {
        final ExecutorService dispatch = Executors.newSingleThreadExecutor();
        final Map<NodeId, Map<String, List<MessageListener>>> listeners = new ConcurrentHashMap<>();

        ClusterMessaging view(NodeId self) {
            return new ClusterMessaging() {
                @Override
                public void send(NodeId target, String topic, byte[] payload) {
                    dispatch.execute(() -> listeners.getOrDefault(target, Map.of()).getOrDefault(topic, List.of())
                            .forEach(listener -> listener.onMessage(self, payload)));
                }

                @Override
                public Registration listen(String topic, MessageListener listener) {
                    listeners.computeIfAbsent(self, n -> new ConcurrentHashMap<>())
                            .computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>()).add(listener);
                    return () -> listeners.get(self).get(topic).remove(listener);
                }
            };
        }
    }
}
