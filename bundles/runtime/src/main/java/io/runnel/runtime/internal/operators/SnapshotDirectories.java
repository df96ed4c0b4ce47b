package io.runnel.runtime.internal.operators;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a checkpoint (not a savepoint) is being written, so a state backend with incremental
 * checkpoints can write its native format: the job's shared-state directory, and the checkpoint's own
 * directory, under which each operator subtask gets a private directory.
 *
 * @param sharedDirectory the job's shared-state directory ({@code <job>/shared})
 * @param checkpointDirectory the checkpoint's directory ({@code <job>/chk-<n>})
 */
public record SnapshotDirectories(Path sharedDirectory, Path checkpointDirectory) {

    /** The name of a job's shared-state directory, beside its {@code chk-<n>} directories. */
    public static final String SHARED_DIRECTORY = "shared";

    public SnapshotDirectories {
        Objects.requireNonNull(sharedDirectory, "sharedDirectory");
        Objects.requireNonNull(checkpointDirectory, "checkpointDirectory");
    }
}
