package io.runnel.runtime.internal.execution;

import io.runnel.api.stream.JobClient;
import io.runnel.api.stream.JobSubmissionException;
import io.runnel.api.stream.StreamJob;
import io.runnel.spi.cluster.ClusterMessaging;
import io.runnel.spi.control.JobExecutor;
import io.runnel.spi.control.JobLaunch;
import io.runnel.spi.control.PlacedJobCoordinator;
import io.runnel.runtime.internal.state.LocalStateRoot;
import java.nio.file.Path;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs jobs in this JVM with the framework's connectors. Jobs that do not set
 * {@code state.checkpoints.dir} keep their checkpoints under the node's data directory
 * ({@code <node.data-dir>/checkpoints}, from the TaskManager's configuration), or under the
 * temporary directory when the node has none. For a job placed over several TaskManagers that is
 * the JobManager node's directory, which every TaskManager then writes into: give such jobs a
 * {@code state.checkpoints.dir} on a shared filesystem when the nodes run on several machines.
 */
@Component(service = JobExecutor.class, configurationPid = "io.runnel.taskmanager",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class LocalJobExecutor implements JobExecutor {

    private static final Logger LOG = LoggerFactory.getLogger(LocalJobExecutor.class);

    private final ConnectorServices connectors;
    private final Path checkpointDirectory;
    private final NodeStateBackendDefaults stateBackends;
    /** This process's part of the node's local state directory, or null if it could not be claimed. */
    private final LocalStateRoot.Claim localState;

    @Activate
    public LocalJobExecutor(@Reference ConnectorServices connectors, Map<String, Object> properties) {
        this.connectors = connectors;
        Object dataDir = properties.get("node.data-dir");
        this.checkpointDirectory = dataDir != null ? Path.of(dataDir.toString(), "checkpoints")
                : Path.of(System.getProperty("java.io.tmpdir"), "runnel-checkpoints");
        NodeStateBackendDefaults defaults = NodeStateBackendDefaults.from(properties);
        this.localState = defaults.claimLocalState(LOG);
        this.stateBackends = localState == null ? defaults : defaults.withLocalStateDirectory(localState.directory());
    }

    @Deactivate
    void deactivate() {
        if (localState != null) {
            localState.close();
        }
    }

    @Override
    public Execution start(StreamJob job, String jobName, int parallelism, Map<String, String> parameters, int slots,
            JobLaunch launch) throws JobSubmissionException {
        LocalStreamEnvironment env = stateBackends.applyTo(new LocalStreamEnvironment(connectors.registry(), slots));
        env.setParallelism(parallelism);
        env.setDefaultCheckpointDirectory(checkpointDirectory);
        env.build(job, jobName, parameters);
        LocalJob started = env.submit(jobName, launch);
        return new Execution() {
            @Override
            public JobClient client() {
                return started;
            }

            @Override
            public int slots() {
                return started.slots();
            }

            @Override
            public void suspend() {
                started.suspend();
            }
        };
    }

    @Override
    public int requiredSlots(StreamJob job, String jobName, int parallelism, Map<String, String> parameters)
            throws JobSubmissionException {
        LocalStreamEnvironment env = stateBackends.applyTo(new LocalStreamEnvironment(connectors.registry(),
                Integer.MAX_VALUE));
        env.setParallelism(parallelism);
        env.build(job, jobName, parameters);
        return env.plan(jobName);
    }

    @Override
    public PlacedJobCoordinator coordinatePlaced(StreamJob job, String jobName, int parallelism,
            Map<String, String> parameters, ClusterMessaging messaging, JobLaunch launch) throws JobSubmissionException {
        LocalStreamEnvironment env = stateBackends.applyTo(new LocalStreamEnvironment(connectors.registry(),
                Integer.MAX_VALUE));
        env.setParallelism(parallelism);
        env.setDefaultCheckpointDirectory(checkpointDirectory);
        env.build(job, jobName, parameters);
        return env.coordinatePlaced(jobName, messaging, launch);
    }
}
