/**
 * Checkpoint storage: where the bytes of a checkpoint or savepoint go on disk, and how a restore
 * finds the newest one that is complete and intact.
 *
 * <p>{@link io.runnel.runtime.internal.checkpoint.CheckpointStorage} (one per job) lays checkpoints
 * out as {@code <state.checkpoints.dir>/<jobId>/chk-<checkpointId>/}. A
 * {@link io.runnel.runtime.internal.checkpoint.CheckpointWriter} fills one such directory with state
 * files (one per operator subtask, each with its size and CRC32C) and finally writes
 * {@code _metadata} atomically; only a directory with valid {@code _metadata} counts as completed.
 * A {@link io.runnel.runtime.internal.checkpoint.CompletedCheckpoint} reads state back and verifies
 * each file's checksum. Savepoints are the same format in a directory the user picks. What the
 * state bytes mean, and when a checkpoint is triggered or acknowledged, is decided elsewhere (the
 * checkpoint coordinator and the state backends). The byte layout is documented in the runtime's
 * README ("Checkpoint and savepoint format"). Nothing here is exported.
 */
package io.runnel.runtime.internal.checkpoint;
