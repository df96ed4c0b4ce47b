package io.runnel.api.stream;

/** A job did not finish: it failed (the cause is the task's error) or was cancelled. */
public class JobExecutionException extends Exception {

    private static final long serialVersionUID = 1L;
    private final transient JobResult result;

    public JobExecutionException(JobResult result) {
        super("Job '" + result.jobName() + "' (" + result.jobId() + ") ended " + result.status()
                + result.failureCause().map(f -> ": " + f.getMessage()).orElse(""), result.failure());
        this.result = result;
    }

    public JobResult result() {
        return result;
    }
}
