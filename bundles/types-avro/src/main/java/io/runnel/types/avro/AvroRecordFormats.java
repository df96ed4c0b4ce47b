package io.runnel.types.avro;

import io.runnel.api.serialization.RecordDeserializer;
import io.runnel.api.serialization.RecordSerializer;
import io.runnel.types.avro.internal.SingleObjectReader;
import io.runnel.types.avro.internal.SingleObjectWriter;
import io.runnel.types.avro.internal.SpecificModel;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;

/**
 * Avro records as the bytes of a connector's records (a Kafka record's key or value), in Avro's
 * <em>single-object encoding</em>: marker bytes {@code C3 01}, the writer schema's 8-byte CRC-64
 * parsing fingerprint (little-endian), then the record in Avro's binary encoding. Any Avro library's
 * single-object decoder reads them, and the fingerprint tells a reader which schema wrote each record.
 *
 * <p><b>Evolution.</b> A deserializer reads into its reader schema. It finds each record's writer
 * schema by fingerprint in an {@link AvroSchemaDirectory} (the reader schema itself is always known)
 * and resolves it with Avro's rules: added fields take their defaults, removed fields are skipped,
 * aliases rename. A writer schema Avro cannot resolve is reported, naming the field, as a
 * {@link io.runnel.api.serialization.MalformedRecordException}, like bytes that are not single-object
 * encoded or a fingerprint the directory lacks; the connector then sends the record to its dead-letter
 * destination or fails the job, as configured.
 *
 * <p>Serializers and deserializers are thread-safe.
 */
public final class AvroRecordFormats {

    private AvroRecordFormats() {
    }

    /**
     * Writes generic records of {@code schema}; a record of another schema is refused.
     *
     * @throws IllegalArgumentException if {@code schema} is not a record schema
     */
    public static RecordSerializer<GenericRecord> genericSerializer(Schema schema) {
        return new SingleObjectWriter<>(GenericData.get(), Objects.requireNonNull(schema, "schema"));
    }

    /**
     * Writes records of a specific (generated) class under its {@code SCHEMA$}.
     *
     * @throws IllegalArgumentException if {@code type} has no Avro record schema
     */
    public static <T extends SpecificRecord> RecordSerializer<T> specificSerializer(Class<T> type) {
        SpecificModel specific = SpecificModel.of(Objects.requireNonNull(type, "type"));
        return new SingleObjectWriter<>(specific.model(), specific.schema());
    }

    /**
     * Reads records written under {@code readerSchema} or any schema of {@code writerSchemas} into
     * generic records of {@code readerSchema}.
     */
    public static RecordDeserializer<GenericRecord> genericDeserializer(Schema readerSchema,
            AvroSchemaDirectory writerSchemas) {
        return new SingleObjectReader<>(GenericData.get(), Objects.requireNonNull(readerSchema, "readerSchema"),
                Objects.requireNonNull(writerSchemas, "writerSchemas"));
    }

    /**
     * Reads records written under the class's schema or any schema of {@code writerSchemas} into
     * instances of {@code type}, created with the class's own class loader.
     *
     * @throws IllegalArgumentException if {@code type} has no Avro record schema
     */
    public static <T extends SpecificRecord> RecordDeserializer<T> specificDeserializer(Class<T> type,
            AvroSchemaDirectory writerSchemas) {
        SpecificModel specific = SpecificModel.of(Objects.requireNonNull(type, "type"));
        return new SingleObjectReader<>(specific.model(), specific.schema(),
                Objects.requireNonNull(writerSchemas, "writerSchemas"));
    }
}
