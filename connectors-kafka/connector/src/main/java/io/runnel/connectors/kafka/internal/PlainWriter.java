package io.runnel.connectors.kafka.internal;

import io.runnel.connectors.kafka.DeliveryGuarantee;
import io.runnel.spi.connector.SinkWriter;
import io.runnel.spi.connector.SubtaskInfo;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The writer for {@code none} and {@code at-least-once}: one idempotent producer per subtask. At
 * least once flushes at every checkpoint barrier, so a completed checkpoint implies that Kafka
 * acknowledged every record before it; a send error fails the writer's next call.
 *
 * <p>Thread safety: called from the subtask's thread only.
 */
final class PlainWriter<T> implements SinkWriter<T> {

    private final SinkSettings settings;
    private final KafkaProducer<byte[], byte[]> producer;
    private final SendErrors errors;
    private boolean finished;

    PlainWriter(SinkSettings settings, SubtaskInfo subtask) {
        this.settings = settings;
        this.producer = KafkaClients.producer(settings.producerProperties());
        this.errors = new SendErrors(subtask.toString(), settings.topic());
    }

    @Override
    public void write(T record) throws Exception {
        errors.throwIfFailed();
        byte[] key = settings.keySerializer() == null ? null : settings.keySerializer().serialize(record);
        producer.send(new ProducerRecord<>(settings.topic(), key, settings.valueSerializer().serialize(record)), errors);
    }

    @Override
    public List<byte[]> snapshotState(long checkpointId) {
        if (settings.guarantee() == DeliveryGuarantee.AT_LEAST_ONCE) {
            producer.flush();
            errors.throwIfFailed();
        }
        return null;
    }

    @Override
    public void finish() {
        producer.flush();
        errors.throwIfFailed();
        finished = true;
    }

    /** After {@link #finish()} everything is sent; a failed or cancelled run does not wait for pending sends. */
    @Override
    public void close() {
        KafkaClients.closeNow(producer, finished ? Duration.ofSeconds(30) : Duration.ZERO);
    }
}
