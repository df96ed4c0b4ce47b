package io.runnel.runtime.internal.task;

import io.runnel.api.functions.Collector;
import io.runnel.runtime.internal.operators.OperatorServices;
import io.runnel.runtime.internal.operators.OperatorSnapshot;
import io.runnel.runtime.internal.operators.StatefulOperator;
import io.runnel.runtime.internal.operators.StreamOperator;
import io.runnel.runtime.internal.operators.TwoInputOperator;
import io.runnel.runtime.internal.operators.UserFunctionException;
import io.runnel.spi.connector.SourceReader;
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
 * polls of its reader; any other task when its input gate has aligned the barriers of all inputs.
 * Taking one snapshots the chain, hands the snapshots to the {@link CheckpointHandler} and sends the
 * barrier to every consumer.
 *
 * <pre>
 * open all operators -> process until the input ends (or cancel/failure)
 *   -> endInput on each operator, head to tail -> finish writers (end-of-partition downstream)
 *   -> close all operators (always)
 * </pre>
 */
public final class StreamTask implements Runnable {

    /** Told how a task ended. Called on the task's thread. */
    public interface Listener {
        void taskFinished(StreamTask task);

        void taskFailed(StreamTask task, Throwable error);

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
    }

    /** Opens the source reader of a source task on its own thread. */
    @FunctionalInterface
    public interface ReaderFactory {
        SourceReader<Object> create() throws Exception;
    }

    private static final Logger LOG = LoggerFactory.getLogger(StreamTask.class);
    private static final long IDLE_SOURCE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final String description;
    private final ReaderFactory readerFactory;
    private final InputGate inputGate;
    private final Output<Object> head;
    private final List<StreamOperator<Object>> operators;
    private final List<RecordWriter> writers;
    private final Listener listener;
    private final ProcessingTimers timers = new ProcessingTimers();
    private volatile boolean cancelled;
    private volatile Thread thread;
    private final boolean batch;
    private volatile CheckpointHandler checkpointHandler;
    /** The reader of a source task once it is open; only the task thread uses it. */
    private SourceReader<Object> reader;
    /** Checkpoints a source task is asked to take, in order; taken between two polls of its reader. */
    private final java.util.concurrent.ConcurrentLinkedQueue<Long> triggeredCheckpoints =
            new java.util.concurrent.ConcurrentLinkedQueue<>();

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
        if ((readerFactory == null) == (inputGate == null)) {
            throw new IllegalArgumentException("A task reads either a source or an input gate: " + description);
        }
        this.description = description;
        this.readerFactory = readerFactory;
        this.inputGate = inputGate;
        this.head = head;
        this.operators = List.copyOf(operators);
        this.writers = List.copyOf(writers);
        this.listener = listener;
        this.batch = batch;
    }

    public String description() {
        return description;
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        try {
            OperatorServices services = new OperatorServices(timers, null, batch);
            for (StreamOperator<Object> operator : operators) {
                operator.open(services);
            }
            if (readerFactory != null) {
                reader = readerFactory.create();
                readSource();
                if (!cancelled) {
                    head.emitWatermark(Long.MAX_VALUE); // a finished source completes event time
                }
            } else {
                readInputGate();
            }
            if (cancelled) {
                throw new TaskCancelledException();
            }
            for (StreamOperator<Object> operator : operators) {
                operator.endInput();
            }
            for (RecordWriter writer : writers) {
                writer.finish();
            }
            closeAll(reader);
            listener.taskFinished(this);
        } catch (Throwable error) {
            closeAll(reader);
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
        this.checkpointHandler = handler;
    }

    /**
     * Asks a source task to take checkpoint {@code checkpointId} before its next record: it snapshots
     * its chain and sends the barrier downstream. Tasks that read an input gate take checkpoints when
     * the barriers arrive instead. May be called from any thread.
     */
    public void triggerCheckpoint(long checkpointId) {
        if (readerFactory == null) {
            throw new IllegalStateException("Only source tasks are triggered; " + description + " reads barriers");
        }
        triggeredCheckpoints.add(checkpointId);
        Thread current = thread;
        if (current != null) {
            LockSupport.unpark(current);
        }
    }

    /** Snapshots the reader and every operator of the chain, hands the snapshots over, and sends the barrier on. */
    private void takeCheckpoint(long checkpointId) throws Exception {
        long now = System.currentTimeMillis();
        List<byte[]> sourceSplits = reader == null ? null : reader.snapshotSplits(checkpointId);
        List<OperatorSnapshot> snapshots = new java.util.ArrayList<>(operators.size());
        for (StreamOperator<Object> operator : operators) {
            snapshots.add(operator instanceof StatefulOperator stateful ? stateful.snapshotState(checkpointId, now)
                    : OperatorSnapshot.NONE);
        }
        CheckpointHandler handler = checkpointHandler;
        if (handler != null) {
            handler.checkpointTaken(this, checkpointId, sourceSplits, snapshots);
        }
        for (RecordWriter writer : writers) {
            writer.emitBarrier(checkpointId);
        }
    }

    /** Stops the task soon: it leaves its loop at the next record batch or wait. */
    public void cancel() {
        cancelled = true;
        Thread current = thread;
        if (current != null) {
            current.interrupt();
        }
    }

    private void readSource() throws Exception {
        Collector<Object> output = record -> head.emit(record, Output.NO_TIMESTAMP);
        while (!cancelled) {
            Long checkpoint;
            while ((checkpoint = triggeredCheckpoints.poll()) != null) {
                takeCheckpoint(checkpoint);
            }
            SourceReader.Status status = reader.poll(output);
            timers.runDue();
            if (status == SourceReader.Status.END_OF_INPUT) {
                return;
            }
            if (status == SourceReader.Status.NOTHING_AVAILABLE) {
                flushWriters();
                LockSupport.parkNanos(this, Math.min(IDLE_SOURCE_PARK_NANOS, timers.nanosToNext()));
            }
        }
    }

    private void readInputGate() throws Exception {
        Buffer buffer;
        while ((buffer = inputGate.next(this::beforeWaiting, timers::nanosToNext)) != null) {
            switch (buffer.kind) {
                case DATA -> {
                    Object[] records = buffer.records;
                    long[] timestamps = buffer.timestamps;
                    if (inputGate.lastInput() == 1) {
                        TwoInputOperator second = (TwoInputOperator) head;
                        for (int i = 0, size = buffer.size; i < size; i++) {
                            second.emitSecond(records[i], timestamps[i]);
                        }
                    } else {
                        for (int i = 0, size = buffer.size; i < size; i++) {
                            head.emit(records[i], timestamps[i]);
                        }
                    }
                }
                case WATERMARK -> head.emitWatermark(buffer.watermark);
                case IDLE -> head.emitIdle(true);
                case ACTIVE -> head.emitIdle(false);
                case BARRIER -> takeCheckpoint(buffer.watermark);
                case END_OF_PARTITION -> throw new IllegalStateException("the gate consumes end-of-partition itself");
            }
            timers.runDue();
            if (cancelled) {
                return;
            }
        }
    }

    /** Before the task parks for input: run due timers, and push out what is in half-full batches. */
    private void beforeWaiting() {
        timers.runDue();
        flushWritersOrCancel();
    }

    private void flushWriters() throws InterruptedException {
        for (RecordWriter writer : writers) {
            writer.flush();
        }
    }

    private void flushWritersOrCancel() {
        try {
            flushWriters();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TaskCancelledException();
        }
    }

    private void closeAll(SourceReader<Object> reader) {
        for (StreamOperator<Object> operator : operators) {
            try {
                operator.close();
            } catch (Exception e) {
                LOG.warn("Closing an operator of {} failed", description, e);
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
