package io.runnel.spi.state;

import java.nio.file.Path;

/**
 * What the runtime asks of a keyed state snapshot.
 *
 * @param checkpointId the checkpoint or savepoint id, growing within a job
 * @param type a checkpoint or a savepoint
 * @param sharedDirectory the job's shared-state directory, for files later checkpoints may use too; null
 *     when the snapshot must be portable
 * @param privateDirectory a directory of this snapshot and subtask alone, which the runtime created;
 *     null when the snapshot must be portable
 */
public record SnapshotRequest(long checkpointId, SnapshotType type, Path sharedDirectory, Path privateDirectory) {

    /** A snapshot in the portable format: a savepoint, or a checkpoint where the runtime offers no directories. */
    public static SnapshotRequest portable(long checkpointId, SnapshotType type) {
        return new SnapshotRequest(checkpointId, type, null, null);
    }

    /** Whether the backend may answer with a {@link NativeStateHandle}; otherwise it must be portable. */
    public boolean mayWriteNative() {
        return type == SnapshotType.CHECKPOINT && sharedDirectory != null && privateDirectory != null;
    }
}
