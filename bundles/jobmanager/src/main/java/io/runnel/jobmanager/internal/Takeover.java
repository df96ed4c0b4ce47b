package io.runnel.jobmanager.internal;

import io.runnel.api.JobId;
import io.runnel.api.cluster.NodeId;
import io.runnel.api.stream.JobClient;
import io.runnel.api.stream.JobStatus;
import io.runnel.api.stream.JobSubmissionException;
import io.runnel.api.stream.StreamJob;
import io.runnel.spi.control.JobManagerGateway.JobInfo;
import io.runnel.spi.control.LeaderFencedException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a JobManager does with its {@link JobStore} as leadership comes and goes.
 *
 * <ul>
 *   <li>On gaining leadership: records its epoch in the store (one above any recorded, so writes of
 *       a deposed leader are refused), tells every node to cancel job shares deployed under a lower
 *       epoch, frees the slots the dead leader's jobs still hold in the slot table, and resumes every
 *       recorded job once its code is deployed here and enough slots are free. Each slot or job
 *       change tries again, and so does a check every {@value #RECHECK_MILLIS} ms while it leads:
 *       the cluster can miss slot events, and can even bring back an allocation it had freed, when
 *       several members crash together, so every check first frees slots allocated to jobs this
 *       leader does not run ({@link JobRuns#releaseOrphanedSlots}). A resume that finds the slots
 *       gone after all keeps the job waiting. A run-mode node resumes only the job its command owns
 *       (see {@link RunMode#owns}); any other node resumes them all.
 *   <li>While leading: records each job as it starts and each attempt of a placed job before it is
 *       deployed, and removes the record when the job ends for good.
 *   <li>On losing leadership: suspends its jobs (they stop here, records and checkpoints stay).
 * </ul>
 *
 * <p>Thread safety: the store's file I/O and every resume run on one thread of this object's own,
 * in order; the cluster's notification thread only hands work to it.
 */
final class Takeover implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Takeover.class);
    /** How often a leader frees orphaned slots and tries its waiting jobs again without being told. */
    static final long RECHECK_MILLIS = 1000;

    private final NodeId node;
    private final JobStore store;
    private final Map<String, StreamJob> jobs;
    private final RunMode runMode;
    private final ScheduledExecutorService worker;
    private JobRuns runs;
    private ClusterDeployer deployer;
    /** The epoch this node's writes are fenced with; 0 while it does not lead (or has not taken over yet). */
    private volatile long epoch;
    /** The epoch this node last led with: a job that ends after leadership moved on is removed only if no newer leader came. */
    private volatile long lastEpoch;
    private volatile String state = "not leading";
    /** Recorded jobs waiting for their code or slots; only the worker thread changes it. */
    private final Map<JobId, JobRecord> waiting = new LinkedHashMap<>();
    private final Set<JobId> reportedWaiting = new HashSet<>();
    /** Recorded jobs that cannot be resumed, with why, for {@code runnel:jobs}. */
    private volatile List<JobInfo> notResumable = List.of();
    private volatile List<JobInfo> waitingView = List.of();

    Takeover(NodeId node, JobStore store, Map<String, StreamJob> jobs, RunMode runMode) {
        this.node = node;
        this.store = store;
        this.jobs = jobs;
        this.runMode = runMode;
        this.worker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "runnel-jobmanager-takeover");
            thread.setDaemon(true);
            return thread;
        });
        worker.scheduleWithFixedDelay(this::recheck, RECHECK_MILLIS, RECHECK_MILLIS, TimeUnit.MILLISECONDS);
    }

    void attach(JobRuns jobRuns, ClusterDeployer clusterDeployer) {
        this.runs = jobRuns;
        this.deployer = clusterDeployer;
    }

    /** The fencing epoch of this node's leadership, 0 if it does not lead. */
    long epoch() {
        return epoch;
    }

    String state() {
        return state;
    }

    /** This node leads now, with the election's {@code electionEpoch}. */
    void leading(long electionEpoch) {
        state = "taking over";
        submit("taking over with epoch " + electionEpoch, () -> takeOver(electionEpoch));
    }

    /** This node no longer leads: its jobs stop here, for the next leader. */
    void lost() {
        epoch = 0;
        state = "not leading";
        submit("suspending its jobs", () -> {
            waiting.clear();
            publishWaiting();
            runs.suspendAll();
        });
    }

    /** Slots or jobs changed: try the waiting jobs (and the run-mode job) again. */
    void retry(boolean leading) {
        if (leading && epoch > 0) {
            submit("resuming waiting jobs", this::resumeWaiting);
        }
    }

    private void takeOver(long electionEpoch) {
        long claimed;
        try {
            claimed = store.claimLeadership(electionEpoch, node);
        } catch (IOException e) {
            state = "cannot record its leadership: " + e.getMessage();
            LOG.error("JobManager on node {} leads but cannot record its leadership in the job store {}: {}. It resumes"
                    + " and starts no jobs; make the directory writable ({}) and restart this node", node,
                    store.directory(), e.getMessage(), JobManager.STORAGE_DIR);
            return;
        }
        runs.lead(store.fence(claimed));
        lastEpoch = claimed;
        epoch = claimed;
        deployer.fence(claimed);
        JobStore.Scan scan;
        try {
            scan = store.scan();
        } catch (IOException e) {
            state = "cannot read the job store: " + e.getMessage();
            LOG.error("JobManager on node {} cannot list the job store {}: {}. Recorded jobs are not resumed until this"
                    + " node leads again", node, store.directory(), e.getMessage());
            return;
        }
        List<JobInfo> unreadable = new ArrayList<>();
        for (JobStore.Unreadable bad : scan.unreadable()) {
            if (bad.jobId() != null) {
                unreadable.add(new JobInfo(bad.jobId(), "(unreadable record)", JobStatus.CREATED, List.of(),
                        "not resumed: its record " + bad.file() + " cannot be used (" + bad.reason()
                                + "); repair or delete the file"));
            }
        }
        notResumable = List.copyOf(unreadable);
        for (JobRecord record : scan.records()) {
            if (runs.isRunning(record.jobId())) {
                continue;
            }
            if (runMode != null && !runMode.owns(record)) {
                LOG.info("JobManager on node {} (./runnel run) leaves job '{}' ({}) of the store to a JobManager started"
                        + " with ./runnel start", node, record.jobName(), record.jobId());
                continue;
            }
            waiting.put(record.jobId(), record);
        }
        try {
            releaseOrphanedSlots();
        } catch (RuntimeException e) {
            // The slot table cannot be read while members leave; the check every second frees them then.
            LOG.info("JobManager on node {} could not free the slots of its predecessor's jobs yet: {}", node, e.getMessage());
        }
        state = "leading with epoch " + claimed;
        LOG.info("JobManager on node {} took over with epoch {}: {} recorded job(s) to resume{}", node, claimed,
                waiting.size(), unreadable.isEmpty() ? "" : ", " + unreadable.size() + " record(s) unreadable");
        resumeWaiting();
    }

    /**
     * Frees the slots allocated to jobs this leader does not run: a leader that is gone allocated
     * them (its jobs are placed anew), or the cluster's table brought them back after members
     * crashed. Runs on the worker, which alone resumes jobs, so it never frees a resuming job's slots.
     */
    private void releaseOrphanedSlots() {
        long leading = epoch;
        try {
            // A leader deposed a moment ago must not free the slots its successor's jobs just took.
            store.checkFence(leading, "free task slots of jobs it does not run");
        } catch (IOException | LeaderFencedException e) {
            LOG.debug("JobManager on node {} frees no slots: {}", node, e.getMessage());
            return;
        }
        if (leading == 0) {
            return;
        }
        List<io.runnel.api.cluster.SlotId> freed = runs.releaseOrphanedSlots();
        if (!freed.isEmpty()) {
            LOG.info("JobManager on node {} freed task slot(s) {}: allocated to jobs it does not run", node, freed);
        }
    }

    /** The periodic check on the worker: while this node leads, free orphaned slots and try the waiting jobs. */
    private void recheck() {
        if (epoch == 0) {
            return;
        }
        try {
            releaseOrphanedSlots();
            resumeWaiting();
        } catch (RuntimeException e) {
            // The slot table cannot be read while the cluster changes membership; the next check tries again.
            LOG.debug("JobManager on node {}: check of slots and waiting jobs failed, tried again in {} ms", node,
                    RECHECK_MILLIS, e);
        }
    }

    private void resumeWaiting() {
        if (epoch == 0) {
            return;
        }
        for (JobRecord record : List.copyOf(waiting.values())) {
            StreamJob job = jobs.get(record.jobKey());
            if (job == null) {
                waitingFor(record, "its job bundle (runnel.job=" + record.jobKey() + ") to be deployed");
                continue;
            }
            if (!runs.hasRoomFor(record.jobName(), job, record.parallelism(), record.parameters())) {
                waitingFor(record, "free task slots (" + runs.slotSituation(record.jobName(), job, record.parallelism(),
                        record.parameters()) + ")");
                continue;
            }
            try {
                JobClient client = runs.resume(record, job);
                waiting.remove(record.jobId());
                LOG.info("JobManager on node {} resumed job '{}' ({}) from attempt {}", node, record.jobName(),
                        record.jobId(), record.attempt() + 1);
                if (runMode != null) {
                    runMode.adopt(client);
                }
            } catch (SlotsUnavailableException e) {
                // The slots counted a moment ago are gone (their node left, say): wait for the next ones.
                LOG.info("Job '{}' ({}) still waits for free task slots before it resumes: {}", record.jobName(),
                        record.jobId(), e.getMessage());
            } catch (JobSubmissionException | RuntimeException e) {
                waiting.remove(record.jobId());
                LOG.error("JobManager on node {} could not resume job '{}' ({}): {}. Its record stays; it is tried again"
                        + " when this node leads again", node, record.jobName(), record.jobId(), e.getMessage());
                List<JobInfo> failed = new ArrayList<>(notResumable);
                failed.add(new JobInfo(record.jobId(), record.jobName(), JobStatus.FAILED, List.of(),
                        "could not be resumed: " + e.getMessage()));
                notResumable = List.copyOf(failed);
            }
        }
        publishWaiting();
        if (runMode != null && waiting.isEmpty()) {
            runMode.startIfReady(true, jobs, runs);
        }
    }

    private void waitingFor(JobRecord record, String what) {
        if (reportedWaiting.add(record.jobId())) {
            LOG.info("Job '{}' ({}) waits for {} before it resumes", record.jobName(), record.jobId(), what);
        }
    }

    private void publishWaiting() {
        List<JobInfo> view = new ArrayList<>();
        for (JobRecord record : waiting.values()) {
            view.add(new JobInfo(record.jobId(), record.jobName(), JobStatus.CREATED, List.of(),
                    "waiting to be resumed (job code deployed and enough free slots)"));
        }
        waitingView = List.copyOf(view);
    }

    /** Recorded jobs not running here: waiting to be resumed, or not resumable (with why). */
    List<JobInfo> waiting() {
        List<JobInfo> all = new ArrayList<>(waitingView);
        all.addAll(notResumable);
        return all;
    }

    /** The journal {@link JobRuns} keeps the store with, fenced by this node's epoch. */
    JobRuns.Journal journal() {
        return new JobRuns.Journal() {
            @Override
            public void starting(JobRecord record) throws JobSubmissionException {
                try {
                    store.write(record);
                } catch (LeaderFencedException e) {
                    throw new JobSubmissionException(e.getMessage(), e);
                } catch (IOException e) {
                    throw new JobSubmissionException("Job '" + record.jobName() + "' is not started: it cannot be recorded"
                            + " in the job store " + store.directory() + " (" + e.getMessage() + "), so no other"
                            + " JobManager could take it over; make " + JobManager.STORAGE_DIR + " writable", e);
                }
            }

            @Override
            public void attempt(JobRecord record, int attempt) {
                try {
                    store.write(record.withAttempt(attempt, record.leaderEpoch()));
                } catch (IOException | RuntimeException e) {
                    LOG.warn("Job '{}' ({}): attempt {} could not be recorded in the job store: {}. A successor may"
                            + " deploy an attempt with this number again; the TaskManagers cancel this one first",
                            record.jobName(), record.jobId(), attempt, e.getMessage());
                }
            }

            @Override
            public void ended(JobId job, JobStatus status) {
                try {
                    store.remove(job, lastEpoch);
                } catch (LeaderFencedException e) {
                    LOG.info("Job {} ended {} here, but a newer leader runs it now; its record stays ({})", job, status,
                            e.getMessage());
                } catch (IOException e) {
                    LOG.warn("Job {} ended {}, but its record could not be removed from the job store: {}. A new leader"
                            + " would resume it: delete {}/jobs/{}{} by hand", job, status, e.getMessage(),
                            store.directory(), job.value(), JobStore.SUFFIX);
                }
            }
        };
    }


    /**
     * Hands {@code task} to the worker. Cluster events (slots withdrawn, leadership lost) keep
     * arriving while the node stops, also after {@link #close()}: those are dropped, as no job is
     * resumed or suspended by a JobManager that is gone (its jobs were suspended or cancelled first).
     */
    private void submit(String what, Runnable task) {
        try {
            worker.execute(task);
        } catch (RejectedExecutionException e) {
            LOG.debug("JobManager on node {} is stopping and skips {}", node, what);
        }
    }

    @Override
    public void close() {
        worker.shutdown();
        try {
            worker.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
