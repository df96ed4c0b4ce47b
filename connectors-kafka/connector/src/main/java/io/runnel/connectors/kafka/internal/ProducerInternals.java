package io.runnel.connectors.kafka.internal;

import java.lang.reflect.Field;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.internals.TransactionManager;
import org.apache.kafka.common.utils.AppInfoParser;
import org.apache.kafka.common.utils.ProducerIdAndEpoch;

/**
 * Reads a transactional producer's id and epoch, and makes a fresh producer continue a transaction
 * another producer (of a process that died) pre-committed, so that it can commit it. kafka-clients
 * has no public API for this: KIP-939's {@code initTransactions(keepPreparedTxn)} exists in 4.3.1
 * but the 4.3.1 transaction coordinator still refuses InitProducerId with keepPreparedTxn
 * (KAFKA-20739, fixed for 4.4.0), and it needs two-phase commit enabled on the broker and an extra
 * ACL. So this sets private fields of the producer's {@code TransactionManager}: producer id and
 * epoch, whether the transaction used protocol version 2, "a transaction was started", and the
 * state IN_TRANSACTION; then {@code commitTransaction()} sends the EndTxn the dead producer would
 * have sent.
 *
 * <p>This depends on the internals of exactly the kafka-clients version embedded in this bundle
 * ({@value #PINNED_VERSION}); the class refuses to work with another, and
 * {@code ExactlyOnceRecoveryTest} covers it against a real broker. Updating kafka-clients means
 * re-reading {@code TransactionManager} and running that test.
 */
final class ProducerInternals {

    static final String PINNED_VERSION = "4.3.1";

    private static final Field TRANSACTION_MANAGER;
    private static final Field PRODUCER_ID_AND_EPOCH;
    private static final Field TRANSACTION_V2;
    private static final Field TRANSACTION_STARTED;
    private static final Field CURRENT_STATE;
    private static final Object IN_TRANSACTION;

    static {
        String version = AppInfoParser.getVersion();
        if (!PINNED_VERSION.equals(version)) {
            throw new IllegalStateException("The kafka sink resumes transactions through internals of kafka-clients "
                    + PINNED_VERSION + ", but kafka-clients " + version + " is embedded: check TransactionManager and "
                    + "run ExactlyOnceRecoveryTest before changing the version");
        }
        try {
            TRANSACTION_MANAGER = accessible(KafkaProducer.class.getDeclaredField("transactionManager"));
            PRODUCER_ID_AND_EPOCH = accessible(TransactionManager.class.getDeclaredField("producerIdAndEpoch"));
            TRANSACTION_V2 = accessible(TransactionManager.class.getDeclaredField("isTransactionV2Enabled"));
            TRANSACTION_STARTED = accessible(TransactionManager.class.getDeclaredField("transactionStarted"));
            CURRENT_STATE = accessible(TransactionManager.class.getDeclaredField("currentState"));
            @SuppressWarnings({"unchecked", "rawtypes"})
            Object inTransaction = Enum.valueOf((Class) CURRENT_STATE.getType(), "IN_TRANSACTION");
            IN_TRANSACTION = inTransaction;
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("kafka-clients " + version + " no longer has the TransactionManager fields the "
                    + "kafka sink needs to resume transactions: " + e, e);
        }
    }

    private ProducerInternals() {}

    /** What it takes to commit the open transaction of {@code producer} from another producer later. */
    static Committable committable(KafkaProducer<?, ?> producer, String transactionalId, long checkpointId) {
        TransactionManager manager = manager(producer);
        ProducerIdAndEpoch idAndEpoch = (ProducerIdAndEpoch) get(PRODUCER_ID_AND_EPOCH, manager);
        return new Committable(checkpointId, transactionalId, idAndEpoch.producerId, idAndEpoch.epoch,
                manager.isTransactionV2Enabled());
    }

    /**
     * Puts {@code producer}, made with {@code committable}'s transactional id and never initialised,
     * into that transaction, so that {@code commitTransaction()} commits it.
     */
    static void resume(KafkaProducer<?, ?> producer, Committable committable) {
        TransactionManager manager = manager(producer);
        synchronized (manager) {
            set(PRODUCER_ID_AND_EPOCH, manager, new ProducerIdAndEpoch(committable.producerId(), committable.epoch()));
            set(TRANSACTION_V2, manager, committable.transactionV2());
            set(TRANSACTION_STARTED, manager, true);
            set(CURRENT_STATE, manager, IN_TRANSACTION);
        }
    }

    private static TransactionManager manager(KafkaProducer<?, ?> producer) {
        TransactionManager manager = (TransactionManager) get(TRANSACTION_MANAGER, producer);
        if (manager == null) {
            throw new IllegalStateException("the producer has no transactional id");
        }
        return manager;
    }

    private static Field accessible(Field field) {
        field.setAccessible(true);
        return field;
    }

    private static Object get(Field field, Object target) {
        try {
            return field.get(target);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read " + field, e);
        }
    }

    private static void set(Field field, Object target, Object value) {
        try {
            field.set(target, value);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot set " + field, e);
        }
    }
}
