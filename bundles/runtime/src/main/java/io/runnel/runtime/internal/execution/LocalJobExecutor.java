package io.runnel.runtime.internal.execution;

import io.runnel.api.stream.JobClient;
import io.runnel.api.stream.JobSubmissionException;
import io.runnel.api.stream.StreamJob;
import io.runnel.spi.control.JobExecutor;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Runs jobs in this JVM with the framework's connectors. */
@Component(service = JobExecutor.class)
public final class LocalJobExecutor implements JobExecutor {

    private final ConnectorServices connectors;

    @Activate
    public LocalJobExecutor(@Reference ConnectorServices connectors) {
        this.connectors = connectors;
    }

    @Override
    public Execution start(StreamJob job, String jobName, int parallelism, Map<String, String> parameters, int slots)
            throws JobSubmissionException {
        LocalStreamEnvironment env = new LocalStreamEnvironment(connectors.registry(), slots);
        env.setParallelism(parallelism);
        try {
            job.build(env, Map.copyOf(parameters));
        } catch (IllegalArgumentException e) {
            throw new JobSubmissionException("Job '" + jobName + "' could not be built: " + e.getMessage(), e);
        }
        LocalJob started = env.submit(jobName);
        return new Execution() {
            @Override
            public JobClient client() {
                return started;
            }

            @Override
            public int slots() {
                return started.slots();
            }
        };
    }

    @Override
    public int requiredSlots(StreamJob job, String jobName, int parallelism, Map<String, String> parameters)
            throws JobSubmissionException {
        LocalStreamEnvironment env = new LocalStreamEnvironment(connectors.registry(), Integer.MAX_VALUE);
        env.setParallelism(parallelism);
        try {
            job.build(env, Map.copyOf(parameters));
        } catch (IllegalArgumentException e) {
            throw new JobSubmissionException("Job '" + jobName + "' could not be built: " + e.getMessage(), e);
        }
        return env.plan(jobName);
    }
}
