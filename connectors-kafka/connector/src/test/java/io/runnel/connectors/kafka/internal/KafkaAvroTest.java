package io.runnel.connectors.kafka.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.api.serialization.RecordDeserializer;
import io.runnel.api.stream.JobResult;
import io.runnel.api.stream.JobStatus;
import io.runnel.api.stream.SinkDescriptor;
import io.runnel.api.stream.SourceDescriptor;
import io.runnel.connectors.kafka.KafkaSink;
import io.runnel.connectors.kafka.KafkaSource;
import io.runnel.kafka.broker.KafkaBrokerExtension;
import io.runnel.runtime.internal.execution.LocalStreamEnvironment;
import io.runnel.runtime.internal.execution.MapConnectorRegistry;
import io.runnel.spi.format.RecordFormatFactory;
import io.runnel.state.heap.HeapStateBackendFactory;
import io.runnel.types.avro.AvroRecordFormats;
import io.runnel.types.avro.AvroSchemaDirectory;
import io.runnel.types.avro.internal.AvroFormatFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Avro records through Kafka, as a user puts them together: producers of two schema versions write
 * single-object encoded values, a job reads them into the newer schema (writer schemas from a schema
 * directory), and writes them exactly once; a record of a schema nobody put in the directory, and
 * bytes that are not Avro at all, go to the dead-letter topic with the reason.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class KafkaAvroTest {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    private static final String ORDER_V1 = """
            {"type": "record", "name": "Order", "namespace": "com.example", "fields": [
              {"name": "id", "type": "long"},
              {"name": "customer", "type": "string"}]}""";

    private static final String ORDER_V2 = """
            {"type": "record", "name": "Order", "namespace": "com.example", "fields": [
              {"name": "id", "type": "long"},
              {"name": "customer", "type": "string"},
              {"name": "amount", "type": "double", "default": 0.5}]}""";

    /** A version no schema file describes. */
    private static final String ORDER_V3 = """
            {"type": "record", "name": "Order", "namespace": "com.example", "fields": [
              {"name": "id", "type": "long"},
              {"name": "customer", "type": "string"},
              {"name": "region", "type": "string", "default": "eu"}]}""";

    @TempDir
    Path directory;

    @Test
    void olderWritersAreReadIntoTheReaderSchemaAndUnreadableRecordsAreDeadLettered() throws Exception {
        Schema v1 = parse(ORDER_V1);
        Schema v2 = parse(ORDER_V2);
        Schema v3 = parse(ORDER_V3);
        Path schemas = Files.createDirectories(directory.resolve("schemas"));
        Files.writeString(schemas.resolve("order-v1.avsc"), ORDER_V1);
        KafkaTestTopics topics = new KafkaTestTopics(KAFKA.bootstrapServers());
        topics.create("orders", 1);
        topics.create("orders-dead", 1);
        topics.create("orders-out", 1);
        List<byte[]> values = List.of(
                AvroRecordFormats.genericSerializer(v1).serialize(new GenericRecordBuilder(v1).set("id", 1L).set("customer", "ann").build()),
                AvroRecordFormats.genericSerializer(v2).serialize(
                        new GenericRecordBuilder(v2).set("id", 2L).set("customer", "bob").set("amount", 7.0).build()),
                AvroRecordFormats.genericSerializer(v3).serialize(
                        new GenericRecordBuilder(v3).set("id", 3L).set("customer", "cid").set("region", "us").build()),
                "not avro".getBytes(StandardCharsets.UTF_8),
                AvroRecordFormats.genericSerializer(v1).serialize(new GenericRecordBuilder(v1).set("id", 4L).set("customer", "dee").build()));
        produce("orders", values);

        MapConnectorRegistry connectors = new MapConnectorRegistry().withStateBackend("heap", new HeapStateBackendFactory())
                .withSource("kafka", new KafkaSourceProvider()).withSink("kafka", new KafkaSinkProvider());
        LocalStreamEnvironment env = new LocalStreamEnvironment(connectors, 2);
        env.setParallelism(1);
        env.getCheckpointConfig().setDirectory(directory.resolve("checkpoints").toString());
        env.enableCheckpointing(Duration.ofMillis(200));
        env.fromSource(KafkaSource.values(AvroRecordFormats.genericDeserializer(v2, AvroSchemaDirectory.load(schemas)))
                        .bootstrapServers(KAFKA.bootstrapServers()).topics("orders").startFromEarliest().bounded()
                        .deadLetterTopic("orders-dead").build(), "orders")
                .sinkTo(KafkaSink.values(AvroRecordFormats.genericSerializer(v2)).bootstrapServers(KAFKA.bootstrapServers())
                        .topic("orders-out").exactlyOnce("avro-orders").transactionTimeout(Duration.ofMinutes(5)).build(), "out");

        JobResult result = env.executeAsync("avro orders").result().get(120, TimeUnit.SECONDS);

        assertThat(result.status()).as("%s", result).isEqualTo(JobStatus.FINISHED);
        RecordDeserializer<GenericRecord> reader = AvroRecordFormats.genericDeserializer(v2, AvroSchemaDirectory.of());
        List<String> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : topics.readCommitted("orders-out", 3)) {
            GenericRecord order = reader.deserialize(record.value());
            out.add(order.get("id") + ":" + order.get("customer") + ":" + order.get("amount"));
        }
        assertThat(out).containsExactly("1:ann:0.5", "2:bob:7.0", "4:dee:0.5");

        List<ConsumerRecord<byte[], byte[]>> dead = topics.readCommitted("orders-dead", 2);
        assertThat(dead).hasSize(2);
        assertThat(dead.get(0).value()).isEqualTo(values.get(2));
        assertThat(reason(dead.get(0))).contains(String.format("%016x",
                SchemaNormalization.parsingFingerprint64(v3))).contains("schema directory");
        assertThat(dead.get(1).value()).isEqualTo(values.get(3));
        assertThat(reason(dead.get(1))).contains("Not an Avro single-object encoded record");
    }

    /**
     * The same pipeline named only by strings, as a job spec or {@code -p} parameters give it: the
     * {@code avro} format service (registered by hand here, by DS in a node) reads older writers into
     * the reader schema file's schema and writes it, and an unknown format names those installed.
     */
    @Test
    void avroByNameUsesTheFormatServiceWithSchemaFiles() throws Exception {
        Schema v1 = parse(ORDER_V1);
        Schema v2 = parse(ORDER_V2);
        Path schemas = Files.createDirectories(directory.resolve("by-name"));
        Files.writeString(schemas.resolve("order-v1.avsc"), ORDER_V1);
        Files.writeString(schemas.resolve("order-v2.avsc"), ORDER_V2);
        KafkaTestTopics topics = new KafkaTestTopics(KAFKA.bootstrapServers());
        topics.create("named-in", 1);
        topics.create("named-out", 1);
        produce("named-in", List.of(
                AvroRecordFormats.genericSerializer(v1).serialize(new GenericRecordBuilder(v1).set("id", 1L).set("customer", "ann").build()),
                AvroRecordFormats.genericSerializer(v2).serialize(
                        new GenericRecordBuilder(v2).set("id", 2L).set("customer", "bob").set("amount", 7.0).build())));

        KafkaSourceProvider source = new KafkaSourceProvider();
        KafkaSinkProvider sink = new KafkaSinkProvider();
        AvroFormatFactory avro = new AvroFormatFactory();
        source.addFormat(avro, Map.of(RecordFormatFactory.FORMAT, "avro"));
        sink.addFormat(avro, Map.of(RecordFormatFactory.FORMAT, "avro"));
        MapConnectorRegistry connectors = new MapConnectorRegistry().withStateBackend("heap", new HeapStateBackendFactory())
                .withSource("kafka", source).withSink("kafka", sink);
        LocalStreamEnvironment env = new LocalStreamEnvironment(connectors, 2);
        env.setParallelism(1);
        env.getCheckpointConfig().setDirectory(directory.resolve("checkpoints-named").toString());
        env.enableCheckpointing(Duration.ofMillis(200));
        String readerSchema = schemas.resolve("order-v2.avsc").toString();
        env.<Object>fromSource(new SourceDescriptor<>("kafka", Map.of("bootstrap.servers", KAFKA.bootstrapServers(),
                        "topics", "named-in", "scan.startup.mode", "earliest-offset", "scan.bounded.mode", "latest-offset",
                        "value.format", "avro", "value.avro.schema-file", readerSchema)), "in")
                .sinkTo(new SinkDescriptor<>("kafka", Map.of("bootstrap.servers", KAFKA.bootstrapServers(), "topic", "named-out",
                        "sink.delivery-guarantee", "exactly-once", "sink.transactional-id-prefix", "avro-named",
                        "sink.transaction-timeout", "5min", "value.format", "avro", "value.avro.schema-file", readerSchema)), "out");

        JobResult result = env.executeAsync("avro by name").result().get(120, TimeUnit.SECONDS);

        assertThat(result.status()).as("%s", result).isEqualTo(JobStatus.FINISHED);
        RecordDeserializer<GenericRecord> reader = AvroRecordFormats.genericDeserializer(v2, AvroSchemaDirectory.of());
        List<String> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : topics.readCommitted("named-out", 2)) {
            GenericRecord order = reader.deserialize(record.value());
            out.add(order.get("id") + ":" + order.get("customer") + ":" + order.get("amount"));
        }
        assertThat(out).containsExactly("1:ann:0.5", "2:bob:7.0");

        assertThatThrownBy(() -> new KafkaSourceProvider().validate(new SourceDescriptor<>("kafka", Map.of(
                "bootstrap.servers", KAFKA.bootstrapServers(), "topics", "named-in", "value.format", "avro",
                "value.avro.schema-file", readerSchema))))
                .hasMessageContaining("no format 'avro'").hasMessageContaining("[bytes, string]")
                .hasMessageContaining("io.runnel.types.avro");
        assertThatThrownBy(() -> source.validate(new SourceDescriptor<>("kafka", Map.of(
                "bootstrap.servers", KAFKA.bootstrapServers(), "topics", "named-in", "value.format", "avro"))))
                .hasMessageContaining("schema-file");
        assertThatThrownBy(() -> source.validate(new SourceDescriptor<>("kafka", Map.of(
                "bootstrap.servers", KAFKA.bootstrapServers(), "topics", "named-in", "value.avro.schema-file", readerSchema))))
                .hasMessageContaining("has no option 'value.avro.schema-file'");
    }

    private static String reason(ConsumerRecord<byte[], byte[]> record) {
        return new String(record.headers().lastHeader(DeadLetters.REASON).value(), StandardCharsets.UTF_8);
    }

    private static void produce(String topic, List<byte[]> values) {
        Properties config = new Properties();
        config.put("bootstrap.servers", KAFKA.bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (byte[] value : values) {
                producer.send(new ProducerRecord<>(topic, 0, null, value));
            }
            producer.flush();
        }
    }

    private static Schema parse(String json) {
        return new Schema.Parser().parse(json);
    }
}
