package io.runnel.connectors.kafka.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Writes records the source cannot deserialize to the dead-letter topic: the original key and value
 * bytes, the original headers, and headers saying where the record came from and why it failed.
 * Flushed at every checkpoint barrier, before the source's offsets are saved, so a record is never
 * both skipped and missing from the dead-letter topic (after a restart it may be there twice).
 */
final class DeadLetters implements AutoCloseable {

    static final String REASON = "runnel.dead-letter.reason";
    static final String TOPIC = "runnel.dead-letter.topic";
    static final String PARTITION = "runnel.dead-letter.partition";
    static final String OFFSET = "runnel.dead-letter.offset";
    static final String TIMESTAMP = "runnel.dead-letter.timestamp";

    private final String topic;
    private final KafkaProducer<byte[], byte[]> producer;
    private final SendErrors errors;

    DeadLetters(SourceSettings settings, String subtask) {
        this.topic = settings.deadLetterTopic();
        java.util.Properties config = new java.util.Properties();
        for (String key : settings.clientProperties().stringPropertyNames()) {
            // Security and connection settings apply to the producer too; consumer-only ones would only be warned about.
            if (key.startsWith("security.") || key.startsWith("sasl.") || key.startsWith("ssl.") || key.startsWith("client.")) {
                config.put(key, settings.clientProperties().getProperty(key));
            }
        }
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        this.producer = KafkaClients.producer(config);
        this.errors = new SendErrors(subtask + " (dead letters)", topic);
    }

    void send(ConsumerRecord<byte[], byte[]> record, String reason) {
        errors.throwIfFailed();
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        headers.add(REASON, reason.getBytes(StandardCharsets.UTF_8));
        headers.add(TOPIC, record.topic().getBytes(StandardCharsets.UTF_8));
        headers.add(PARTITION, Integer.toString(record.partition()).getBytes(StandardCharsets.UTF_8));
        headers.add(OFFSET, Long.toString(record.offset()).getBytes(StandardCharsets.UTF_8));
        headers.add(TIMESTAMP, Long.toString(record.timestamp()).getBytes(StandardCharsets.UTF_8));
        producer.send(new ProducerRecord<>(topic, null, record.timestamp(), record.key(), record.value(), headers), errors);
    }

    /** Waits until Kafka acknowledged every dead letter sent so far. */
    void flush() {
        producer.flush();
        errors.throwIfFailed();
    }

    @Override
    public void close() {
        KafkaClients.closeNow(producer, Duration.ofSeconds(5));
    }
}
