package io.runnel.connectors.kafka.internal;

import io.runnel.api.serialization.RecordSerializer;
import io.runnel.api.stream.SinkDescriptor;
import io.runnel.connectors.kafka.DeliveryGuarantee;
import io.runnel.connectors.kafka.KafkaOptions;
import java.time.Duration;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.ProducerConfig;

/** The kafka sink's options, read and checked from a descriptor. */
record SinkSettings(String bootstrapServers, String topic, DeliveryGuarantee guarantee, String transactionalIdPrefix,
        Duration transactionTimeout, int poolSize, RecordSerializer<Object> keySerializer,
        RecordSerializer<Object> valueSerializer, Properties clientProperties) {

    static final Duration DEFAULT_TRANSACTION_TIMEOUT = Duration.ofMinutes(15);
    static final int DEFAULT_POOL_SIZE = 5;
    /** batch.size of exactly-once producers unless set: 256 KiB. */
    static final String TRANSACTIONAL_BATCH_SIZE = "262144";
    /** linger.ms of exactly-once producers unless set. */
    static final String TRANSACTIONAL_LINGER_MS = "20";
    /** Letters, digits, '.', '_' and '-': the prefix becomes part of Kafka transactional ids we parse back. */
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9._-]+");

    private static final Set<String> OPTIONS = Set.of(KafkaOptions.BOOTSTRAP_SERVERS, KafkaOptions.TOPIC,
            KafkaOptions.DELIVERY_GUARANTEE, KafkaOptions.TRANSACTIONAL_ID_PREFIX, KafkaOptions.TRANSACTION_TIMEOUT,
            KafkaOptions.TRANSACTIONAL_ID_POOL_SIZE, KafkaOptions.KEY_SERIALIZER, KafkaOptions.VALUE_SERIALIZER,
            KafkaOptions.KEY_FORMAT, KafkaOptions.VALUE_FORMAT);

    /**
     * @param formats the formats {@code key.format} and {@code value.format} may name beyond the built-in ones
     * @throws IllegalArgumentException naming the bad option and value
     */
    @SuppressWarnings("unchecked")
    static SinkSettings of(SinkDescriptor<?> descriptor, Formats formats) {
        Parameters parameters = new Parameters("the kafka sink", descriptor.parameters());
        String keyFormat = Formats.named(parameters, KafkaOptions.KEY_FORMAT, null);
        String valueFormat = Formats.named(parameters, KafkaOptions.VALUE_FORMAT, Formats.STRING);
        parameters.checkKnown(OPTIONS, Formats.optionPrefix("key", keyFormat), Formats.optionPrefix("value", valueFormat));
        String bootstrap = parameters.required(KafkaOptions.BOOTSTRAP_SERVERS);
        String topic = parameters.required(KafkaOptions.TOPIC);
        DeliveryGuarantee guarantee = DeliveryGuarantee.fromOption(parameters.string(KafkaOptions.DELIVERY_GUARANTEE,
                DeliveryGuarantee.AT_LEAST_ONCE.optionValue()));
        String prefix = parameters.string(KafkaOptions.TRANSACTIONAL_ID_PREFIX, null);
        if (guarantee == DeliveryGuarantee.EXACTLY_ONCE) {
            if (prefix == null || prefix.isBlank()) {
                throw new IllegalArgumentException("the kafka sink writing exactly-once to '" + topic + "' needs '"
                        + KafkaOptions.TRANSACTIONAL_ID_PREFIX + "': a name unique to this sink among all jobs writing to the "
                        + "cluster, kept across restarts (e.g. the job and sink name)");
            }
            if (!PREFIX.matcher(prefix).matches()) {
                throw new IllegalArgumentException("'" + KafkaOptions.TRANSACTIONAL_ID_PREFIX + "' may hold letters, digits, "
                        + "'.', '_' and '-' only, but got '" + prefix + "'");
            }
        }
        Duration timeout = parameters.duration(KafkaOptions.TRANSACTION_TIMEOUT, DEFAULT_TRANSACTION_TIMEOUT);
        if (timeout.isZero() || timeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("'" + KafkaOptions.TRANSACTION_TIMEOUT + "' must be between 1ms and "
                    + Integer.MAX_VALUE + "ms, but got " + parameters.string(KafkaOptions.TRANSACTION_TIMEOUT, null));
        }
        int poolSize = parameters.intValue(KafkaOptions.TRANSACTIONAL_ID_POOL_SIZE, DEFAULT_POOL_SIZE, 2);
        RecordSerializer<Object> value = parameters.object(KafkaOptions.VALUE_SERIALIZER, RecordSerializer.class);
        if (value == null) {
            value = formats.serializer(parameters, "value", valueFormat);
        }
        RecordSerializer<Object> key = parameters.object(KafkaOptions.KEY_SERIALIZER, RecordSerializer.class);
        if (key == null && keyFormat != null) {
            key = formats.serializer(parameters, "key", keyFormat);
        }
        Properties client = parameters.clientProperties();
        for (String owned : new String[] {ProducerConfig.TRANSACTIONAL_ID_CONFIG, ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG}) {
            if (client.containsKey(owned)) {
                throw new IllegalArgumentException("the kafka sink sets '" + owned + "' itself; remove '"
                        + KafkaOptions.PROPERTIES_PREFIX + owned + "' and use the sink's own option");
            }
        }
        return new SinkSettings(bootstrap, topic, guarantee, prefix, timeout, poolSize, key, value, client);
    }

    /** Producer settings: the pass-through properties, then what the sink decides. */
    Properties producerProperties() {
        Properties config = new Properties();
        config.putAll(clientProperties);
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        if (guarantee != DeliveryGuarantee.NONE) {
            config.put(ProducerConfig.ACKS_CONFIG, "all");
        }
        return config;
    }

    /**
     * Producer settings for the transactional id {@code transactionalId}. Unless the job sets them,
     * batches are larger and wait longer to fill than Kafka's defaults ({@value #TRANSACTIONAL_BATCH_SIZE}
     * bytes, {@value #TRANSACTIONAL_LINGER_MS} ms): records of a transaction are invisible until its
     * checkpoint commits it, so waiting to fill a batch adds no visible latency, and fewer, larger
     * requests cost the broker less per record (it roughly doubled the kafka-eos benchmark's rate).
     */
    Properties transactionalProperties(String transactionalId) {
        Properties config = producerProperties();
        config.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, TRANSACTIONAL_BATCH_SIZE);
        config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, TRANSACTIONAL_LINGER_MS);
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        config.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, Long.toString(transactionTimeout.toMillis()));
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        return config;
    }
}
