package io.runnel.api.functions;

import org.osgi.annotation.versioning.ProviderType;

/** What {@link CheckpointedFunction#snapshotState} is given. */
@ProviderType
public interface FunctionSnapshotContext {

    /** The id of the checkpoint or savepoint being taken; increases from snapshot to snapshot. */
    long checkpointId();

    /** When the snapshot was triggered, in epoch milliseconds. */
    long checkpointTimestamp();
}
