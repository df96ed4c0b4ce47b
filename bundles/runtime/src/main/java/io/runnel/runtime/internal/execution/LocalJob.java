package io.runnel.runtime.internal.execution;

import io.runnel.api.JobId;
import io.runnel.api.stream.JobClient;
import io.runnel.api.stream.JobResult;
import io.runnel.api.stream.JobStatus;
import io.runnel.runtime.internal.task.StreamTask;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tasks of a job that run in this JVM, and their state: all of the job's tasks, or one node's
 * share of a job placed over several nodes (see {@link Placement}). The first task failure cancels
 * the other tasks here and fails the job with that failure; when every task here has ended the
 * result is completed. For a share, tasks on other nodes learn of a failure or cancellation here
 * through their channels to this node, which fail.
 */
final class LocalJob implements JobClient, StreamTask.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(LocalJob.class);

    private final JobId jobId;
    private final String name;
    private final int slots;
    private final long startNanos = System.nanoTime();
    private final AtomicReference<JobStatus> status = new AtomicReference<>(JobStatus.CREATED);
    private final AtomicReference<Throwable> firstFailure = new AtomicReference<>();
    private final CompletableFuture<JobResult> result = new CompletableFuture<>();
    private final AtomicInteger running = new AtomicInteger();
    private List<StreamTask> tasks = List.of();

    /** A job that runs entirely here, under a new job id. */
    LocalJob(String name, int slots) {
        this(JobId.generate(), name, slots);
    }

    /** @param slots the slots its tasks occupy here */
    LocalJob(JobId jobId, String name, int slots) {
        this.jobId = jobId;
        this.name = name;
        this.slots = slots;
    }

    /** Slots the job occupies here: its highest operator parallelism, or this node's share of them. */
    int slots() {
        return slots;
    }

    /** Starts one thread per task. */
    void start(List<StreamTask> taskList) {
        this.tasks = List.copyOf(taskList);
        running.set(tasks.size());
        status.set(JobStatus.RUNNING);
        LOG.info("Job '{}' ({}) starts {} task(s)", name, jobId, tasks.size());
        for (StreamTask task : tasks) {
            Thread thread = new Thread(task, "runnel " + name + " " + task.description());
            thread.setDaemon(true);
            thread.start();
        }
    }

    @Override
    public JobId jobId() {
        return jobId;
    }

    @Override
    public String jobName() {
        return name;
    }

    @Override
    public JobStatus status() {
        return status.get();
    }

    @Override
    public void cancel() {
        if (status.compareAndSet(JobStatus.RUNNING, JobStatus.CANCELLING)) {
            LOG.info("Job '{}' ({}) cancelling", name, jobId);
            tasks.forEach(StreamTask::cancel);
        }
    }

    @Override
    public CompletableFuture<JobResult> result() {
        return result;
    }

    @Override
    public void taskFinished(StreamTask task) {
        taskEnded();
    }

    @Override
    public void taskFailed(StreamTask task, Throwable error) {
        if (firstFailure.compareAndSet(null, error)) {
            LOG.error("Job '{}' ({}) fails: {}", name, jobId, error.getMessage(), error);
            status.set(JobStatus.FAILED);
            for (StreamTask other : tasks) {
                if (other != task) {
                    other.cancel();
                }
            }
        }
        taskEnded();
    }

    @Override
    public void taskCancelled(StreamTask task) {
        taskEnded();
    }

    private void taskEnded() {
        if (running.decrementAndGet() > 0) {
            return;
        }
        JobStatus end = firstFailure.get() != null ? JobStatus.FAILED
                : status.get() == JobStatus.CANCELLING ? JobStatus.CANCELED : JobStatus.FINISHED;
        status.set(end);
        Duration duration = Duration.ofNanos(System.nanoTime() - startNanos);
        LOG.info("Job '{}' ({}) {} after {} ms", name, jobId, end, duration.toMillis());
        result.complete(new JobResult(jobId, name, end, duration, firstFailure.get()));
    }

    /** The job's tasks in this JVM, for the checkpoint machinery. */
    List<StreamTask> tasks() {
        return tasks;
    }
}
