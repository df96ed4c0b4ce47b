package io.runnel.jobmanager.internal;

import io.runnel.api.stream.JobClient;
import io.runnel.api.stream.JobStatus;
import io.runnel.api.stream.StreamJob;
import java.util.LinkedHashMap;
import java.util.Map;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.launch.Framework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node started by {@code ./runnel run}: it starts one named job as soon as this JobManager leads
 * and the job's service is there, and ends the process with the job: status 0 if it finished, 1 if
 * it failed or could not start, 130 if it was cancelled. Read from framework properties:
 * {@value #JOB} (the job's name), {@value #PARALLELISM}, and {@value #PARAMETER_PREFIX}{@code <key>}.
 */
final class RunMode {

    static final String JOB = "runnel.run.job";
    static final String PARALLELISM = "runnel.run.parallelism";
    static final String PARAMETER_PREFIX = "runnel.run.parameter.";
    /** How long a run-mode node waits for leadership, the job's service and a free slot. */
    static final long START_TIMEOUT_MILLIS = 60_000;

    private static final Logger LOG = LoggerFactory.getLogger(RunMode.class);

    private final BundleContext context;
    private final String jobName;
    private final int parallelism;
    private final Map<String, String> parameters;
    private boolean started;

    private RunMode(BundleContext context, String jobName, int parallelism, Map<String, String> parameters) {
        this.context = context;
        this.jobName = jobName;
        this.parallelism = parallelism;
        this.parameters = parameters;
    }

    /** The run mode of this process, or null for a plain node. */
    static RunMode of(BundleContext context) {
        String job = context.getProperty(JOB);
        if (job == null || job.isBlank()) {
            return null;
        }
        String parallelismText = context.getProperty(PARALLELISM);
        int parallelism;
        try {
            parallelism = parallelismText == null ? 1 : Integer.parseInt(parallelismText.trim());
        } catch (NumberFormatException e) {
            parallelism = -1;
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String name : System.getProperties().stringPropertyNames()) {
            if (name.startsWith(PARAMETER_PREFIX)) {
                parameters.put(name.substring(PARAMETER_PREFIX.length()), System.getProperty(name));
            }
        }
        return new RunMode(context, job.trim(), parallelism, parameters);
    }

    String jobName() {
        return jobName;
    }

    int parallelism() {
        return Math.max(1, parallelism);
    }

    Map<String, String> parameters() {
        return parameters;
    }

    /**
     * Gives up, saying what never appeared, if the job has not started within
     * {@value #START_TIMEOUT_MILLIS} ms.
     */
    void watch(java.util.function.Supplier<String> situation) {
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(START_TIMEOUT_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            synchronized (this) {
                if (!started) {
                    started = true;
                    exit(1, "runnel: job '" + jobName + "' did not start within " + START_TIMEOUT_MILLIS / 1000 + " s: "
                            + situation.get());
                }
            }
        }, "runnel-run-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    /**
     * Whether {@code record} is this command's job, left running by an earlier run of the same
     * command on this data directory that was killed: the same job, parallelism and parameters,
     * started by {@code ./runnel run}. Such a job is resumed and followed instead of starting anew.
     */
    boolean owns(JobRecord record) {
        return record.runMode() && record.jobKey().equals(jobName) && record.parallelism() == parallelism()
                && record.parameters().equals(parameters);
    }

    /** The job an earlier run of this command left was resumed: follow it as this command's job. */
    synchronized void adopt(JobClient client) {
        if (started) {
            return;
        }
        started = true;
        LOG.info("runnel: job '{}' ({}) of an earlier run of this command resumes from its checkpoints", jobName,
                client.jobId());
        exitWith(client);
    }

    /** Starts the job once, when this JobManager leads, the job is deployed and enough slots are free. */
    synchronized void startIfReady(boolean leading, Map<String, StreamJob> jobs, JobRuns runs) {
        if (started || !leading) {
            return; // slot, leadership and job-service changes call us again
        }
        StreamJob job = jobs.get(jobName);
        if (job == null || (parallelism >= 1 && !runs.hasRoomFor(jobName, job, parallelism, parameters))) {
            return;
        }
        started = true;
        if (parallelism < 1) {
            exit(1, "runnel: --parallelism must be a whole number of at least 1, but is '" + context.getProperty(PARALLELISM) + "'");
            return;
        }
        try {
            exitWith(runs.start(jobName, job, parallelism, parameters, true));
        } catch (SlotsUnavailableException e) {
            started = false; // the slots counted a moment ago went (their node left): wait for the next ones
        } catch (Exception e) {
            exit(1, "runnel: job '" + jobName + "' could not start: " + e.getMessage());
        }
    }

    /** Ends the process with the job: 0 finished, 130 cancelled, 1 failed. */
    private void exitWith(JobClient client) {
        client.result().whenComplete((result, error) -> {
            if (result == null) {
                exit(1, "runnel: job '" + jobName + "' ended without a result: " + error);
            } else if (result.status() == JobStatus.FINISHED) {
                exit(0, "runnel: job '" + jobName + "' finished in " + result.duration().toMillis() + " ms");
            } else if (result.status() == JobStatus.CANCELED) {
                exit(130, "runnel: job '" + jobName + "' was cancelled");
            } else {
                exit(1, "runnel: job '" + jobName + "' failed: "
                        + result.failureCause().map(Throwable::getMessage).orElse("(no cause)"));
            }
        });
    }

    /** Says why, stops the framework in order, and ends the process with {@code status}. */
    private void exit(int status, String message) {
        (status == 0 ? System.out : System.err).println(message);
        LOG.info("{}", message);
        Thread stopper = new Thread(() -> {
            try {
                Bundle framework = context.getBundle(0);
                framework.stop();
                if (framework instanceof Framework f) {
                    f.waitForStop(30_000);
                }
            } catch (BundleException | IllegalStateException | InterruptedException e) {
                LOG.error("Could not stop the node cleanly after the job ended", e);
            }
            Runtime.getRuntime().halt(status);
        }, "runnel-run-exit");
        stopper.start();
    }
}
