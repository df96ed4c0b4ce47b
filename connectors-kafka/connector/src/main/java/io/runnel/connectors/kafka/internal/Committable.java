package io.runnel.connectors.kafka.internal;

/**
 * A pre-committed transaction: flushed at checkpoint {@code checkpointId}'s barrier, waiting for
 * that checkpoint to complete. Enough to commit it from a new producer after a crash.
 *
 * @param transactionalId the Kafka transactional id
 * @param producerId the producer id the broker gave it
 * @param epoch the producer epoch during the transaction
 * @param transactionV2 whether the transaction used Kafka's transaction protocol 2 (KIP-890)
 */
record Committable(long checkpointId, String transactionalId, long producerId, short epoch, boolean transactionV2) {

    @Override
    public String toString() {
        return "transaction " + transactionalId + " (producer id " + producerId + ", epoch " + epoch + ", checkpoint "
                + checkpointId + ")";
    }
}
