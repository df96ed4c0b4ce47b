package io.runnel.connectors.kafka.internal;

import io.runnel.spi.connector.SinkWriter;
import io.runnel.spi.connector.SubtaskInfo;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.ProducerFencedException;

/**
 * The exactly-once writer of one subtask: one Kafka transaction per checkpoint.
 *
 * <pre>
 * start:     initialiseProducers(): a producer per id of the pool, initTransactions (all ids at once)
 *            fencing and aborting whatever that id had open
 * write:     on the first record after a barrier, take a free id of the pool and begin a transaction
 *            on that id's producer; send
 * snapshotStateAsync(n): note the transaction as pre-committed for n, without waiting; the state
 *            is one {@link WriterState} with every pre-committed, uncommitted transaction, valid
 *            once all their records are acknowledged (the checkpoint waits for that, the task not)
 * notifyCheckpointComplete(n): commit every pre-committed transaction up to n, in order; free its id
 *            (its producer stays open for the id's next transaction)
 * finish():  flush only; the final checkpoint after the input's end pre-commits and commits the rest
 * close():   closes producers without aborting: a pre-committed transaction must survive a failure,
 *            since the restored job commits it
 * </pre>
 *
 * One producer per id of the pool lives as long as the writer: creating a producer and calling
 * initTransactions costs a round trip to the transaction coordinator (and metadata fetches), which
 * per checkpoint stalled the task thread. Fencing is unchanged: initialising each id fences older
 * producers of it, and a newer producer of the id makes our commit fail loudly. A producer that
 * failed to begin a transaction is dropped; the id's next use makes and initialises a new one.
 *
 * <p>A checkpoint without records costs nothing: no transaction is begun. Ids are reused only once
 * their transaction committed, so a bounded pool suffices while checkpoints complete; if every id
 * of the pool waits for a checkpoint, the writer fails with what to change.
 *
 * <p>Thread safety: called from the subtask's thread only; send callbacks (Kafka's I/O thread) only count
 * acknowledgements and record errors, and the pool is initialised on threads of its own.
 */
final class TransactionalWriter<T> implements SinkWriter<T> {

    /** An open or pre-committed transaction, the producer that holds it, and its sends. */
    private record Transaction(int index, String id, KafkaProducer<byte[], byte[]> producer, Committable committable,
            Acknowledgements sends) {}

    private final SinkSettings settings;
    private final SubtaskInfo subtask;
    private final TransactionalIds namespace;
    private final SendErrors errors;
    private final Deque<Transaction> precommitted = new ArrayDeque<>();
    /** The producer of each id of the pool, by index; null until the id is first used. */
    private final List<KafkaProducer<byte[], byte[]>> producers = new ArrayList<>();
    private Transaction current;
    private int nextIndex;

    TransactionalWriter(SinkSettings settings, SubtaskInfo subtask) {
        this.settings = settings;
        this.subtask = subtask;
        this.namespace = new TransactionalIds(settings.transactionalIdPrefix(), subtask.parallelism(), subtask.subtaskIndex(),
                settings.poolSize());
        for (int index = 0; index < namespace.poolSize(); index++) {
            producers.add(null);
        }
        this.errors = new SendErrors(subtask.toString(), settings.topic());
    }

    TransactionalIds namespace() {
        return namespace;
    }

    /**
     * Makes and initialises the producer of every id of the pool now, before the first record:
     * {@code initTransactions} aborts whatever is still open under an id (so this cleans the
     * writer's namespace) and the first transactions need no round trip to the coordinator. The ids
     * are initialised at once, each on a thread of its own: one after another they took about half
     * a second per subtask at every start, a round trip (or an abort) each. If any fails, every
     * producer is closed and the first failure is thrown.
     */
    void initialiseProducers() {
        try {
            for (int index = 0; index < namespace.poolSize(); index++) {
                if (producers.get(index) == null) {
                    producers.set(index, KafkaClients.producer(settings.transactionalProperties(namespace.id(index))));
                }
            }
            initialiseAll();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private void initialiseAll() {
        List<Thread> threads = new ArrayList<>(producers.size());
        List<RuntimeException> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int index = 0; index < producers.size(); index++) {
            KafkaProducer<byte[], byte[]> producer = producers.get(index);
            Thread thread = new Thread(() -> {
                try {
                    producer.initTransactions();
                } catch (RuntimeException e) {
                    failures.add(e);
                }
            }, subtask + " initialising " + namespace.id(index));
            thread.setDaemon(true);
            thread.setContextClassLoader(KafkaClients.class.getClassLoader()); // see KafkaClients
            threads.add(thread);
            thread.start();
        }
        try {
            for (Thread thread : threads) {
                thread.join();
            }
        } catch (InterruptedException e) {
            // Cancelled meanwhile: close() closes the producers, which ends the waits of the threads.
            Thread.currentThread().interrupt();
            throw new IllegalStateException(subtask + ": interrupted while initialising the transactional ids of " + namespace, e);
        }
        if (!failures.isEmpty()) {
            RuntimeException first = failures.get(0);
            for (int i = 1; i < failures.size(); i++) {
                first.addSuppressed(failures.get(i));
            }
            throw first;
        }
    }

    @Override
    public void write(T record) throws Exception {
        errors.throwIfFailed();
        if (current == null) {
            current = begin();
        }
        byte[] key = settings.keySerializer() == null ? null : settings.keySerializer().serialize(record);
        byte[] bytes = settings.valueSerializer().serialize(record);
        current.sends().sending();
        current.producer().send(new ProducerRecord<>(settings.topic(), key, bytes), current.sends());
    }

    private Transaction begin() {
        int index = freeIndex();
        String id = namespace.id(index);
        KafkaProducer<byte[], byte[]> producer = producers.get(index);
        try {
            if (producer == null) {
                producer = KafkaClients.producer(settings.transactionalProperties(id));
                producers.set(index, producer);
                producer.initTransactions();
            }
            producer.beginTransaction();
        } catch (RuntimeException e) {
            // A producer that failed here is not trusted again; the id's next use makes a new one.
            producers.set(index, null);
            if (producer != null) {
                KafkaClients.closeNow(producer, Duration.ZERO);
            }
            throw e;
        }
        nextIndex = (index + 1) % namespace.poolSize();
        return new Transaction(index, id, producer, null, new Acknowledgements(errors));
    }

    /** The next id of the pool, in turn, whose transaction is not waiting for a checkpoint. */
    private int freeIndex() {
        for (int step = 0; step < namespace.poolSize(); step++) {
            int candidate = (nextIndex + step) % namespace.poolSize();
            boolean busy = false;
            for (Transaction waiting : precommitted) {
                busy |= waiting.index() == candidate;
            }
            if (!busy) {
                return candidate;
            }
        }
        throw new IllegalStateException(subtask + ": all " + namespace.poolSize() + " transactional ids of " + namespace
                + " hold transactions waiting for checkpoints " + precommitted.getFirst().committable().checkpointId() + ".."
                + precommitted.getLast().committable().checkpointId() + " to complete. Checkpoints are not completing, or "
                + "more are in flight at once than the pool allows: raise sink.transactional-id-pool-size above "
                + "execution.checkpointing.max-concurrent-checkpoints + 1, or find why checkpoints fail");
    }

    /**
     * Pre-commits without waiting: the open transaction's producer is set aside with its
     * committable, and the next record begins a transaction on the next id of the pool. The state is
     * valid once every pending transaction's records are acknowledged, this one's and those of
     * earlier checkpoints still pending (the state names them all); a failed send fails it.
     * Meanwhile the task goes on reading and writing: a blocking {@code flush()} here took a quarter
     * of the task's time in the kafka-eos benchmark. Records still lingering in the producer leave
     * after {@code linger.ms}.
     */
    @Override
    public CompletionStage<List<byte[]>> snapshotStateAsync(long checkpointId) throws Exception {
        errors.throwIfFailed();
        if (current != null) {
            current.sends().seal();
            Committable committable = ProducerInternals.committable(current.producer(), current.id(), checkpointId);
            precommitted.addLast(new Transaction(current.index(), current.id(), current.producer(), committable,
                    current.sends()));
            current = null;
        }
        List<Committable> pending = new ArrayList<>(precommitted.size());
        List<CompletableFuture<Void>> acknowledged = new ArrayList<>(precommitted.size());
        for (Transaction transaction : precommitted) {
            pending.add(transaction.committable());
            acknowledged.add(transaction.sends().all());
        }
        List<byte[]> state = List.of(new WriterState(namespace, pending).toBytes());
        return CompletableFuture.allOf(acknowledged.toArray(CompletableFuture[]::new)).thenApply(done -> state);
    }

    /** {@link #snapshotStateAsync}, waiting: the open transaction is flushed first. */
    @Override
    public List<byte[]> snapshotState(long checkpointId) throws Exception {
        if (current != null) {
            current.producer().flush();
        }
        try {
            return snapshotStateAsync(checkpointId).toCompletableFuture().get();
        } catch (ExecutionException e) {
            errors.throwIfFailed();
            throw e;
        }
    }

    /** Commits every pre-committed transaction up to {@code checkpointId}, oldest first. */
    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        while (!precommitted.isEmpty() && precommitted.peekFirst().committable().checkpointId() <= checkpointId) {
            Transaction transaction = precommitted.peekFirst();
            commit(transaction.producer(), transaction.committable().toString());
            precommitted.removeFirst();
        }
    }

    /**
     * The input ended: sends what the open transaction buffers, committing nothing. The runtime takes
     * a final checkpoint after this (or, without checkpoints, calls snapshotState and
     * notifyCheckpointComplete itself), which commits it; a commit here would be repeated by a
     * restore from an earlier checkpoint.
     */
    @Override
    public void finish() throws Exception {
        if (current != null) {
            current.producer().flush();
            errors.throwIfFailed();
        }
    }

    private void commit(KafkaProducer<byte[], byte[]> producer, String what) {
        try {
            producer.commitTransaction();
        } catch (ProducerFencedException | InvalidProducerEpochException | InvalidTxnStateException e) {
            throw new IllegalStateException(subtask + ": Kafka refused to commit " + what + " to topic '" + settings.topic()
                    + "': " + e.getClass().getSimpleName() + " (" + e.getMessage() + "). Another producer took over the "
                    + "transactional id (is another sink or job using the prefix '" + settings.transactionalIdPrefix()
                    + "'?), or the broker aborted the transaction after sink.transaction-timeout (" + settings.transactionTimeout()
                    + "). The transaction's records are not visible to read_committed consumers; the job restarts from its "
                    + "last checkpoint. Give every sink its own prefix, and a timeout longer than checkpoints take.", e);
        } catch (KafkaException e) {
            throw new IllegalStateException(subtask + ": committing " + what + " to topic '" + settings.topic() + "' failed: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Closes every producer at once, without aborting: after a failure the pre-committed transactions
     * are committed by the restored job, and the open one is aborted by it (its id is cleaned up).
     */
    @Override
    public void close() {
        current = null;
        precommitted.clear();
        for (int index = 0; index < producers.size(); index++) {
            if (producers.get(index) != null) {
                KafkaClients.closeNow(producers.get(index), Duration.ZERO);
                producers.set(index, null);
            }
        }
    }

    /**
     * The sends of one transaction, as their callback: counts those not acknowledged yet, and
     * completes {@link #all()} once the transaction is sealed (no more sends) and every send was
     * acknowledged, or fails it with the first failed send. Every failure also goes to the writer's
     * {@link SendErrors}, which fails the task on its next call.
     */
    static final class Acknowledgements implements Callback {

        private final SendErrors errors;
        private final AtomicLong unacknowledged = new AtomicLong();
        private final CompletableFuture<Void> all = new CompletableFuture<>();
        private volatile boolean sealed;

        Acknowledgements(SendErrors errors) {
            this.errors = errors;
        }

        /** On the task thread, before each send. */
        void sending() {
            unacknowledged.incrementAndGet();
        }

        /** On the task thread: no send follows. */
        void seal() {
            sealed = true;
            if (unacknowledged.get() == 0) {
                all.complete(null);
            }
        }

        @Override
        public void onCompletion(RecordMetadata metadata, Exception exception) {
            errors.onCompletion(metadata, exception);
            if (exception != null) {
                all.completeExceptionally(exception);
            }
            // The last acknowledgement after the seal completes it; seal() covers one before it.
            if (unacknowledged.decrementAndGet() == 0 && sealed) {
                all.complete(null);
            }
        }

        CompletableFuture<Void> all() {
            return all;
        }
    }
}
