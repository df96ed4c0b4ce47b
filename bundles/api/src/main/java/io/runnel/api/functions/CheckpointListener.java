package io.runnel.api.functions;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Implemented by a user function (or a sink) that acts once a checkpoint is complete, that is once
 * every task of the job has saved its state for it and the checkpoint's metadata is written. This is
 * where effects prepared at the snapshot become visible, as a transactional sink commits there.
 *
 * <p>Called on the subtask's thread, between records. A notification may be missed (the job fails
 * first, or a newer checkpoint completes before it arrives), so an implementation handles
 * everything up to {@code checkpointId}, not only that checkpoint, and after a restore re-does what
 * the restored checkpoint's completion would have done.
 */
@ConsumerType
public interface CheckpointListener {

    void notifyCheckpointComplete(long checkpointId) throws Exception;
}
