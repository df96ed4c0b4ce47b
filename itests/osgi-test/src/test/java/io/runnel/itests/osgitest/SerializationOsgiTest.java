package io.runnel.itests.osgitest;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.api.types.TypeSerializer;
import io.runnel.api.types.Types;
import io.runnel.types.avro.AvroSerializers;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

/**
 * Serializers inside a real node: the dynamic serializer finds a class of this (user) bundle by name
 * through the bundle's class loader, and Avro with its Jackson dependencies resolves and works in
 * Felix.
 */
class SerializationOsgiTest {

    /** A user type, known only to this bundle. */
    public record Click(String user, long time, List<String> tags) {}

    private static <T> T roundTrip(TypeSerializer<T> serializer, T value) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        serializer.serialize(value, new DataOutputStream(bytes));
        return serializer.deserialize(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    }

    @Test
    void theDynamicSerializerResolvesAUserBundlesClassThroughItsClassLoader() throws IOException {
        TypeSerializer<Object> dynamic = Types.dynamic(Click.class.getClassLoader());
        Object back = roundTrip(dynamic, new Click("u1", 42L, List.of("a", "b")));
        assertThat(back).isEqualTo(new Click("u1", 42L, List.of("a", "b")));
        assertThat(back.getClass().getClassLoader()).isSameAs(Click.class.getClassLoader());
    }

    @Test
    void avroGenericRecordsRoundTripInsideTheFramework() throws IOException {
        Schema schema = SchemaBuilder.record("Reading").namespace("io.runnel.itests").fields()
                .requiredString("sensor").requiredDouble("value").endRecord();
        GenericRecord reading = new GenericData.Record(schema);
        reading.put("sensor", "s-1");
        reading.put("value", 21.5);
        GenericRecord back = roundTrip(AvroSerializers.generic(schema), reading);
        assertThat(back.get("sensor").toString()).isEqualTo("s-1");
        assertThat(back.get("value")).isEqualTo(21.5);
    }
}
