package io.runnel.connectors.kafka.internal;

import io.runnel.api.serialization.RecordDeserializer;
import io.runnel.api.stream.SourceDescriptor;
import io.runnel.connectors.kafka.KafkaOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/** The kafka source's options, read and checked from a descriptor. */
record SourceSettings(String bootstrapServers, List<String> topics, Pattern topicPattern, String groupId, String startupMode,
        long startupTimestamp, String groupOffsetsReset, boolean bounded, Duration discoveryInterval, boolean commitOffsets,
        Duration watermarkOutOfOrderness, Duration watermarkIdleTimeout, boolean deadLetter, String deadLetterTopic,
        boolean recordOutput, RecordDeserializer<Object> keyDeserializer, RecordDeserializer<Object> valueDeserializer,
        Properties clientProperties) {

    static final Duration DEFAULT_DISCOVERY_INTERVAL = Duration.ofSeconds(30);

    private static final Set<String> OPTIONS = Set.of(KafkaOptions.BOOTSTRAP_SERVERS, KafkaOptions.TOPICS,
            KafkaOptions.TOPIC_PATTERN, KafkaOptions.GROUP_ID, KafkaOptions.STARTUP_MODE, KafkaOptions.STARTUP_TIMESTAMP,
            KafkaOptions.GROUP_OFFSETS_RESET, KafkaOptions.BOUNDED_MODE, KafkaOptions.DISCOVERY_INTERVAL,
            KafkaOptions.COMMIT_OFFSETS_ON_CHECKPOINT, KafkaOptions.WATERMARK_OUT_OF_ORDERNESS,
            KafkaOptions.WATERMARK_IDLE_TIMEOUT, KafkaOptions.DESERIALIZATION_FAILURE, KafkaOptions.DEAD_LETTER_TOPIC,
            KafkaOptions.OUTPUT, KafkaOptions.KEY_DESERIALIZER, KafkaOptions.VALUE_DESERIALIZER, KafkaOptions.KEY_FORMAT,
            KafkaOptions.VALUE_FORMAT);

    /**
     * @param formats the formats {@code key.format} and {@code value.format} may name beyond the built-in ones
     * @throws IllegalArgumentException naming the bad option and value
     */
    @SuppressWarnings("unchecked")
    static SourceSettings of(SourceDescriptor<?> descriptor, Formats formats) {
        Parameters parameters = new Parameters("the kafka source", descriptor.parameters());
        String keyFormat = Formats.named(parameters, KafkaOptions.KEY_FORMAT, Formats.STRING);
        String valueFormat = Formats.named(parameters, KafkaOptions.VALUE_FORMAT, Formats.STRING);
        parameters.checkKnown(OPTIONS, Formats.optionPrefix("key", keyFormat), Formats.optionPrefix("value", valueFormat));
        String bootstrap = parameters.required(KafkaOptions.BOOTSTRAP_SERVERS);
        String topicList = parameters.string(KafkaOptions.TOPICS, null);
        String patternText = parameters.string(KafkaOptions.TOPIC_PATTERN, null);
        if ((topicList == null) == (patternText == null)) {
            throw new IllegalArgumentException("the kafka source needs exactly one of '" + KafkaOptions.TOPICS + "' (a comma-"
                    + "separated list) and '" + KafkaOptions.TOPIC_PATTERN + "' (a regular expression), but got "
                    + (topicList == null ? "neither" : "both"));
        }
        List<String> topics = new ArrayList<>();
        Pattern pattern = null;
        if (topicList != null) {
            for (String topic : topicList.split(",")) {
                if (!topic.isBlank()) {
                    topics.add(topic.trim());
                }
            }
            if (topics.isEmpty()) {
                throw new IllegalArgumentException("'" + KafkaOptions.TOPICS + "' names no topic: '" + topicList + "'");
            }
        } else {
            try {
                pattern = Pattern.compile(patternText);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("'" + KafkaOptions.TOPIC_PATTERN + "' is not a regular expression: '"
                        + patternText + "' (" + e.getDescription() + ")");
            }
        }
        String groupId = parameters.string(KafkaOptions.GROUP_ID, null);
        String mode = parameters.choice(KafkaOptions.STARTUP_MODE, groupId == null ? "earliest-offset" : "group-offsets",
                "earliest-offset", "latest-offset", "timestamp", "group-offsets");
        long timestamp = parameters.longValue(KafkaOptions.STARTUP_TIMESTAMP, -1);
        if (mode.equals("timestamp") && timestamp < 0) {
            throw new IllegalArgumentException("the startup mode 'timestamp' needs '" + KafkaOptions.STARTUP_TIMESTAMP
                    + "' (epoch milliseconds, at least 0)");
        }
        if (mode.equals("group-offsets") && groupId == null) {
            throw new IllegalArgumentException("the startup mode 'group-offsets' needs '" + KafkaOptions.GROUP_ID + "'");
        }
        String reset = parameters.choice(KafkaOptions.GROUP_OFFSETS_RESET, "earliest", "earliest", "latest", "none");
        boolean bounded = parameters.choice(KafkaOptions.BOUNDED_MODE, "unbounded", "unbounded", "latest-offset")
                .equals("latest-offset");
        Duration discovery = parameters.duration(KafkaOptions.DISCOVERY_INTERVAL, DEFAULT_DISCOVERY_INTERVAL);
        boolean commit = parameters.booleanValue(KafkaOptions.COMMIT_OFFSETS_ON_CHECKPOINT, groupId != null);
        if (commit && groupId == null) {
            throw new IllegalArgumentException("'" + KafkaOptions.COMMIT_OFFSETS_ON_CHECKPOINT + "' needs '" + KafkaOptions.GROUP_ID + "'");
        }
        Duration outOfOrderness = parameters.duration(KafkaOptions.WATERMARK_OUT_OF_ORDERNESS, null);
        Duration idle = parameters.duration(KafkaOptions.WATERMARK_IDLE_TIMEOUT, null);
        if (idle != null && outOfOrderness == null) {
            throw new IllegalArgumentException("'" + KafkaOptions.WATERMARK_IDLE_TIMEOUT + "' needs '"
                    + KafkaOptions.WATERMARK_OUT_OF_ORDERNESS + "', which turns on the source's watermarks");
        }
        if (idle != null && idle.isZero()) {
            idle = null;
        }
        boolean deadLetter = parameters.choice(KafkaOptions.DESERIALIZATION_FAILURE, "fail", "fail", "dead-letter")
                .equals("dead-letter");
        String deadLetterTopic = parameters.string(KafkaOptions.DEAD_LETTER_TOPIC, null);
        if (deadLetter && (deadLetterTopic == null || deadLetterTopic.isBlank())) {
            throw new IllegalArgumentException("'" + KafkaOptions.DESERIALIZATION_FAILURE + "=dead-letter' needs '"
                    + KafkaOptions.DEAD_LETTER_TOPIC + "' naming the topic for undeserializable records");
        }
        boolean recordOutput = parameters.choice(KafkaOptions.OUTPUT, "value", "value", "record").equals("record");
        RecordDeserializer<Object> value = parameters.object(KafkaOptions.VALUE_DESERIALIZER, RecordDeserializer.class);
        if (value == null) {
            value = formats.deserializer(parameters, "value", valueFormat);
        }
        RecordDeserializer<Object> key = parameters.object(KafkaOptions.KEY_DESERIALIZER, RecordDeserializer.class);
        if (key == null) {
            key = formats.deserializer(parameters, "key", keyFormat);
        }
        Properties client = parameters.clientProperties();
        for (String owned : new String[] {ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, ConsumerConfig.GROUP_ID_CONFIG,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG}) {
            if (client.containsKey(owned)) {
                throw new IllegalArgumentException("the kafka source sets '" + owned + "' itself; remove '"
                        + KafkaOptions.PROPERTIES_PREFIX + owned + "'" + (owned.equals(ConsumerConfig.GROUP_ID_CONFIG)
                        ? " and use '" + KafkaOptions.GROUP_ID + "'" : ""));
            }
        }
        return new SourceSettings(bootstrap, List.copyOf(topics), pattern, groupId, mode, timestamp, reset, bounded, discovery,
                commit, outOfOrderness, idle, deadLetter, deadLetterTopic, recordOutput, key, value, client);
    }

    /**
     * Consumer settings: the pass-through properties, then the source's own. Offsets are never
     * auto-committed (the checkpoint holds them); {@code read_committed} is the default so that a
     * transactional producer's aborted records are never read.
     *
     * <p>{@code receive.buffer.bytes} defaults to the operating system's auto-tuned socket buffer
     * (-1) instead of Kafka's 64 KiB: the consumer reads from its socket only inside {@code poll},
     * which the task thread calls between batches of records, so with 64 KiB a fetch response of
     * several MiB arrives a window at a time, one per poll, and the task starves (the
     * {@code kafka-eos} benchmark ran a third slower). With the kernel's buffer, whole responses
     * arrive while the task processes the previous ones.
     */
    Properties consumerProperties() {
        Properties config = new Properties();
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.RECEIVE_BUFFER_CONFIG, "-1");
        // A restored offset that retention deleted meanwhile: go on from the oldest record kept.
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.putAll(clientProperties);
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        if (groupId != null) {
            config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        }
        return config;
    }

    /** Whether {@code topic} is one this source reads. */
    boolean reads(String topic) {
        return topicPattern == null ? topics.contains(topic) : topicPattern.matcher(topic).matches();
    }

    String describeTopics() {
        return topicPattern == null ? "topics " + topics : "topics matching '" + topicPattern.pattern() + "'";
    }
}
