package io.runnel.runtime.internal.task;

import io.runnel.runtime.internal.operators.OperatorServices;
import io.runnel.runtime.internal.operators.OperatorSnapshot;
import io.runnel.runtime.internal.operators.StatefulOperator;
import io.runnel.runtime.internal.operators.StreamOperator;
import io.runnel.runtime.internal.operators.TwoInputOperator;
import io.runnel.runtime.internal.operators.UserFunctionException;
import io.runnel.spi.connector.SourceOutput;
import io.runnel.spi.connector.SourceReader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One parallel subtask of a chain of operators, run on its own thread. It either drives a source
 * reader or takes batches from its input gate, and pushes each record through the chain with plain
 * method calls; the chain's tail writes to the record writers of the outgoing edges.
 *
 * <p>Checkpoints: a source task takes one when triggered ({@link #triggerCheckpoint}), between two
 * polls of its reader; any other task when its input gate has aligned the barriers of all inputs (or,
 * in at-least-once mode, has seen them all). Taking one snapshots the chain, hands the snapshots to
 * the {@link CheckpointHandler} and sends the barrier to every consumer.
 *
 * <p>Unaligned checkpoints: the task acts on the first barrier at once, between two records: it
 * snapshots the chain and sends the barrier on ahead of the data queued for its consumers
 * ({@link RecordWriter#emitUnalignedBarrier}). It keeps processing while its gate collects the records
 * that were still in flight before the barrier, and hands snapshots and in-flight records over
 * ({@link CheckpointHandler#unalignedCheckpointTaken}) once the barrier has come on every channel. A
 * task restored from such a checkpoint processes those records first ({@link #replayFirst}).
 *
 * <p>Work from other threads (a checkpoint trigger, a checkpoint's completion) goes through the
 * task's {@link TaskMailbox} and runs on the task thread between records, so operators never see two
 * threads; {@link TaskCheckpoints} does the snapshotting and sends barriers on.
 * The task looks for it, and for barriers that overtook its input, before every record; so that it
 * is not stuck inside a record meanwhile, it waits for room in its outputs before a record rather
 * than in the middle of one, and a record it is in the middle of may exceed an output channel's
 * capacity while work waits (see {@link OutputChannel#put(Buffer, java.util.function.BooleanSupplier)}).
 *
 * <p>Final checkpoint: when the job takes periodic checkpoints, a task whose input ended does not
 * end at once. It calls {@code endInput} on its operators (a sink writer flushes, committing
 * nothing), tells its consumers its output ended, and then waits: it keeps taking part in
 * checkpoints (a trigger, {@link #triggerCheckpoint} or {@link #triggerAfterInputEnded}, makes it
 * snapshot its chain; no barrier goes out any more) and ends once a checkpoint it took after
 * {@code endInput} has completed, so what its operators staged for that checkpoint (a sink's last
 * transaction) is committed by {@code notifyCheckpointComplete} like any other, and a restore from
 * an earlier checkpoint never finds it committed. Without periodic checkpoints, or once a
 * stop-with-savepoint completed, no checkpoint follows: the task commits right after
 * {@code endInput} ({@code StreamOperator.commitWithoutCheckpoint}) and ends.
 *
 * <pre>
 * open all operators -> process until the input ends (or cancel/failure)
 *   -> endInput on each operator, head to tail
 *   -> with periodic checkpoints: finish writers (end-of-partition downstream), take part in
 *      checkpoints until one taken from now on completed
 *      without: commitWithoutCheckpoint on each operator, finish writers
 *   -> close all operators (always)
 * </pre>
 */
public final class StreamTask implements Runnable {

    /** Told how a task ended. Called on the task's thread. */
    public interface Listener {
        void taskFinished(StreamTask task);

        void taskFailed(StreamTask task, Throwable error);

        /**
         * The task is failing with {@code error} and is about to release its resources; called before
         * {@link #taskFailed} by wrappers that release resources other parts of the job observe.
         */
        default void failureNoticed(StreamTask task, Throwable error) {}

        void taskCancelled(StreamTask task);
    }

    /**
     * Told, on the task's thread, each time the task takes its part of a checkpoint: the synchronous
     * snapshot of every operator of its chain, head to tail ({@code OperatorSnapshot.NONE} for
     * operators without state). The task sends the barrier on after this returns, so writing the
     * snapshots out belongs on another thread.
     */
    public interface CheckpointHandler {
        /**
         * @param sourceSplits a source task's reader position ({@code SourceReader.snapshotSplits}); null for
         *     other tasks and for sources that keep no position
         */
        void checkpointTaken(StreamTask task, long checkpointId, List<byte[]> sourceSplits, List<OperatorSnapshot> snapshots);

        /**
         * The task reached the end of its input and emitted its final results: this is its state from
         * now on (a source's splits have nothing left to read). Checkpoints after the task finished
         * count it with this state, so a restore neither replays its input nor loses its state.
         * Called on the task's thread, before the task tells its consumers it ended.
         */
        default void finalStateTaken(StreamTask task, List<byte[]> sourceSplits, List<OperatorSnapshot> snapshots) {}

        /**
         * Whether checkpoints follow the end of the task's input (the job takes periodic checkpoints):
         * the task then waits for one before it ends. Without, it commits and ends at once.
         */
        default boolean finalCheckpointFollows() {
            return false;
        }

        /**
         * Where checkpoint {@code checkpointId} is written, so keyed state may go in its backend's native
         * format; null for a savepoint or an unknown checkpoint (state is then portable). Called on the
         * task's thread when the barrier arrives.
         */
        default io.runnel.runtime.internal.operators.SnapshotDirectories directoriesFor(long checkpointId) {
            return null;
        }

        /**
         * A task with an input gate has completed its part of unaligned checkpoint
         * {@code checkpointId}: {@code snapshots} were taken when its first barrier arrived (the task
         * sent the barrier on right then), and {@code inFlight} holds the records that were before the
         * barrier on some channel but not processed by then, now that the barrier has come on every
         * channel. Called on the task's thread, possibly a while after the snapshot. The default hands
         * the snapshots over alone, and fails the task if that would lose records.
         */
        default void unalignedCheckpointTaken(StreamTask task, long checkpointId, List<OperatorSnapshot> snapshots,
                InFlightRecords inFlight) {
            if (!inFlight.isEmpty()) {
                throw new IllegalStateException("The checkpoint handler of " + task + " cannot keep the " + inFlight
                        + " of unaligned checkpoint " + checkpointId + "; it needs unalignedCheckpointTaken");
            }
            checkpointTaken(task, checkpointId, null, snapshots);
        }
    }

    /** Opens the source reader of a source task on its own thread. */
    @FunctionalInterface
    public interface ReaderFactory {
        SourceReader<Object> create() throws Exception;
    }

    private static final Logger LOG = LoggerFactory.getLogger(StreamTask.class);
    /** The checkpoint id passed to snapshots of the state a task ends with. */
    public static final long FINAL_STATE = Long.MAX_VALUE;
    private static final long IDLE_SOURCE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** Longest wait for room in an output before the task looks at its mailbox again. */
    private static final long ROOM_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final String description;
    private final ReaderFactory readerFactory;
    private final InputGate inputGate;
    private final Output<Object> head;
    private final List<StreamOperator<Object>> operators;
    private final TaskOutputs outputs;
    private final Listener listener;
    private final ProcessingTimers timers = new ProcessingTimers();
    private volatile boolean cancelled;
    private final boolean batch;
    /**
     * Work from other threads, and the flag the task looks at before every record; puts into full
     * output channels do not wait while work waits (see {@link TaskOutputs}).
     */
    private final TaskMailbox mailbox = new TaskMailbox();
    private final TaskCheckpoints checkpoints;
    /** The reader of a source task once it is open; only the task thread uses it. */
    private SourceReader<Object> reader;
    /** The snapshots to restore the chain from, one per operator (null entries for none); null for a fresh start. */
    private final List<OperatorSnapshot> restored;
    /** Restored in-flight records to process before the input gate is read; null when none (or done). */
    private InFlightRecords toReplay;
    /** Set while restored in-flight records are processed: no checkpoint may start then. */
    private boolean replaying;
    /** A source stopped by a stop-with-savepoint waits for this savepoint to complete; -1 otherwise. */
    private long stopSavepoint = -1;
    /** Whether the stop-with-savepoint drained event time first; the source then ends like a finished one. */
    private boolean stopDrains;
    /** Set when the savepoint a stopped source waits for completed: the source then ends its input. */
    private boolean stopConfirmed;
    /** Set once the task called endInput and waits for its final checkpoint; task thread only. */
    private boolean inputEnded;
    /** The newest checkpoint triggered directly while the input had not ended; -1 if none. */
    private long pendingTrigger = -1;
    /** Set when a checkpoint taken after endInput completed: the task may end. */
    private boolean finalCheckpointDone;
    /** Set when a stop-with-savepoint completed: no checkpoint follows, so the task commits and ends. */
    private boolean jobStopped;

    /**
     * @param readerFactory the source of a source task, else null
     * @param inputGate the input of a non-source task, else null
     * @param head where each input record goes: the first operator of the chain
     * @param operators the chain, head to tail, for the lifecycle calls
     */
    public StreamTask(String description, ReaderFactory readerFactory, InputGate inputGate, Output<Object> head,
            List<StreamOperator<Object>> operators, List<RecordWriter> writers, Listener listener) {
        this(description, readerFactory, inputGate, head, operators, writers, listener, false);
    }

    /** @param batch whether the job runs in batch mode, see {@link OperatorServices#batch()} */
    public StreamTask(String description, ReaderFactory readerFactory, InputGate inputGate, Output<Object> head,
            List<StreamOperator<Object>> operators, List<RecordWriter> writers, Listener listener, boolean batch) {
        this(description, readerFactory, inputGate, head, operators, writers, listener, batch, null);
    }

    /**
     * @param restored what each operator of the chain restores from, head to tail (an entry is null
     *     for an operator without saved state), or null for a fresh start
     */
    public StreamTask(String description, ReaderFactory readerFactory, InputGate inputGate, Output<Object> head,
            List<StreamOperator<Object>> operators, List<RecordWriter> writers, Listener listener, boolean batch,
            List<OperatorSnapshot> restored) {
        if ((readerFactory == null) == (inputGate == null)) {
            throw new IllegalArgumentException("A task reads either a source or an input gate: " + description);
        }
        this.description = description;
        this.readerFactory = readerFactory;
        this.inputGate = inputGate;
        this.head = head;
        this.operators = List.copyOf(operators);
        this.outputs = new TaskOutputs(writers, () -> mailbox.hasWork() && !replaying);
        this.checkpoints = new TaskCheckpoints(this, this.operators, outputs, inputGate);
        if (inputGate != null) {
            inputGate.onOvertakingBarrier(mailbox::wake);
        }
        this.listener = listener;
        this.batch = batch;
        if (restored != null && restored.size() != operators.size()) {
            throw new IllegalArgumentException(description + ": " + restored.size() + " snapshots to restore for "
                    + operators.size() + " operators");
        }
        // Not List.copyOf: entries are null for operators without saved state.
        this.restored = restored == null ? null : Collections.unmodifiableList(new ArrayList<>(restored));
    }

    public String description() {
        return description;
    }

    @Override
    public void run() {
        mailbox.bindToCurrentThread();
        try {
            for (int i = 0; i < operators.size(); i++) {
                operators.get(i).open(new OperatorServices(timers, restored == null ? null : restored.get(i), batch));
            }
            if (readerFactory != null) {
                reader = readerFactory.create();
                checkpoints.readerOpened(reader);
                readSource();
                if (!cancelled && stopSavepoint < 0) {
                    head.emitWatermark(Long.MAX_VALUE); // a finished source completes event time
                }
            } else {
                replayInFlight();
                readInputGate();
            }
            if (cancelled) {
                throw new TaskCancelledException();
            }
            // Stopped for a savepoint without draining: the input did not end, it was suspended, so
            // no final results (endInput) and consumers are told the same.
            boolean suspended = readerFactory != null ? stopSavepoint >= 0 && !stopDrains : inputGate.endedSuspended();
            if (!suspended) {
                for (StreamOperator<Object> operator : operators) {
                    operator.endInput();
                }
                if (checkpoints.finalCheckpointFollows() && !jobStopped) {
                    outputs.finish(false);
                    awaitFinalCheckpoint();
                }
                if (!finalCheckpointDone) {
                    for (StreamOperator<Object> operator : operators) {
                        operator.commitWithoutCheckpoint();
                    }
                }
                checkpoints.takeFinalState();
            }
            outputs.finish(suspended); // a no-op when finished before the final checkpoint
            closeAll();
            listener.taskFinished(this);
        } catch (Throwable error) {
            closeAll();
            if (cancelled) {
                listener.taskCancelled(this);
            } else {
                listener.taskFailed(this, error instanceof UserFunctionException ? error
                        : new TaskFailureException(description, error));
            }
        }
    }

    /** Where the task hands its checkpoint snapshots; set before the task runs. */
    public void setCheckpointHandler(CheckpointHandler handler) {
        checkpoints.setHandler(handler);
    }

    /**
     * Records to push through the chain before the task reads its input gate: the in-flight records of
     * the unaligned checkpoint it is restored from. Call before the task runs.
     */
    public void replayFirst(InFlightRecords records) {
        if (inputGate == null && records != null && !records.isEmpty()) {
            throw new IllegalArgumentException(description + " reads a source; it has no in-flight records to replay");
        }
        this.toReplay = records;
    }

    /**
     * Asks a source task to take checkpoint {@code checkpointId} before its next record: it snapshots
     * its chain and sends the barrier downstream. Tasks that read an input gate take checkpoints when
     * the barriers arrive instead. May be called from any thread.
     */
    public void triggerCheckpoint(long checkpointId) {
        triggerCheckpoint(checkpointId, CheckpointType.CHECKPOINT);
    }

    /**
     * Asks a source task to take a checkpoint or savepoint of the given type before its next record.
     * After a stopping savepoint the source reads nothing more; it ends its input when told the
     * savepoint completed ({@link #notifyCheckpointComplete}), or fails if told it was abandoned
     * ({@link #notifyCheckpointAborted}).
     */
    public void triggerCheckpoint(long checkpointId, CheckpointType type) {
        triggerCheckpoint(checkpointId, type, false);
    }

    /**
     * Asks a source task to take a checkpoint or savepoint; with {@code unaligned}, the barrier it
     * sends is one of an unaligned checkpoint and overtakes the data queued for its consumers.
     *
     * @throws IllegalArgumentException for an unaligned savepoint: savepoints are always aligned
     */
    public void triggerCheckpoint(long checkpointId, CheckpointType type, boolean unaligned) {
        if (readerFactory == null) {
            throw new IllegalStateException("Only source tasks are triggered; " + description + " reads barriers");
        }
        if (unaligned && type != CheckpointType.CHECKPOINT) {
            throw new IllegalArgumentException("A " + type + " is always aligned; only checkpoints can be unaligned");
        }
        mailbox.send(() -> {
            if (inputEnded) {
                takeAfterInputEnded(checkpointId);
                return;
            }
            if (stopSavepoint >= 0) {
                return; // stopping already: the source has sent its last barrier
            }
            if (type == CheckpointType.SAVEPOINT_DRAIN) {
                head.emitWatermark(Long.MAX_VALUE); // fire every window and timer before the cut
            }
            checkpoints.take(checkpointId, unaligned);
            if (type.stopsSource()) {
                stopSavepoint = checkpointId;
                stopDrains = type == CheckpointType.SAVEPOINT_DRAIN;
                outputs.flush();
            }
        });
    }

    /**
     * Asks a task that reads an input gate to take checkpoint or savepoint {@code checkpointId} once
     * its input has ended, unless the barrier reaches it through its input first. The coordinator
     * triggers every task that has not ended this way, since a producer that finished sends no
     * barrier any more. May be called from any thread.
     */
    public void triggerAfterInputEnded(long checkpointId) {
        mailbox.send(() -> {
            if (inputEnded) {
                takeAfterInputEnded(checkpointId);
            } else {
                pendingTrigger = Math.max(pendingTrigger, checkpointId);
            }
        });
    }

    /**
     * A checkpoint after endInput: the chain's state as it ends, with no barrier (the consumers were
     * told the output ended). Repeated or older triggers are ignored.
     */
    private void takeAfterInputEnded(long checkpointId) throws Exception {
        if (checkpointId > checkpoints.lastTaken()) {
            checkpoints.take(checkpointId, false);
        }
    }

    /**
     * Tells every operator of the chain, and a source's reader, that checkpoint {@code checkpointId}
     * is complete. Runs on the task thread between records; may be called from any thread.
     */
    public void notifyCheckpointComplete(long checkpointId) {
        notifyCheckpointComplete(checkpointId, false);
    }

    /**
     * @param stopsJob whether it was a stop-with-savepoint: no checkpoint follows it, so a task whose
     *     input ends after it commits at once instead of waiting for a final checkpoint
     */
    public void notifyCheckpointComplete(long checkpointId, boolean stopsJob) {
        mailbox.send(() -> {
            checkpoints.notifyComplete(checkpointId);
            if (stopSavepoint >= 0 && checkpointId >= stopSavepoint) {
                stopConfirmed = true;
            }
            if (stopsJob) {
                jobStopped = true;
            }
            long firstAfterEnd = checkpoints.firstTakenAfterInputEnded();
            if (firstAfterEnd >= 0 && checkpointId >= firstAfterEnd) {
                finalCheckpointDone = true;
            }
        });
    }

    /**
     * After endInput, with the output ended: takes part in checkpoints until one taken from now on
     * has completed (or a stop-with-savepoint ended the job, or the task is cancelled). Timers do not
     * fire any more; the input's end completed event time.
     */
    private void awaitFinalCheckpoint() throws Exception {
        inputEnded = true;
        checkpoints.inputEnded();
        if (pendingTrigger >= 0) {
            takeAfterInputEnded(pendingTrigger);
        }
        LOG.debug("{} finished its input and waits for a checkpoint to complete", description);
        while (!finalCheckpointDone && !jobStopped) {
            if (cancelled) {
                throw new TaskCancelledException();
            }
            mailbox.processMail();
            if (!finalCheckpointDone && !jobStopped && !mailbox.hasWork()) {
                LockSupport.parkNanos(this, ROOM_WAIT_NANOS); // mail unparks the thread
            }
        }
    }

    /**
     * Tells a source stopped by a stop-with-savepoint that the savepoint was abandoned. Without drain
     * it goes on reading; after a drain its event time is complete, so it fails and the job restarts
     * from its latest checkpoint.
     */
    public void notifyCheckpointAborted(long checkpointId, CheckpointType type, String reason) {
        mailbox.send(() -> {
            if (stopSavepoint != checkpointId) {
                return;
            }
            if (type == CheckpointType.SAVEPOINT_DRAIN) {
                throw new IllegalStateException("The savepoint to stop the job with (drained) failed: " + reason);
            }
            stopSavepoint = -1;
        });
    }

    /** Pushes restored in-flight records through the chain; no checkpoint starts meanwhile. */
    private void replayInFlight() {
        InFlightRecords records = toReplay;
        toReplay = null;
        if (records == null || records.isEmpty()) {
            return;
        }
        replaying = true;
        try {
            for (int i = 0; i < records.size(); i++) {
                if (records.input(i) == 1) {
                    if (!(head instanceof TwoInputOperator second)) {
                        throw new IllegalStateException(description + " was restored with in-flight records for a"
                                + " second input, but its first operator has one input; restore it from a savepoint");
                    }
                    second.emitSecond(records.record(i), records.timestamp(i));
                } else {
                    head.emit(records.record(i), records.timestamp(i));
                }
            }
        } finally {
            replaying = false;
        }
        LOG.info("{} processed the {} of the checkpoint it was restored from", description, records);
    }

    /** Stops the task soon: it leaves its loop at the next record batch or wait. */
    public void cancel() {
        cancelled = true;
        Thread current = mailbox.taskThread();
        if (current != null) {
            current.interrupt();
        }
    }

    private void readSource() throws Exception {
        SourceOutput<Object> output = new ReaderOutput();
        while (!cancelled) {
            mailbox.processMail();
            if (stopSavepoint >= 0) {
                if (stopConfirmed) {
                    return;
                }
                LockSupport.parkNanos(this, Math.min(IDLE_SOURCE_PARK_NANOS, timers.nanosToNext()));
                timers.runDue();
                continue;
            }
            OutputChannel full = outputs.mayBeFull() ? outputs.fullChannel() : null;
            if (full != null) {
                full.awaitRoom(ROOM_WAIT_NANOS); // mail wakes us too; it runs before the next poll
                continue;
            }
            SourceReader.Status status = reader.poll(output);
            timers.runDue();
            if (status == SourceReader.Status.END_OF_INPUT) {
                return;
            }
            if (status == SourceReader.Status.NOTHING_AVAILABLE) {
                outputs.flush();
                LockSupport.parkNanos(this, Math.min(IDLE_SOURCE_PARK_NANOS, timers.nanosToNext()));
            }
        }
    }

    /**
     * What the source reader emits into: records (with the timestamps the source gives them) and the
     * reader's own watermarks and idleness, passed on only when they change.
     */
    private final class ReaderOutput implements SourceOutput<Object> {
        private long watermark = Long.MIN_VALUE;
        private boolean idle;

        @Override
        public void collect(Object record) {
            collect(record, Output.NO_TIMESTAMP);
        }

        @Override
        public void collect(Object record, long timestamp) {
            active();
            head.emit(record, timestamp);
        }

        @Override
        public void emitWatermark(long next) {
            if (next > watermark) {
                active();
                watermark = next;
                head.emitWatermark(next);
            }
        }

        @Override
        public void markIdle() {
            if (!idle) {
                idle = true;
                head.emitIdle(true);
            }
        }

        private void active() {
            if (idle) {
                idle = false;
                head.emitIdle(false);
            }
        }
    }

    private void readInputGate() throws Exception {
        Buffer buffer;
        while ((buffer = inputGate.next(this::beforeWaiting, timers::nanosToNext)) != null) {
            switch (buffer.kind) {
                case DATA -> processRecords(buffer);
                case WATERMARK -> head.emitWatermark(buffer.watermark);
                case IDLE -> head.emitIdle(true);
                case ACTIVE -> head.emitIdle(false);
                case BARRIER, IN_FLIGHT_COMPLETE -> checkpoints.onGateEvent(buffer);
                case END_OF_PARTITION -> throw new IllegalStateException("the gate consumes end-of-partition itself");
            }
            timers.runDue();
            mailbox.processMail();
            if (cancelled) {
                return;
            }
        }
    }

    /**
     * Pushes the records of a DATA buffer through the chain. Before each record, the task does the
     * work waiting for it and waits for room in its outputs, so that it is never stuck inside a
     * record while a checkpoint needs it.
     */
    private void processRecords(Buffer buffer) throws Exception {
        int input = inputGate.lastInput();
        Object[] records = buffer.records;
        long[] timestamps = buffer.timestamps;
        TwoInputOperator second = input == 1 ? (TwoInputOperator) head : null;
        for (int i = 0, size = buffer.size; i < size; i++) {
            if (mailbox.hasWork() || outputs.mayBeFull()) {
                betweenRecords(buffer, i, input);
            }
            if (second != null) {
                second.emitSecond(records[i], timestamps[i]);
            } else {
                head.emit(records[i], timestamps[i]);
            }
        }
    }

    /**
     * Runs mail and acts on overtaking barriers (the records of {@code current} from {@code next} on
     * are not processed yet), then waits until every output channel has room, doing the same for work
     * that arrives meanwhile.
     */
    private void betweenRecords(Buffer current, int next, int input) throws Exception {
        while (true) {
            if (mailbox.hasWork()) {
                mailbox.processMail();
                Buffer event;
                while ((event = inputGate.pollOvertaking(current, next, input)) != null) {
                    checkpoints.onGateEvent(event);
                }
            }
            OutputChannel full = outputs.fullChannel();
            if (full == null) {
                return;
            }
            full.awaitRoom(ROOM_WAIT_NANOS);
            if (cancelled) {
                throw new TaskCancelledException();
            }
        }
    }

    /** Before the task parks for input: run mail and due timers, and push out what is in half-full batches. */
    private void beforeWaiting() throws Exception {
        mailbox.processMail();
        timers.runDue();
        try {
            outputs.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TaskCancelledException();
        }
    }

    private void closeAll() {
        for (StreamOperator<Object> operator : operators) {
            try {
                operator.close();
            } catch (Exception e) {
                LOG.warn("Closing an operator of {} failed", description, e);
            }
            if (operator instanceof StatefulOperator stateful) {
                try {
                    stateful.disposeState();
                } catch (RuntimeException e) {
                    LOG.warn("Releasing the state of an operator of {} failed", description, e);
                }
            }
        }
        if (reader != null) {
            try {
                reader.close();
            } catch (Exception e) {
                LOG.warn("Closing the source reader of {} failed", description, e);
            }
        }
    }

    @Override
    public String toString() {
        return description;
    }
}
