package io.runnel.types.avro.internal;

import io.runnel.api.serialization.RecordSerializer;
import java.io.ByteArrayOutputStream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericData;
import org.apache.avro.message.BinaryMessageEncoder;

/**
 * Writes records in Avro's single-object encoding: the two marker bytes {@code C3 01}, the writer
 * schema's 8-byte parsing fingerprint (little-endian), then the record in Avro's binary encoding.
 * A reader with the writer's schema in its schema directory can then read it, whatever schema it
 * reads into. Avro's {@link BinaryMessageEncoder} does the encoding and is thread-safe.
 */
public final class SingleObjectWriter<T> implements RecordSerializer<T> {

    private final Schema schema;
    private final BinaryMessageEncoder<T> encoder;

    public SingleObjectWriter(GenericData model, Schema schema) {
        if (schema.getType() != Schema.Type.RECORD) {
            throw new IllegalArgumentException("Avro single-object encoding here writes records, but the schema "
                    + schema.getFullName() + " is a " + schema.getType());
        }
        this.schema = schema;
        this.encoder = new BinaryMessageEncoder<>(model, schema);
    }

    @Override
    public byte[] serialize(T record) throws Exception {
        if (record == null) {
            return null;
        }
        if (record instanceof GenericContainer container && container.getSchema() != schema
                && !container.getSchema().equals(schema)) {
            throw new IllegalArgumentException("An Avro record of schema " + container.getSchema().getFullName()
                    + " reached a serializer of schema " + schema.getFullName() + " (fingerprint "
                    + SingleObjectReader.hex(SchemaNormalization.parsingFingerprint64(schema))
                    + "), which would write it under the wrong schema: build the record with the serializer's schema");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        encoder.encode(record, out);
        return out.toByteArray();
    }
}
