package io.runnel.types.avro;

import io.runnel.api.types.TypeSerializer;
import io.runnel.types.avro.internal.AvroRecordSerializer;
import io.runnel.types.avro.internal.SpecificModel;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;

/**
 * Makes {@link TypeSerializer}s for Avro records, for state and for records sent between
 * TaskManagers.
 *
 * <p><b>Format.</b> A 4-byte big-endian length, then the record in Avro's binary encoding under the
 * serializer's schema. The schema itself is not repeated per record: it is the serializer's
 * {@link TypeSerializer#schema() schema} (kind {@code AVRO}, with the schema JSON), which savepoints
 * store once. The length lets a Runnel record or POJO skip a removed Avro-typed field.
 *
 * <p><b>Evolution.</b> {@code readerFor(storedSchema)} checks the stored (writer) Avro schema against
 * the current (reader) one with Avro's {@code SchemaCompatibility} and reads old bytes with Avro's
 * schema resolution: fields added with a default get it, removed fields are skipped, aliases rename.
 * An incompatible change (a field added without a default, a type changed in a way Avro does not
 * promote, enum symbols removed) is refused with an
 * {@link io.runnel.api.types.IncompatibleSchemaException} that names the field.
 *
 * <p><b>Threads.</b> The serializers are thread-safe: each thread gets its own Avro datum writer and
 * reader, binary encoder and decoder and byte buffer through a {@link ThreadLocal}, reused across calls.
 * {@code copy} is Avro's deep copy.
 */
public final class AvroSerializers {

    private AvroSerializers() {
    }

    /**
     * A serializer for generic records of {@code schema}.
     *
     * @throws IllegalArgumentException if {@code schema} is not an Avro record schema
     */
    public static TypeSerializer<GenericRecord> generic(Schema schema) {
        Objects.requireNonNull(schema, "schema");
        return new AvroRecordSerializer<>(schema, GenericData.get(), false);
    }

    /**
     * A serializer for a specific (generated) record class. The class's schema is read from its
     * {@code SCHEMA$} field, and records are created with the class's own class loader, so the class
     * needs to be visible only to the bundle calling this, not to Avro's bundle. Logical-type
     * conversions the generated class registers are kept.
     *
     * @throws IllegalArgumentException if {@code type} has no Avro record schema
     */
    public static <T extends SpecificRecord> TypeSerializer<T> specific(Class<T> type) {
        Objects.requireNonNull(type, "type");
        SpecificModel specific = SpecificModel.of(type);
        return new AvroRecordSerializer<>(specific.schema(), specific.model(), true);
    }
}
