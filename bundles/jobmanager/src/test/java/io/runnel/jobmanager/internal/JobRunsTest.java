package io.runnel.jobmanager.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.api.JobId;
import io.runnel.api.cluster.NodeId;
import io.runnel.api.cluster.SlotState;
import io.runnel.api.stream.JobClient;
import io.runnel.api.stream.JobResult;
import io.runnel.api.stream.JobStatus;
import io.runnel.api.stream.JobSubmissionException;
import io.runnel.api.stream.StreamJob;
import io.runnel.spi.control.JobExecutor;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class JobRunsTest {

    private static final NodeId HERE = new NodeId("here");
    private static final NodeId ELSEWHERE = new NodeId("elsewhere");

    private final JobRunsTestRegistry registry = new JobRunsTestRegistry();

    @Test
    void aJobHoldsTheSlotsItNeedsWhileItRuns() throws Exception {
        registry.offerSlots(HERE, 3);
        registry.offerSlots(ELSEWHERE, 4);
        FakeExecution execution = new FakeExecution(2);
        JobRuns runs = new JobRuns(HERE, registry, executor((job, name, parallelism, parameters, slots) -> {
            assertThat(slots).as("all free slots of this node are offered to the job").isEqualTo(3);
            return execution;
        }, 2), null);
        CompletableFuture<JobResult> result = runs.start("job", (env, parameters) -> {}, 2, Map.of()).result();

        assertThat(registry.slots()).filteredOn(s -> s.state() == SlotState.ALLOCATED)
                .hasSize(2).allMatch(s -> s.id().node().equals(HERE) && s.job().equals(execution.client.jobId()));
        assertThat(runs.running()).hasSize(1);

        assertThat(runs.jobs()).singleElement().satisfies(job -> {
            assertThat(job.status()).isEqualTo(JobStatus.RUNNING);
            assertThat(job.slots()).hasSize(2);
        });
        execution.client.finish();
        assertThat(result).isDone();
        assertThat(registry.slots()).allMatch(s -> s.state() == SlotState.FREE);
        assertThat(runs.running()).isEmpty();
        assertThat(runs.jobs()).singleElement().satisfies(job -> assertThat(job.status()).isEqualTo(JobStatus.FINISHED));
    }

    @Test
    void aNodeWithoutFreeSlotsSaysSo() {
        registry.offerSlots(ELSEWHERE, 4);
        JobRuns runs = new JobRuns(HERE, registry, executor((job, name, parallelism, parameters, slots) -> {
            throw new AssertionError("must not start");
        }, 1), null);
        assertThatThrownBy(() -> runs.start("job", (env, parameters) -> {}, 1, Map.of()))
                .hasMessageContaining("there are no free task slots on node here");
    }

    @Test
    void savepointRequestsReachTheJobsClientAndAnswerWithItsPath() throws Exception {
        FakeExecution execution = new FakeExecution(1);
        JobRuns runs = oneSlotRuns(execution);
        JobId id = runs.start("job", (env, parameters) -> {}, 1, Map.of()).jobId();

        CompletableFuture<String> taken = runs.triggerSavepoint(id, "/savepoints");
        CompletableFuture<String> stopped = runs.stopWithSavepoint(id, true, null);
        assertThat(taken).isNotDone();
        execution.client.savepoint.complete("/savepoints/savepoint-1");

        assertThat(taken.get(5, TimeUnit.SECONDS)).isEqualTo("/savepoints/savepoint-1");
        assertThat(stopped.get(5, TimeUnit.SECONDS)).isEqualTo("/savepoints/savepoint-1");
        assertThat(execution.client.requests).containsExactly("savepoint into /savepoints", "stop draining into null");
    }

    @Test
    void aSavepointOfAnUnknownJobNamesTheIdAndTheRunningJobs() throws Exception {
        FakeExecution execution = new FakeExecution(1);
        JobRuns runs = oneSlotRuns(execution);
        JobId running = runs.start("job", (env, parameters) -> {}, 1, Map.of()).jobId();
        JobId unknown = JobId.generate();

        assertThat(runs.triggerSavepoint(unknown, null)).failsWithin(Duration.ofSeconds(5))
                .withThrowableOfType(ExecutionException.class).havingCause()
                .isInstanceOf(IllegalArgumentException.class)
                .withMessage("No job " + unknown + " runs on the JobManager of node here; running jobs: " + running + " (job)");
        execution.client.finish();
        assertThat(runs.stopWithSavepoint(unknown, false, null)).failsWithin(Duration.ofSeconds(5))
                .withThrowableOfType(ExecutionException.class).havingCause()
                .withMessageEndingWith("no job runs here at the moment");
        assertThat(execution.client.requests).isEmpty();
    }

    @Test
    void aSavepointOfAJobThatIsNotRunningSaysWhereTheJobIs() throws Exception {
        FakeExecution execution = new FakeExecution(1);
        JobRuns runs = oneSlotRuns(execution);
        JobId id = runs.start("job", (env, parameters) -> {}, 1, Map.of()).jobId();

        execution.client.status = JobStatus.RESTARTING;
        assertThat(runs.jobs()).singleElement().satisfies(job -> assertThat(job.status()).isEqualTo(JobStatus.RESTARTING));
        assertThat(runs.triggerSavepoint(id, "/savepoints")).failsWithin(Duration.ofSeconds(5))
                .withThrowableOfType(ExecutionException.class).havingCause()
                .isInstanceOf(IllegalStateException.class)
                .withMessage("Job " + id + " ('job') is RESTARTING: only a RUNNING job can take a savepoint; try again once it runs");

        execution.client.status = JobStatus.CANCELLING;
        assertThat(runs.triggerSavepoint(id, null)).failsWithin(Duration.ofSeconds(5))
                .withThrowableOfType(ExecutionException.class).havingCause()
                .withMessage("Job " + id + " ('job') is CANCELLING: only a RUNNING job can take a savepoint");

        execution.client.status = JobStatus.FINISHED; // ended, but its end is not handled yet
        assertThat(runs.triggerSavepoint(id, null)).failsWithin(Duration.ofSeconds(5))
                .withThrowableOfType(ExecutionException.class).havingCause()
                .withMessage("Job " + id + " ('job') has ended (FINISHED): only a RUNNING job can take a savepoint");

        execution.client.finish();
        assertThat(runs.jobs()).singleElement().satisfies(job -> assertThat(job.status()).isEqualTo(JobStatus.FINISHED));
        assertThat(runs.stopWithSavepoint(id, false, "/savepoints")).failsWithin(Duration.ofSeconds(5))
                .withThrowableOfType(ExecutionException.class).havingCause()
                .isInstanceOf(IllegalStateException.class)
                .withMessage("Job " + id + " ('job') has ended (FINISHED): only a RUNNING job can stop with a savepoint");
        assertThat(execution.client.requests).isEmpty();
    }

    @Test
    void aClientThatThrowsInsteadOfFailingItsFutureStillAnswersWithAFailedFuture() throws Exception {
        FakeExecution execution = new FakeExecution(1);
        JobRuns runs = oneSlotRuns(execution);
        JobId id = runs.start("job", (env, parameters) -> {}, 1, Map.of()).jobId();
        execution.client.refusal = new IllegalArgumentException("No savepoint directory");

        assertThat(runs.triggerSavepoint(id, null)).failsWithin(Duration.ofSeconds(5))
                .withThrowableOfType(ExecutionException.class).havingCause().withMessage("No savepoint directory");
    }

    /** Runs with one free slot on this node, starting every job as {@code execution}. */
    private JobRuns oneSlotRuns(FakeExecution execution) {
        registry.offerSlots(HERE, 1);
        return new JobRuns(HERE, registry, executor((job, name, parallelism, parameters, slots) -> execution, 1), null);
    }

    /** How a fake executor starts a job here. */
    @FunctionalInterface
    interface Starter {
        JobExecutor.Execution start(StreamJob job, String name, int parallelism, Map<String, String> parameters, int slots)
                throws JobSubmissionException;
    }

    /** An executor that starts jobs with {@code starter} and says every job needs {@code required} slots. */
    static JobExecutor executor(Starter starter, int required) {
        return executor(starter, required, new FakeJobControl());
    }

    /** As {@link #executor(Starter, int)}, with {@code control} as every placed job's restarts and checkpoints. */
    static JobExecutor executor(Starter starter, int required, FakeJobControl control) {
        return new JobExecutor() {
            @Override
            public io.runnel.spi.control.PlacedJobCoordinator coordinatePlaced(StreamJob job, String name,
                    int parallelism, Map<String, String> parameters, io.runnel.spi.cluster.ClusterMessaging messaging,
                    io.runnel.spi.control.JobLaunch launch) {
                control.launches.add(launch);
                return control;
            }

            @Override
            public Execution start(StreamJob job, String name, int parallelism, Map<String, String> parameters, int slots,
                    io.runnel.spi.control.JobLaunch launch) throws JobSubmissionException {
                return starter.start(job, name, parallelism, parameters, slots);
            }

            @Override
            public int requiredSlots(StreamJob job, String name, int parallelism, Map<String, String> parameters) {
                return required;
            }
        };
    }

    /** A started job whose end the test decides. */
    private static final class FakeExecution implements JobExecutor.Execution {
        final FakeClient client = new FakeClient();
        private final int slots;

        FakeExecution(int slots) {
            this.slots = slots;
        }

        @Override
        public JobClient client() {
            return client;
        }

        @Override
        public int slots() {
            return slots;
        }

        @Override
        public void suspend() {
            client.cancel();
        }
    }

    /** A job whose status and savepoints the test decides; it remembers the savepoint requests it got. */
    private static final class FakeClient implements JobClient {
        private final JobId id = JobId.generate();
        private final CompletableFuture<JobResult> result = new CompletableFuture<>();
        volatile JobStatus status = JobStatus.RUNNING;
        final CompletableFuture<String> savepoint = new CompletableFuture<>();
        final java.util.List<String> requests = new java.util.concurrent.CopyOnWriteArrayList<>();
        /** Thrown by a savepoint request instead of answering it, if set. */
        volatile RuntimeException refusal;

        @Override
        public CompletableFuture<String> triggerSavepoint(String directory) {
            if (refusal != null) {
                throw refusal;
            }
            requests.add("savepoint into " + directory);
            return savepoint;
        }

        @Override
        public CompletableFuture<String> stopWithSavepoint(boolean drain, String directory) {
            requests.add("stop " + (drain ? "draining" : "suspending") + " into " + directory);
            return savepoint;
        }

        void finish() {
            status = JobStatus.FINISHED;
            result.complete(new JobResult(id, "job", JobStatus.FINISHED, Duration.ofMillis(5), null));
        }

        @Override
        public JobId jobId() {
            return id;
        }

        @Override
        public String jobName() {
            return "job";
        }

        @Override
        public JobStatus status() {
            return status;
        }

        @Override
        public void cancel() {}

        @Override
        public CompletableFuture<JobResult> result() {
            return result;
        }
    }
}
