package io.runnel.connectors.kafka;

/**
 * The parameters of the {@code kafka} source and sink, as keys of a {@code SourceDescriptor} or
 * {@code SinkDescriptor}; given by name they are strings. The builders {@link KafkaSource} and
 * {@link KafkaSink} set them for Java jobs. The README of connectors-kafka documents each with its
 * default.
 */
public final class KafkaOptions {

    /** Connector name of the source and the sink. */
    public static final String CONNECTOR = "kafka";

    /** Both: {@code host:port[,host:port...]}; required. */
    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
    /**
     * Both: keys starting with this prefix go, without it, to the Kafka clients untouched (security:
     * {@code properties.security.protocol}, {@code properties.sasl.jaas.config}, TLS stores, ...).
     */
    public static final String PROPERTIES_PREFIX = "properties.";
    /** Both: {@code string} (UTF-8, the default for values) or {@code bytes} (raw byte arrays). */
    public static final String KEY_FORMAT = "key.format";
    /** Both: see {@link #KEY_FORMAT}. */
    public static final String VALUE_FORMAT = "value.format";

    /** Source: topics to read, comma-separated; or {@link #TOPIC_PATTERN}. */
    public static final String TOPICS = "topics";
    /** Source: a Java regular expression; every topic whose whole name matches is read. */
    public static final String TOPIC_PATTERN = "topic-pattern";
    /** Source: the consumer group offsets are committed to (for tooling) and read from in {@code group-offsets} mode. */
    public static final String GROUP_ID = "group.id";
    /** Source: {@code earliest-offset}, {@code latest-offset}, {@code timestamp} or {@code group-offsets}. */
    public static final String STARTUP_MODE = "scan.startup.mode";
    /** Source: epoch milliseconds for the {@code timestamp} startup mode. */
    public static final String STARTUP_TIMESTAMP = "scan.startup.timestamp-millis";
    /** Source: where a partition without committed group offset starts: {@code earliest}, {@code latest} or {@code none} (fail). */
    public static final String GROUP_OFFSETS_RESET = "scan.startup.group-offsets.reset";
    /** Source: {@code unbounded}, or {@code latest-offset}: stop at the end offsets present when the job first started. */
    public static final String BOUNDED_MODE = "scan.bounded.mode";
    /** Source: how often to look for new partitions and topics, a duration; {@code 0} or {@code off} never. */
    public static final String DISCOVERY_INTERVAL = "scan.topic-partition-discovery.interval";
    /** Source: commit the checkpointed offsets to the group when a checkpoint completes (monitoring only). */
    public static final String COMMIT_OFFSETS_ON_CHECKPOINT = "commit.offsets-on-checkpoint";
    /** Source: turns on per-partition watermarks, trailing each partition's highest timestamp by this duration. */
    public static final String WATERMARK_OUT_OF_ORDERNESS = "scan.watermark.out-of-orderness";
    /** Source: a partition without records for this long stops holding the subtask's watermark back. */
    public static final String WATERMARK_IDLE_TIMEOUT = "scan.watermark.idle-timeout";
    /** Source: {@code fail} (the default) or {@code dead-letter}: what happens to a record that cannot be deserialized. */
    public static final String DESERIALIZATION_FAILURE = "deserialization.failure";
    /** Source: the topic that gets undeserializable records' raw bytes, with the reason in headers. */
    public static final String DEAD_LETTER_TOPIC = "dead-letter.topic";
    /** Source: {@code value} (the default: the deserialized value) or {@code record} (a {@link KafkaRecord}). */
    public static final String OUTPUT = "scan.output";
    /** Source: a {@code RecordDeserializer} object for keys (Java jobs); overrides {@link #KEY_FORMAT}. */
    public static final String KEY_DESERIALIZER = "key.deserializer";
    /** Source: a {@code RecordDeserializer} object for values (Java jobs); overrides {@link #VALUE_FORMAT}. */
    public static final String VALUE_DESERIALIZER = "value.deserializer";

    /** Sink: the topic written to; required. */
    public static final String TOPIC = "topic";
    /** Sink: {@code none}, {@code at-least-once} (the default) or {@code exactly-once}. */
    public static final String DELIVERY_GUARANTEE = "sink.delivery-guarantee";
    /** Sink: prefix of the transactional ids, unique per sink among all jobs on the cluster; required for exactly-once. */
    public static final String TRANSACTIONAL_ID_PREFIX = "sink.transactional-id-prefix";
    /** Sink: Kafka's {@code transaction.timeout.ms} as a duration, at most the broker's {@code transaction.max.timeout.ms}. */
    public static final String TRANSACTION_TIMEOUT = "sink.transaction-timeout";
    /** Sink: transactional ids per subtask, reused in turn; at least 2. */
    public static final String TRANSACTIONAL_ID_POOL_SIZE = "sink.transactional-id-pool-size";
    /** Sink: a {@code RecordSerializer} object giving each record's key bytes (Java jobs). */
    public static final String KEY_SERIALIZER = "key.serializer";
    /** Sink: a {@code RecordSerializer} object giving each record's value bytes (Java jobs); overrides {@link #VALUE_FORMAT}. */
    public static final String VALUE_SERIALIZER = "value.serializer";

    private KafkaOptions() {}
}
