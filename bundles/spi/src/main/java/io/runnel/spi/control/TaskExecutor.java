package io.runnel.spi.control;

import io.runnel.api.cluster.NodeId;
import io.runnel.api.stream.JobSubmissionException;
import io.runnel.api.stream.StreamJob;
import org.osgi.annotation.versioning.ConsumerType;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Runs this node's share of jobs placed over several nodes (see {@link TaskDeployment}); registered
 * by the runtime. The TaskManager calls it when the leading JobManager deploys to this node; the
 * JobManager sizes a placement with {@link JobExecutor#requiredSlots}.
 *
 * <p>Thread safety: all methods may be called from any thread.
 */
@ProviderType
public interface TaskExecutor {

    /** Where other nodes' tasks send records to this node's tasks: {@code host:port}. */
    String dataAddress();

    /**
     * Starts the subtasks {@code deployment} places on {@code localNode}.
     *
     * @param listener told once when all of them have ended
     * @throws JobSubmissionException if they cannot start (the job does not build the same here,
     *     a connector is missing); nothing runs then
     */
    TaskGroup deploy(StreamJob job, TaskDeployment deployment, NodeId localNode, TaskGroupListener listener)
            throws JobSubmissionException;

    /** The running subtasks of one deployment on this node. */
    @ProviderType
    interface TaskGroup {
        /** Stops them; the listener then hears CANCELED (or FAILED/FINISHED if they ended first). */
        void cancel();
    }

    /**
     * How a node's share of a deployment ended. {@code UNRECOVERABLE} is a failure that a restart
     * would meet again (state whose stored schema the job's serializers refuse): the job fails
     * without restarting.
     */
    enum Outcome { FINISHED, FAILED, CANCELED, UNRECOVERABLE }

    /** Told when a node's share of a deployment has ended. */
    @ConsumerType
    @FunctionalInterface
    interface TaskGroupListener {
        /** @param failure what failed (operator and cause) for FAILED and UNRECOVERABLE, else null */
        void ended(Outcome outcome, String failure);
    }
}
