package io.runnel.connectors.kafka;

import io.runnel.api.serialization.RecordSerializer;
import io.runnel.api.stream.SinkDescriptor;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Builds descriptors of the {@code kafka} sink.
 *
 * <pre>
 * counts.sinkTo(KafkaSink.&lt;String&gt;values(text -&gt; text.getBytes(UTF_8))
 *         .bootstrapServers("127.0.0.1:9092")
 *         .topic("counts")
 *         .exactlyOnce("click-counter")
 *         .build(), "counts");
 * </pre>
 *
 * @param <T> the records written
 */
public final class KafkaSink<T> {

    private final Map<String, Object> parameters = new HashMap<>();

    private KafkaSink() {}

    /** A sink writing {@code valueSerializer(record)} as each record's value, without key. */
    public static <T> KafkaSink<T> values(RecordSerializer<T> valueSerializer) {
        KafkaSink<T> sink = new KafkaSink<>();
        sink.parameters.put(KafkaOptions.VALUE_SERIALIZER, Objects.requireNonNull(valueSerializer, "valueSerializer"));
        return sink;
    }

    /** A sink writing each record's {@code toString()} as a UTF-8 value. */
    public static <T> KafkaSink<T> strings() {
        KafkaSink<T> sink = new KafkaSink<>();
        sink.parameters.put(KafkaOptions.VALUE_FORMAT, "string");
        return sink;
    }

    /** Gives each record a key: {@code keySerializer(record)}, null for none. Kafka partitions by it. */
    public KafkaSink<T> keySerializer(RecordSerializer<T> keySerializer) {
        parameters.put(KafkaOptions.KEY_SERIALIZER, Objects.requireNonNull(keySerializer, "keySerializer"));
        return this;
    }

    public KafkaSink<T> bootstrapServers(String servers) {
        return set(KafkaOptions.BOOTSTRAP_SERVERS, servers);
    }

    public KafkaSink<T> topic(String topic) {
        return set(KafkaOptions.TOPIC, topic);
    }

    public KafkaSink<T> deliveryGuarantee(DeliveryGuarantee guarantee) {
        return set(KafkaOptions.DELIVERY_GUARANTEE, guarantee.optionValue());
    }

    /**
     * Exactly-once through Kafka transactions, with transactional ids {@code <prefix>-...}: the
     * prefix must be unique to this sink among every job writing to the cluster, and stay the same
     * across restarts of this job.
     */
    public KafkaSink<T> exactlyOnce(String transactionalIdPrefix) {
        deliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE);
        return set(KafkaOptions.TRANSACTIONAL_ID_PREFIX, transactionalIdPrefix);
    }

    /** Kafka's transaction timeout: longer than the longest outage the job must survive, at most the broker's maximum. */
    public KafkaSink<T> transactionTimeout(Duration timeout) {
        return set(KafkaOptions.TRANSACTION_TIMEOUT, timeout.toMillis() + "ms");
    }

    /** Transactional ids per subtask (default 5), reused in turn. */
    public KafkaSink<T> transactionalIdPoolSize(int size) {
        return set(KafkaOptions.TRANSACTIONAL_ID_POOL_SIZE, Integer.toString(size));
    }

    /** A kafka-clients producer setting, passed untouched (security, batching, compression, ...). */
    public KafkaSink<T> property(String key, String value) {
        return set(KafkaOptions.PROPERTIES_PREFIX + key, value);
    }

    public SinkDescriptor<T> build() {
        return new SinkDescriptor<>(KafkaOptions.CONNECTOR, parameters);
    }

    private KafkaSink<T> set(String key, String value) {
        parameters.put(key, Objects.requireNonNull(value, key));
        return this;
    }
}
