package io.runnel.types.avro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.api.tuple.Tuple2;
import io.runnel.api.types.IncompatibleSchemaException;
import io.runnel.api.types.TypeSchema;
import io.runnel.api.types.TypeSerializer;
import io.runnel.api.types.Types;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.util.Utf8;
import org.junit.jupiter.api.Test;

class AvroSerializersTest {

    private static final Schema USER_V1 = parse("""
            {"type": "record", "name": "User", "namespace": "com.example", "fields": [
              {"name": "name", "type": "string"},
              {"name": "age", "type": "int"},
              {"name": "address", "type": {"type": "record", "name": "Address", "fields": [
                {"name": "street", "type": "string"},
                {"name": "zip", "type": "string"}]}},
              {"name": "emails", "type": {"type": "array", "items": "string"}},
              {"name": "scores", "type": {"type": "map", "values": "long"}},
              {"name": "nickname", "type": ["null", "string"], "default": null},
              {"name": "level", "type": {"type": "enum", "name": "Level", "symbols": ["LOW", "HIGH"]}},
              {"name": "avatar", "type": "bytes"}
            ]}""");

    /** V1 plus a field with a default, minus "avatar", and "age" promoted from int to long. */
    private static final Schema USER_V2 = parse("""
            {"type": "record", "name": "User", "namespace": "com.example", "fields": [
              {"name": "name", "type": "string"},
              {"name": "age", "type": "long"},
              {"name": "address", "type": {"type": "record", "name": "Address", "fields": [
                {"name": "street", "type": "string"},
                {"name": "zip", "type": "string"}]}},
              {"name": "emails", "type": {"type": "array", "items": "string"}},
              {"name": "scores", "type": {"type": "map", "values": "long"}},
              {"name": "nickname", "type": ["null", "string"], "default": null},
              {"name": "level", "type": {"type": "enum", "name": "Level", "symbols": ["LOW", "HIGH"]}},
              {"name": "country", "type": "string", "default": "NL"}
            ]}""");

    /** V1 with a field added without a default. */
    private static final Schema USER_NO_DEFAULT = parse(USER_V1.toString().replace(
            "\"name\":\"name\",\"type\":\"string\"}", "\"name\":\"name\",\"type\":\"string\"},{\"name\":\"vip\",\"type\":\"boolean\"}"));

    /** V1 with the nested address.zip changed from string to int. */
    private static final Schema USER_ZIP_AS_INT = parse(USER_V1.toString().replace(
            "\"name\":\"zip\",\"type\":\"string\"", "\"name\":\"zip\",\"type\":\"int\""));

    private static Schema parse(String json) {
        return new Schema.Parser().parse(json);
    }

    private static GenericData.Record user(Schema schema) {
        Schema addressSchema = schema.getField("address").schema();
        GenericRecordBuilder builder = new GenericRecordBuilder(schema)
                .set("name", "Ada")
                .set("age", schema.getField("age").schema().getType() == Schema.Type.INT ? (Object) 36 : (Object) 36L)
                .set("address", new GenericRecordBuilder(addressSchema).set("street", "Loop Rd").set("zip", "1234").build())
                .set("emails", List.of("ada@example.com", "a@example.org"))
                .set("scores", Map.of("q1", 10L))
                .set("level", new GenericData.EnumSymbol(schema.getField("level").schema(), "HIGH"));
        if (schema.getField("avatar") != null) {
            builder.set("avatar", ByteBuffer.wrap(new byte[] {1, 2, 3}));
        }
        return builder.build();
    }

    private static <T> byte[] write(TypeSerializer<T> serializer, List<T> values) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            for (T value : values) {
                serializer.serialize(value, out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Reads {@code count} values and checks that no byte is left over. */
    private static <T> List<T> read(TypeSerializer<T> serializer, byte[] bytes, int count) {
        ByteArrayInputStream input = new ByteArrayInputStream(bytes);
        DataInputStream in = new DataInputStream(input);
        List<T> values = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                values.add(serializer.deserialize(in));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(input.available()).as("bytes left over").isZero();
        return values;
    }

    /** The schema as a savepoint stores and restores it. */
    private static TypeSchema stored(TypeSchema schema) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            schema.writeTo(new DataOutputStream(bytes));
            return TypeSchema.readFrom(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void genericRecordsRoundTripOneAfterAnother() {
        TypeSerializer<GenericRecord> serializer = AvroSerializers.generic(USER_V1);
        GenericData.Record ada = user(USER_V1);
        GenericRecord bob = new GenericRecordBuilder(ada).set("name", "Bob").set("nickname", "bobby").build();

        List<GenericRecord> back = read(serializer, write(serializer, List.of(ada, bob)), 2);

        assertThat(back).containsExactly(ada, bob);
        assertThat(back.get(0).get("name")).isInstanceOf(Utf8.class).hasToString("Ada");
        assertThat(back.get(1).get("nickname")).hasToString("bobby");
    }

    @Test
    void theSchemaCarriesTheAvroJsonAndSurvivesASavepoint() {
        TypeSerializer<GenericRecord> serializer = AvroSerializers.generic(USER_V1);
        TypeSchema schema = serializer.schema();
        assertThat(schema.kind()).isEqualTo(TypeSchema.Kind.AVRO);
        assertThat(schema.className()).isEqualTo("com.example.User");
        assertThat(parse(schema.avroSchemaJson())).isEqualTo(USER_V1);
        assertThat(serializer.readerFor(stored(schema))).isSameAs(serializer);
        // A stored schema that differs only in JSON layout is the same schema.
        assertThat(serializer.readerFor(TypeSchema.avro("com.example.User", USER_V1.toString(true)))).isSameAs(serializer);
    }

    @Test
    void copiesAreDeepAndIndependent() {
        TypeSerializer<GenericRecord> serializer = AvroSerializers.generic(USER_V1);
        GenericRecord original = new GenericRecordBuilder(user(USER_V1))
                .set("emails", new ArrayList<>(List.of("x@example.com"))).build();
        GenericRecord copy = serializer.copy(original);

        ((GenericRecord) original.get("address")).put("zip", "9999");
        @SuppressWarnings("unchecked")
        List<Object> emails = (List<Object>) original.get("emails");
        emails.add("y@example.com");

        assertThat(copy).isNotSameAs(original);
        assertThat(((GenericRecord) copy.get("address")).get("zip")).hasToString("1234");
        assertThat((List<?>) copy.get("emails")).hasSize(1);
        assertThat(serializer.copy(null)).isNull();
    }

    @Test
    void addedFieldsGetTheirDefaultRemovedFieldsAreSkippedAndIntsArePromoted() {
        byte[] old = write(AvroSerializers.generic(USER_V1), List.of(user(USER_V1), user(USER_V1)));
        TypeSerializer<GenericRecord> current = AvroSerializers.generic(USER_V2);

        TypeSerializer<GenericRecord> reader = current.readerFor(stored(AvroSerializers.generic(USER_V1).schema()));
        List<GenericRecord> users = read(reader, old, 2);

        GenericRecord user = users.get(0);
        assertThat(user.getSchema()).isEqualTo(USER_V2);
        assertThat(user.get("country")).hasToString("NL");
        assertThat(user.get("age")).isEqualTo(36L);
        assertThat(user.hasField("avatar")).isFalse();
        assertThat(reader.schema()).as("what the reader writes back").isEqualTo(current.schema());
    }

    @Test
    void newerRecordsAreReadByAnOlderSchemaWhenAvroAllows() {
        Schema newer = parse(USER_V1.toString().replace("\"name\":\"name\",\"type\":\"string\"}",
                "\"name\":\"name\",\"type\":\"string\"},{\"name\":\"extra\",\"type\":\"string\",\"default\":\"\"}"));
        GenericRecord record = new GenericRecordBuilder(newer).set("name", "Ada").set("age", 1)
                .set("address", ((GenericRecord) user(USER_V1).get("address")))
                .set("emails", List.of()).set("scores", Map.of()).set("extra", "dropped")
                .set("level", new GenericData.EnumSymbol(newer.getField("level").schema(), "LOW"))
                .set("avatar", ByteBuffer.allocate(0)).build();
        byte[] bytes = write(AvroSerializers.generic(newer), List.of(record));

        GenericRecord back = read(AvroSerializers.generic(USER_V1).readerFor(AvroSerializers.generic(newer).schema()),
                bytes, 1).get(0);

        assertThat(back.getSchema()).isEqualTo(USER_V1);
        assertThat(back.get("name")).hasToString("Ada");
    }

    @Test
    void aFieldAddedWithoutADefaultIsRefusedByName() {
        TypeSchema old = stored(AvroSerializers.generic(USER_V1).schema());
        assertThatThrownBy(() -> AvroSerializers.generic(USER_NO_DEFAULT).readerFor(old))
                .isInstanceOf(IncompatibleSchemaException.class)
                .hasMessageContaining("com.example.User")
                .hasMessageContaining("field 'vip' was added without a default value")
                .hasMessageContaining("give added fields a default")
                .satisfies(e -> assertThat(((IncompatibleSchemaException) e).fieldPath()).isEqualTo("vip"));
    }

    @Test
    void aNestedTypeChangeIsRefusedWithTheFieldPath() {
        TypeSchema old = stored(AvroSerializers.generic(USER_V1).schema());
        assertThatThrownBy(() -> AvroSerializers.generic(USER_ZIP_AS_INT).readerFor(old))
                .isInstanceOf(IncompatibleSchemaException.class)
                .hasMessageContaining("field 'address.zip' was written as STRING and is now INT");
    }

    @Test
    void aNonAvroSchemaIsRefused() {
        assertThatThrownBy(() -> AvroSerializers.generic(USER_V1).readerFor(Types.STRING.schema()))
                .isInstanceOf(IncompatibleSchemaException.class)
                .hasMessageContaining("was written as STRING and is now AVRO com.example.User");
    }

    @Test
    void onlyRecordSchemasAndNonNullRecordsAreAccepted() {
        assertThatThrownBy(() -> AvroSerializers.generic(Schema.create(Schema.Type.STRING)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("record schemas");
        TypeSerializer<GenericRecord> serializer = AvroSerializers.generic(USER_V1);
        assertThatThrownBy(() -> serializer.serialize(null, new DataOutputStream(new ByteArrayOutputStream())))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("com.example.User");
    }

    @Test
    void specificRecordsRoundTripAndCopy() {
        TypeSerializer<SensorReading> serializer = AvroSerializers.specific(SensorReading.class);
        SensorReading reading = new SensorReading("s-1", 21.5, new ArrayList<>(List.of("roof")));

        SensorReading back = read(serializer, write(serializer, List.of(reading)), 1).get(0);

        assertThat(back).isInstanceOf(SensorReading.class).isEqualTo(reading);
        assertThat(back.id()).isEqualTo("s-1");
        SensorReading copy = serializer.copy(reading);
        reading.tags().add("changed");
        assertThat(copy.tags()).containsExactly("roof");
        assertThat(serializer.schema().className()).isEqualTo(SensorReading.class.getName());
    }

    @Test
    void specificRecordsReadOlderGenericBytes() {
        Schema old = parse("""
                {"type": "record", "name": "SensorReading", "namespace": "io.runnel.types.avro", "fields": [
                  {"name": "id", "type": "string"}]}""");
        TypeSerializer<GenericRecord> oldSerializer = AvroSerializers.generic(old);
        byte[] bytes = write(oldSerializer, List.of(new GenericRecordBuilder(old).set("id", "s-9").build()));

        SensorReading reading = read(AvroSerializers.specific(SensorReading.class).readerFor(stored(oldSerializer.schema())),
                bytes, 1).get(0);

        assertThat(reading.id()).isEqualTo("s-9");
        assertThat(reading.value()).isZero();
        assertThat(reading.tags()).isEmpty();
    }

    @Test
    void avroSerializersComposeWithRunnelTypes() {
        TypeSerializer<Tuple2<GenericRecord, Long>> pairs = Types.tuple(AvroSerializers.generic(USER_V1), Types.LONG);
        Tuple2<GenericRecord, Long> pair = Tuple2.of(user(USER_V1), 5L);
        assertThat(read(pairs, write(pairs, List.of(pair, Tuple2.of(null, 6L))), 2))
                .containsExactly(pair, Tuple2.of(null, 6L));
    }

    /** A Runnel record that had an Avro field, restored without it: the length prefix lets it be skipped. */
    record Holder(long id) {
    }

    @Test
    void aRemovedAvroFieldOfARunnelRecordIsSkipped() throws IOException {
        TypeSerializer<GenericRecord> avro = AvroSerializers.generic(USER_V1);
        TypeSchema writer = TypeSchema.record("com.example.OldHolder", List.of(
                new TypeSchema.Field("id", Types.LONG.schema(), false),
                new TypeSchema.Field("user", avro.schema(), true)));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        for (long id = 1; id <= 2; id++) {
            out.writeLong(id);
            out.writeByte(1); // present
            avro.serialize(user(USER_V1), out);
        }

        TypeSerializer<Holder> reader = Types.of(Holder.class).readerFor(writer);

        assertThat(read(reader, bytes.toByteArray(), 2)).containsExactly(new Holder(1), new Holder(2));
    }

    @Test
    void oneSerializerServesManyThreads() throws Exception {
        TypeSerializer<GenericRecord> serializer = AvroSerializers.generic(USER_V1);
        TypeSerializer<GenericRecord> evolving = AvroSerializers.generic(USER_V2).readerFor(serializer.schema());
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                results.add(threads.submit(() -> {
                    for (int i = 0; i < 300; i++) {
                        GenericRecord record = new GenericRecordBuilder(user(USER_V1)).set("name", "t" + thread + "-" + i)
                                .build();
                        byte[] bytes = write(serializer, List.of(record));
                        assertThat(read(serializer, bytes, 1)).containsExactly(record);
                        assertThat(read(evolving, bytes, 1).get(0).get("name")).hasToString("t" + thread + "-" + i);
                    }
                }));
            }
            for (Future<?> result : results) {
                result.get();
            }
        } finally {
            threads.shutdownNow();
        }
    }
}
