package io.runnel.spi.state;

/** What a snapshot is for, which decides the formats a backend may write. */
public enum SnapshotType {
    /**
     * A checkpoint, for recovery of this job: the backend may write its native format (see
     * {@link NativeStateHandle}) if the context has a shared-state directory, else the portable one.
     */
    CHECKPOINT,
    /**
     * A savepoint, for moving, upgrading or rescaling a job, possibly onto another backend: always the
     * portable format ({@link PortableStateHandle}).
     */
    SAVEPOINT
}
