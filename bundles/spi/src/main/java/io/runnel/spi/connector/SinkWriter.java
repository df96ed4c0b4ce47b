package io.runnel.spi.connector;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Writes one subtask's records. Called from the subtask's thread only.
 *
 * <pre>
 * created (fresh, or restored from state) -> (write | snapshotState | notifyCheckpointComplete)*
 *   -> finish() (bounded input ended) -> (snapshotState | notifyCheckpointComplete)* -> close()
 * </pre>
 * <p>Checkpoints: at a checkpoint's barrier, after every record before it and before any after it,
 * the writer is asked for its state ({@link #snapshotState}). A writer that stages output (a
 * transaction, an in-progress file) pre-commits it there and puts what is needed to commit it in
 * the state; it commits in {@link #notifyCheckpointComplete}. After a failure the job restarts from
 * the latest completed checkpoint and the writer is created by
 * {@link SinkProvider#restoreWriter} with that checkpoint's state, so it can commit what that
 * checkpoint promised and drop what came after it.
 * A cancelled or failed job calls {@link #close()} without {@link #finish()}.
 *
 * <p>End of a bounded input: {@link #finish()} only writes out what is buffered; it commits
 * nothing. With checkpoints, the subtask then stays until a checkpoint taken after
 * {@code finish()} has completed: that final checkpoint's {@link #snapshotState} pre-commits the
 * last output and its {@link #notifyCheckpointComplete} commits it, so a failure anywhere before the
 * job ends never leaves output committed that a restore would write again. Without checkpoints (or
 * after a stop-with-savepoint, when none follows) the runtime calls
 * {@code snapshotStateAsync(Long.MAX_VALUE)}, waits for it, and then calls
 * {@code notifyCheckpointComplete(Long.MAX_VALUE)}
 * right after {@code finish()}, so a writer commits its last output the same way in both cases.
 */
@ConsumerType
public interface SinkWriter<T> extends AutoCloseable {

    void write(T record) throws Exception;

    /**
     * The writer's state at checkpoint {@code checkpointId}: opaque byte arrays its provider reads back
     * in {@link SinkProvider#restoreWriter}. When a job is rescaled, the arrays of all old subtasks are
     * spread over the new ones, so each must make sense on its own (one pending transaction, one
     * file). Called on the subtask's thread, between records.
     *
     * @return the state, or null if the writer keeps none
     */
    default List<byte[]> snapshotState(long checkpointId) throws Exception {
        return null;
    }

    /**
     * {@link #snapshotState}, for a writer whose pre-commit waits on another system (a Kafka
     * transaction's records must be acknowledged by the broker): the state is returned at once, at
     * the barrier, but the runtime acknowledges the checkpoint only once the returned stage has
     * completed normally, and records after the barrier are written meanwhile. A stage that completes
     * exceptionally declines the checkpoint. The state must not depend on records written after this
     * call. Called on the subtask's thread, between records, instead of {@link #snapshotState};
     * the stage may complete on any thread. The default completes with {@link #snapshotState}.
     *
     * <p>A checkpoint completes only after the stages of all its tasks have, so
     * {@link #notifyCheckpointComplete} never sees a checkpoint whose stage is pending. Stages of
     * consecutive checkpoints may complete in any order: a state that carries an earlier checkpoint's
     * staged output must wait for that stage too.
     *
     * @return the state (or null, as {@link #snapshotState}) once it is valid
     * @since 1.3
     */
    default CompletionStage<List<byte[]>> snapshotStateAsync(long checkpointId) throws Exception {
        return CompletableFuture.completedFuture(snapshotState(checkpointId));
    }

    /**
     * Checkpoint {@code checkpointId} is complete: commit what was staged up to and including its
     * snapshot. Notifications can be missed, so commit everything staged up to it.
     */
    default void notifyCheckpointComplete(long checkpointId) throws Exception {}

    /**
     * The input ended: write out anything buffered. Do not commit here: the runtime follows with a
     * checkpoint, or with {@code snapshotState}/{@code notifyCheckpointComplete(Long.MAX_VALUE)} when
     * the job takes none (see the class description). No {@link #write} follows.
     *
     * @since 1.2 (before, writers committed their staged output here, which a restore could repeat)
     */
    default void finish() throws Exception {}

    @Override
    default void close() throws Exception {}
}
