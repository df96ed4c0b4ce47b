package io.runnel.types.avro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.api.serialization.MalformedRecordException;
import io.runnel.api.serialization.RecordDeserializer;
import io.runnel.api.serialization.RecordSerializer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AvroRecordFormatsTest {

    private static final String ORDER_V1 = """
            {"type": "record", "name": "Order", "namespace": "com.example", "fields": [
              {"name": "id", "type": "long"},
              {"name": "customer", "type": "string"},
              {"name": "note", "type": "string"}]}""";

    /** V1 with {@code note} removed and {@code amount} added with a default. */
    private static final String ORDER_V2 = """
            {"type": "record", "name": "Order", "namespace": "com.example", "fields": [
              {"name": "id", "type": "long"},
              {"name": "customer", "type": "string"},
              {"name": "amount", "type": "double", "default": 1.5}]}""";

    /** V1 with {@code customer} turned into an int, which Avro cannot resolve from a string. */
    private static final String ORDER_BROKEN = """
            {"type": "record", "name": "Order", "namespace": "com.example", "fields": [
              {"name": "id", "type": "long"},
              {"name": "customer", "type": "int"},
              {"name": "note", "type": "string"}]}""";

    @TempDir
    Path schemas;

    @Test
    void writesSingleObjectEncodingWithTheWriterSchemasFingerprint() throws Exception {
        Schema v1 = parse(ORDER_V1);
        byte[] bytes = AvroRecordFormats.genericSerializer(v1).serialize(orderV1(v1, 7));

        assertThat(bytes[0]).isEqualTo((byte) 0xC3);
        assertThat(bytes[1]).isEqualTo((byte) 0x01);
        long fingerprint = ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat(fingerprint).isEqualTo(SchemaNormalization.parsingFingerprint64(v1));

        GenericRecord back = AvroRecordFormats.genericDeserializer(v1, AvroSchemaDirectory.of()).deserialize(bytes);
        assertThat(back.get("id")).isEqualTo(7L);
        assertThat(back.get("customer").toString()).isEqualTo("customer-7");
    }

    /** The same bytes as Avro's own single-object encoder, for small records and for ones larger than the scratch buffer. */
    @Test
    void writesTheBytesAvrosMessageEncoderWrites() throws Exception {
        Schema v1 = parse(ORDER_V1);
        RecordSerializer<GenericRecord> writer = AvroRecordFormats.genericSerializer(v1);
        BinaryMessageEncoder<GenericRecord> avro = new BinaryMessageEncoder<>(GenericData.get(), v1);
        for (int noteLength : new int[] {0, 10, 1_000, 5_000, 100}) {
            GenericRecord order = new GenericRecordBuilder(v1).set("id", (long) noteLength).set("customer", "c")
                    .set("note", "n".repeat(noteLength)).build();
            assertThat(writer.serialize(order)).as("note of %d chars", noteLength).isEqualTo(avro.encode(order).array());
        }
        SensorReading reading = new SensorReading("s1", 2.5, List.of("a", "b"));
        assertThat(AvroRecordFormats.specificSerializer(SensorReading.class).serialize(reading))
                .isEqualTo(new BinaryMessageEncoder<SensorReading>(new org.apache.avro.specific.SpecificData(
                        SensorReading.class.getClassLoader()), reading.getSchema()).encode(reading).array());
    }

    @Test
    void readsOlderWritersFromTheSchemaDirectoryIntoTheReaderSchema() throws Exception {
        Files.writeString(schemas.resolve("order-v1.avsc"), ORDER_V1);
        Schema v1 = parse(ORDER_V1);
        Schema v2 = parse(ORDER_V2);
        RecordDeserializer<GenericRecord> reader = AvroRecordFormats.genericDeserializer(v2,
                AvroSchemaDirectory.load(schemas));

        GenericRecord old = reader.deserialize(AvroRecordFormats.genericSerializer(v1).serialize(orderV1(v1, 3)));
        GenericRecord current = reader.deserialize(AvroRecordFormats.genericSerializer(v2).serialize(
                new GenericRecordBuilder(v2).set("id", 4L).set("customer", "c").set("amount", 9.0).build()));

        assertThat(old.getSchema()).isEqualTo(v2);
        assertThat(old.get("id")).isEqualTo(3L);
        assertThat(old.get("customer").toString()).isEqualTo("customer-3");
        assertThat(old.get("amount")).isEqualTo(1.5);
        assertThat(old.getSchema().getField("note")).isNull();
        assertThat(current.get("amount")).isEqualTo(9.0);
    }

    @Test
    void anUnknownWriterSchemaIsReportedAndFoundOnceItsFileArrives() throws Exception {
        Schema v1 = parse(ORDER_V1);
        Schema v2 = parse(ORDER_V2);
        AvroSchemaDirectory directory = AvroSchemaDirectory.load(schemas);
        RecordDeserializer<GenericRecord> reader = AvroRecordFormats.genericDeserializer(v2, directory);
        byte[] bytes = AvroRecordFormats.genericSerializer(v1).serialize(orderV1(v1, 1));

        assertThatThrownBy(() -> reader.deserialize(bytes))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessageContaining(String.format("%016x", SchemaNormalization.parsingFingerprint64(v1)))
                .hasMessageContaining(schemas.toAbsolutePath().toString())
                .hasMessageContaining("Put the producer's .avsc file into the schema directory");

        // A schema dropped in while the job runs is found by the rescan an unknown fingerprint causes
        // (at most once a second), without anyone calling refresh().
        Files.writeString(schemas.resolve("order-v1.avsc"), ORDER_V1);
        GenericRecord read = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (read == null && System.nanoTime() < deadline) {
            try {
                read = reader.deserialize(bytes);
            } catch (MalformedRecordException notYet) {
                Thread.sleep(100);
            }
        }
        assertThat(read).as("the record once the writer schema's file is in the directory").isNotNull();
        assertThat(read.get("customer").toString()).isEqualTo("customer-1");
    }

    @Test
    void aWriterSchemaAvroCannotResolveIsReportedWithTheField() throws Exception {
        Files.writeString(schemas.resolve("order-broken.avsc"), ORDER_BROKEN);
        Schema broken = parse(ORDER_BROKEN);
        RecordDeserializer<GenericRecord> reader = AvroRecordFormats.genericDeserializer(parse(ORDER_V1),
                AvroSchemaDirectory.load(schemas));
        byte[] bytes = AvroRecordFormats.genericSerializer(broken).serialize(
                new GenericRecordBuilder(broken).set("id", 1L).set("customer", 5).set("note", "n").build());

        assertThatThrownBy(() -> reader.deserialize(bytes))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessageContaining("cannot be read as com.example.Order")
                .hasMessageContaining("customer");
    }

    @Test
    void bytesThatAreNotSingleObjectEncodedAreReportedWithTheirFirstBytes() {
        Schema v1 = parse(ORDER_V1);
        RecordDeserializer<GenericRecord> reader = AvroRecordFormats.genericDeserializer(v1, AvroSchemaDirectory.of());

        assertThatThrownBy(() -> reader.deserialize(new byte[] {0, 0, 0, 0, 42, 1, 2, 3, 4, 5, 6}))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessageContaining("start with 00 00 00 00")
                .hasMessageContaining("single-object encoding");
        assertThatThrownBy(() -> reader.deserialize(new byte[0]))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessageContaining("start with nothing");
    }

    @Test
    void aTruncatedBodyIsReportedNotReadAsARecord() throws Exception {
        Schema v1 = parse(ORDER_V1);
        byte[] bytes = AvroRecordFormats.genericSerializer(v1).serialize(orderV1(v1, 123456789));
        byte[] cut = Arrays.copyOf(bytes, bytes.length - 5);

        assertThatThrownBy(() -> AvroRecordFormats.genericDeserializer(v1, AvroSchemaDirectory.of()).deserialize(cut))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessageContaining("does not match its writer schema");
    }

    @Test
    void specificRecordsRoundTripAndReadGenericWritersOfAnOlderVersion() throws Exception {
        RecordSerializer<SensorReading> writer = AvroRecordFormats.specificSerializer(SensorReading.class);
        // An older SensorReading without tags, written by some other producer with generic records.
        Schema old = parse("""
                {"type": "record", "name": "SensorReading", "namespace": "io.runnel.types.avro", "fields": [
                  {"name": "id", "type": "string"},
                  {"name": "value", "type": "double"}]}""");
        RecordDeserializer<SensorReading> reader = AvroRecordFormats.specificDeserializer(SensorReading.class,
                AvroSchemaDirectory.of(old));

        SensorReading same = reader.deserialize(writer.serialize(new SensorReading("s1", 2.5, List.of("a", "b"))));
        SensorReading upgraded = reader.deserialize(AvroRecordFormats.genericSerializer(old).serialize(
                new GenericRecordBuilder(old).set("id", "s0").set("value", 1.0).build()));

        assertThat(same.id()).isEqualTo("s1");
        assertThat(same.tags()).containsExactly("a", "b");
        assertThat(upgraded.id()).isEqualTo("s0");
        assertThat(upgraded.value()).isEqualTo(1.0);
        assertThat(upgraded.tags()).isEmpty();
    }

    @Test
    void theSerializerRefusesARecordOfAnotherSchema() {
        Schema v1 = parse(ORDER_V1);
        Schema v2 = parse(ORDER_V2);
        RecordSerializer<GenericRecord> writer = AvroRecordFormats.genericSerializer(v2);

        assertThatThrownBy(() -> writer.serialize(orderV1(v1, 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("wrong schema");
    }

    @Test
    void absentKeysStayAbsent() throws Exception {
        Schema v1 = parse(ORDER_V1);
        assertThat(AvroRecordFormats.genericSerializer(v1).serialize(null)).isNull();
        assertThat(AvroRecordFormats.genericDeserializer(v1, AvroSchemaDirectory.of()).deserialize(null)).isNull();
    }

    @Test
    void aSchemaFileAvroCannotParseIsNamedWhenTheDirectoryLoads() throws Exception {
        Files.writeString(schemas.resolve("good.avsc"), ORDER_V1);
        Path bad = Files.createDirectories(schemas.resolve("nested")).resolve("bad.avsc");
        Files.writeString(bad, "{\"type\": \"record\", \"name\": \"Broken\"");

        assertThatThrownBy(() -> AvroSchemaDirectory.load(schemas))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(bad.toAbsolutePath().toString())
                .hasMessageContaining("Fix the file");
        assertThatThrownBy(() -> AvroSchemaDirectory.load(schemas.resolve("missing")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not exist");
    }

    @Test
    void oneDeserializerServesSeveralThreads() throws Exception {
        Files.writeString(schemas.resolve("order-v1.avsc"), ORDER_V1);
        Schema v1 = parse(ORDER_V1);
        Schema v2 = parse(ORDER_V2);
        RecordSerializer<GenericRecord> writer = AvroRecordFormats.genericSerializer(v1);
        RecordDeserializer<GenericRecord> reader = AvroRecordFormats.genericDeserializer(v2,
                AvroSchemaDirectory.load(schemas));
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<Long>> sums = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int offset = t * 10_000;
                sums.add(threads.submit(() -> {
                    long sum = 0;
                    for (int i = 0; i < 2_000; i++) {
                        GenericRecord record = reader.deserialize(writer.serialize(orderV1(v1, offset + i)));
                        assertThat(record.get("customer").toString()).isEqualTo("customer-" + (offset + i));
                        sum += (Long) record.get("id");
                    }
                    return sum;
                }));
            }
            for (int t = 0; t < 4; t++) {
                long expected = 2_000L * t * 10_000 + (1_999L * 2_000 / 2);
                assertThat(sums.get(t).get(30, TimeUnit.SECONDS)).isEqualTo(expected);
            }
        } finally {
            threads.shutdownNow();
        }
    }

    private static GenericData.Record orderV1(Schema v1, long id) {
        return new GenericRecordBuilder(v1).set("id", id).set("customer", "customer-" + id).set("note", "n" + id).build();
    }

    private static Schema parse(String json) {
        return new Schema.Parser().parse(json);
    }
}
