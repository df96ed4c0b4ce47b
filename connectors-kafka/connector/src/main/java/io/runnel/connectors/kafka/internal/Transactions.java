package io.runnel.connectors.kafka.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.clients.admin.TransactionState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recovery of an exactly-once sink's transactions after a restart: committing what a checkpoint
 * promised, and aborting transactions that no checkpoint covers (they would otherwise hold back
 * every {@code read_committed} consumer of the topic until they time out).
 */
final class Transactions {

    private static final Logger LOG = LoggerFactory.getLogger(Transactions.class);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    private Transactions() {}

    /**
     * Commits a transaction a checkpoint promised, from a new producer. Committing again a
     * transaction that was committed already is harmless; so is one whose id a later producer has
     * taken over, which happens only after the transaction was committed (ids are reused only once
     * their transaction committed), unless the broker aborted it for exceeding the transaction
     * timeout, which the warning names.
     *
     * @throws IllegalStateException if the broker says the transaction was aborted: its records are lost
     */
    static void commitRecovered(SinkSettings settings, Committable committable, String sinkName) {
        KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(settings.transactionalProperties(committable.transactionalId()));
        try {
            ProducerInternals.resume(producer, committable);
            producer.commitTransaction();
            LOG.info("{}: committed the recovered {}", sinkName, committable);
        } catch (ProducerFencedException | InvalidProducerEpochException superseded) {
            LOG.warn("{}: the recovered {} was taken over by a newer producer of its id, so it was committed before "
                    + "(by the run that failed, or an earlier recovery). If the job was down for longer than "
                    + "sink.transaction-timeout ({}), the broker may have aborted it instead and its records are lost.",
                    sinkName, committable, settings.transactionTimeout());
        } catch (InvalidTxnStateException aborted) {
            throw new IllegalStateException(sinkName + ": Kafka refuses to commit the recovered " + committable
                    + " because it is no longer open (" + aborted.getMessage() + "): most likely the broker aborted it after "
                    + "sink.transaction-timeout (" + settings.transactionTimeout() + ") while the job was down, and the records "
                    + "of that checkpoint are lost from topic '" + settings.topic() + "'. Raise sink.transaction-timeout "
                    + "(up to the broker's transaction.max.timeout.ms) above the longest outage the job must survive.", aborted);
        } finally {
            KafkaClients.closeNow(producer, Duration.ZERO);
        }
    }

    /**
     * Aborts whatever transaction is open under each id of {@code namespace}: a producer initialising
     * an id fences and aborts the id's earlier producer.
     */
    static void abortAll(SinkSettings settings, TransactionalIds namespace, String sinkName) {
        for (int index = 0; index < namespace.poolSize(); index++) {
            abort(settings, namespace.id(index));
        }
        LOG.debug("{}: aborted any open transaction of {}", sinkName, namespace);
    }

    static void abort(SinkSettings settings, String transactionalId) {
        KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(settings.transactionalProperties(transactionalId));
        try {
            producer.initTransactions();
        } finally {
            KafkaClients.closeNow(producer, Duration.ZERO);
        }
    }

    /**
     * Aborts the open transactions of this sink's prefix in namespaces that the current run does not
     * own (of another parallelism, or of subtasks beyond it): leftovers of an earlier run of the job
     * that started afresh instead of from its checkpoint. Needs permission to list transactions; without
     * it, logs a warning and leaves them to time out.
     */
    static void abortForeignNamespaces(SinkSettings settings, int parallelism, String sinkName) {
        List<String> foreign = new ArrayList<>();
        try (Admin admin = KafkaClients.admin(adminProperties(settings))) {
            Collection<TransactionListing> listings = admin.listTransactions(new ListTransactionsOptions()
                    .filterStates(List.of(TransactionState.ONGOING, TransactionState.PREPARE_COMMIT,
                            TransactionState.PREPARE_ABORT))
                    .timeoutMs((int) ADMIN_TIMEOUT.toMillis()))
                    .all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            for (TransactionListing listing : listings) {
                TransactionalIds namespace = TransactionalIds.namespaceOf(listing.transactionalId(), settings.transactionalIdPrefix());
                if (namespace != null && (namespace.parallelism() != parallelism || namespace.subtask() >= parallelism)) {
                    foreign.add(listing.transactionalId());
                }
            }
        } catch (Exception e) {
            LOG.warn("{}: cannot list Kafka transactions to abort leftovers of earlier runs with prefix '{}' ({}); they end "
                    + "when their transaction timeout passes", sinkName, settings.transactionalIdPrefix(), e.toString());
            return;
        }
        for (String id : foreign) {
            abort(settings, id);
        }
        if (!foreign.isEmpty()) {
            LOG.info("{}: aborted {} open transaction(s) left by earlier runs: {}", sinkName, foreign.size(), foreign);
        }
    }

    static java.util.Properties adminProperties(SinkSettings settings) {
        java.util.Properties config = new java.util.Properties();
        config.putAll(settings.clientProperties());
        config.put("bootstrap.servers", settings.bootstrapServers());
        config.put("request.timeout.ms", "15000");
        config.put("default.api.timeout.ms", "30000");
        // Producer-only settings would make the admin client log "unknown config" warnings; harmless.
        return config;
    }
}
