package io.runnel.runtime.internal.execution;

import io.runnel.runtime.internal.network.DataServer;
import io.runnel.runtime.internal.network.RemoteOutputChannel;
import io.runnel.runtime.internal.task.StreamTask;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The network ends of one task's channels: the registrations of the input channels that producers on
 * other nodes feed, and the output channels to consumers on other nodes. They are released when the
 * task ends, before the job hears of it, so the other nodes learn at once:
 *
 * <ul>
 *   <li>finished: the task's writers have sent end of partition on every output, which ends those
 *       channels; the registrations are closed, which only forgets channels that have ended;
 *   <li>failed or cancelled: the outputs are {@link RemoteOutputChannel#abort aborted} with the cause,
 *       so their consumers fail with it, and the registrations are closed, so their producers' next
 *       {@code put} fails.
 * </ul>
 *
 * <p>A task whose channels all stay in this JVM has no network ends, and its listener is the job
 * itself: the all-local path pays nothing for this.
 *
 * <p>Threading: filled by the deploying thread before the task starts; released once, on the task's
 * thread when it ends, or on the deploying thread when the deployment fails before any task started.
 */
final class RemoteEnds {

    private static final Logger LOG = LoggerFactory.getLogger(RemoteEnds.class);

    private final List<DataServer.Registration> registrations = new ArrayList<>();
    private final List<RemoteOutputChannel> outputs = new ArrayList<>();

    void add(DataServer.Registration registration) {
        registrations.add(registration);
    }

    void add(RemoteOutputChannel output) {
        outputs.add(output);
    }

    /**
     * Releases every end.
     *
     * @param failure why the task did not finish (its outputs are aborted with it), or null if it
     *     finished
     */
    void release(Throwable failure) {
        if (failure != null) {
            for (RemoteOutputChannel output : outputs) {
                try {
                    output.abort(failure); // does nothing to a channel that has ended
                } catch (RuntimeException e) {
                    LOG.warn("Aborting {} failed", output, e);
                }
            }
        }
        for (DataServer.Registration registration : registrations) {
            try {
                registration.close();
            } catch (RuntimeException e) {
                LOG.warn("Closing the registration of a remote input channel failed", e);
            }
        }
    }

    /** A listener that releases these ends when the task ends, then tells {@code job}. */
    StreamTask.Listener releasingBefore(StreamTask.Listener job) {
        return new StreamTask.Listener() {
            @Override
            public void taskFinished(StreamTask task) {
                try {
                    release(null);
                } finally {
                    job.taskFinished(task);
                }
            }

            @Override
            public void taskFailed(StreamTask task, Throwable error) {
                // The job records its own failure before the released channels make other nodes fail
                // and cancel, which would otherwise race back here as a channel failure.
                job.failureNoticed(task, error);
                try {
                    release(error);
                } finally {
                    job.taskFailed(task, error);
                }
            }

            @Override
            public void taskCancelled(StreamTask task) {
                try {
                    release(new CancellationException("Task " + task.description() + " was cancelled"));
                } finally {
                    job.taskCancelled(task);
                }
            }
        };
    }
}
