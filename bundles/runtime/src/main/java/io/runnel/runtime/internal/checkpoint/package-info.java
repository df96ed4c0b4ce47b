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
 * each file's checksum. Savepoints are the same format in a directory the user picks.
 *
 * <p>Taking checkpoints: a {@link io.runnel.runtime.internal.checkpoint.CheckpointCoordinator} (one
 * per job: in its node, or on the JobManager for a job over several nodes) decides ids and timing
 * and writes the metadata once its participants took their parts: the job's
 * {@link io.runnel.runtime.internal.checkpoint.TaskSnapshots} in this JVM
 * ({@link io.runnel.runtime.internal.checkpoint.LocalParticipants}), or the nodes of a placed job
 * ({@link io.runnel.runtime.internal.checkpoint.ClusterParticipants}, whose messages are
 * {@link io.runnel.runtime.internal.checkpoint.CheckpointMessages}). What the state bytes mean is the
 * state backends' business ({@code SubtaskStateCodec} frames them). The byte layout is documented in
 * the runtime's README ("Checkpoint and savepoint format"). Nothing here is exported.
 */
package io.runnel.runtime.internal.checkpoint;
