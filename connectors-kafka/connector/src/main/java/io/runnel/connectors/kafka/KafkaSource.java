package io.runnel.connectors.kafka;

import io.runnel.api.serialization.RecordDeserializer;
import io.runnel.api.stream.SourceDescriptor;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Builds descriptors of the {@code kafka} source.
 *
 * <pre>
 * DataStream&lt;String&gt; lines = env.fromSource(KafkaSource.values(value -&gt; new String(value, UTF_8))
 *         .bootstrapServers("127.0.0.1:9092")
 *         .topics("clicks")
 *         .groupId("click-counter")
 *         .startFromEarliest()
 *         .build(), "clicks");
 * </pre>
 *
 * Partitions are spread over the source's subtasks by a fixed rule; offsets are part of every
 * checkpoint and a restored job resumes from them (the group's committed offsets are only for
 * tooling, and for the {@code group-offsets} start of a fresh job).
 *
 * @param <T> what the source emits
 */
public final class KafkaSource<T> {

    private final Map<String, Object> parameters = new HashMap<>();

    private KafkaSource() {}

    /** A source emitting each record's value read by {@code valueDeserializer}. */
    public static <T> KafkaSource<T> values(RecordDeserializer<T> valueDeserializer) {
        KafkaSource<T> source = new KafkaSource<>();
        source.parameters.put(KafkaOptions.VALUE_DESERIALIZER, Objects.requireNonNull(valueDeserializer, "valueDeserializer"));
        return source;
    }

    /** A source emitting each record's value as a UTF-8 string. */
    public static KafkaSource<String> strings() {
        KafkaSource<String> source = new KafkaSource<>();
        source.parameters.put(KafkaOptions.VALUE_FORMAT, "string");
        return source;
    }

    /** A source emitting {@link KafkaRecord}s: key, value, topic, partition, offset and timestamp. */
    public static <K, V> KafkaSource<KafkaRecord<K, V>> records(RecordDeserializer<K> keyDeserializer,
            RecordDeserializer<V> valueDeserializer) {
        KafkaSource<KafkaRecord<K, V>> source = new KafkaSource<>();
        source.parameters.put(KafkaOptions.KEY_DESERIALIZER, Objects.requireNonNull(keyDeserializer, "keyDeserializer"));
        source.parameters.put(KafkaOptions.VALUE_DESERIALIZER, Objects.requireNonNull(valueDeserializer, "valueDeserializer"));
        source.parameters.put(KafkaOptions.OUTPUT, "record");
        return source;
    }

    public KafkaSource<T> bootstrapServers(String servers) {
        return set(KafkaOptions.BOOTSTRAP_SERVERS, servers);
    }

    public KafkaSource<T> topics(String... topics) {
        return set(KafkaOptions.TOPICS, String.join(",", List.of(topics)));
    }

    /** Every topic whose whole name matches {@code regex}, including topics created while the job runs (see discovery). */
    public KafkaSource<T> topicPattern(String regex) {
        return set(KafkaOptions.TOPIC_PATTERN, regex);
    }

    public KafkaSource<T> groupId(String groupId) {
        return set(KafkaOptions.GROUP_ID, groupId);
    }

    public KafkaSource<T> startFromEarliest() {
        return set(KafkaOptions.STARTUP_MODE, "earliest-offset");
    }

    public KafkaSource<T> startFromLatest() {
        return set(KafkaOptions.STARTUP_MODE, "latest-offset");
    }

    /** From the first record whose timestamp is at or after {@code epochMillis} in each partition. */
    public KafkaSource<T> startFromTimestamp(long epochMillis) {
        set(KafkaOptions.STARTUP_MODE, "timestamp");
        return set(KafkaOptions.STARTUP_TIMESTAMP, Long.toString(epochMillis));
    }

    /**
     * From the group's committed offsets; a partition without one starts per {@code reset}:
     * {@code earliest}, {@code latest} or {@code none} (the job fails, naming the partition).
     */
    public KafkaSource<T> startFromGroupOffsets(String reset) {
        set(KafkaOptions.STARTUP_MODE, "group-offsets");
        return set(KafkaOptions.GROUP_OFFSETS_RESET, reset);
    }

    /** Stop at the end offsets present when the job first started (a restored job keeps those). */
    public KafkaSource<T> bounded() {
        return set(KafkaOptions.BOUNDED_MODE, "latest-offset");
    }

    /** How often subtasks look for new partitions; {@code Duration.ZERO} never. */
    public KafkaSource<T> partitionDiscoveryInterval(Duration interval) {
        return set(KafkaOptions.DISCOVERY_INTERVAL, interval.toMillis() + "ms");
    }

    /**
     * Per-partition watermarks: each partition's watermark trails its highest record timestamp by
     * {@code outOfOrderness}; a subtask emits the minimum over its partitions, leaving out those
     * idle for {@code idleTimeout} (null: never idle).
     */
    public KafkaSource<T> watermarks(Duration outOfOrderness, Duration idleTimeout) {
        set(KafkaOptions.WATERMARK_OUT_OF_ORDERNESS, outOfOrderness.toMillis() + "ms");
        return idleTimeout == null ? this : set(KafkaOptions.WATERMARK_IDLE_TIMEOUT, idleTimeout.toMillis() + "ms");
    }

    /** Undeserializable records fail the job (the default): the error names topic, partition, offset and reason. */
    public KafkaSource<T> failOnDeserializationError() {
        return set(KafkaOptions.DESERIALIZATION_FAILURE, "fail");
    }

    /** Undeserializable records go to {@code topic} with their raw key and value and the reason in headers. */
    public KafkaSource<T> deadLetterTopic(String topic) {
        set(KafkaOptions.DESERIALIZATION_FAILURE, "dead-letter");
        return set(KafkaOptions.DEAD_LETTER_TOPIC, topic);
    }

    /** Commit checkpointed offsets to the group on checkpoint completion (default true when a group id is set). */
    public KafkaSource<T> commitOffsetsOnCheckpoint(boolean commit) {
        return set(KafkaOptions.COMMIT_OFFSETS_ON_CHECKPOINT, Boolean.toString(commit));
    }

    /** A kafka-clients consumer setting, passed untouched (security, fetch sizes, ...). */
    public KafkaSource<T> property(String key, String value) {
        return set(KafkaOptions.PROPERTIES_PREFIX + key, value);
    }

    public SourceDescriptor<T> build() {
        return new SourceDescriptor<>(KafkaOptions.CONNECTOR, parameters);
    }

    private KafkaSource<T> set(String key, String value) {
        parameters.put(key, Objects.requireNonNull(value, key));
        return this;
    }
}
