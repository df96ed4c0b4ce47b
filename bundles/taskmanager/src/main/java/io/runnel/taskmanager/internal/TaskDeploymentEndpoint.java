package io.runnel.taskmanager.internal;

import io.runnel.api.stream.StreamJob;
import io.runnel.spi.cluster.ClusterMembership;
import io.runnel.spi.cluster.ClusterMessaging;
import io.runnel.spi.control.TaskExecutor;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Takes deployments from the leading JobManager on TaskManager nodes. It shares the TaskManager's
 * configuration (PID {@value TaskManager#PID}), so it exists exactly where the TaskManager does, and
 * it needs the runtime's {@link TaskExecutor} to run tasks.
 */
@Component(configurationPid = TaskManager.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true,
        service = {})
public final class TaskDeploymentEndpoint {

    private final Map<String, StreamJob> jobs = new ConcurrentHashMap<>();
    private final TaskDeployments deployments;

    @Activate
    public TaskDeploymentEndpoint(@Reference ClusterMembership membership, @Reference ClusterMessaging messaging,
            @Reference TaskExecutor executor) {
        this.deployments = new TaskDeployments(membership.localNode().id(), messaging, executor, jobs::get);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addJob(StreamJob job, Map<String, Object> properties) {
        Object name = properties.get(StreamJob.NAME);
        if (name != null) {
            jobs.put(name.toString(), job);
        }
    }

    void removeJob(StreamJob job, Map<String, Object> properties) {
        Object name = properties.get(StreamJob.NAME);
        if (name != null) {
            jobs.remove(name.toString(), job);
        }
    }

    @Deactivate
    void deactivate() {
        deployments.close();
    }
}
