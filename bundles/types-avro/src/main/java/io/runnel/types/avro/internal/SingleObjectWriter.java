package io.runnel.types.avro.internal;

import io.runnel.api.serialization.RecordSerializer;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericData;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;

/**
 * Writes records in Avro's single-object encoding: the two marker bytes {@code C3 01}, the writer
 * schema's 8-byte parsing fingerprint (little-endian), then the record in Avro's binary encoding.
 * A reader with the writer's schema in its schema directory can then read it, whatever schema it
 * reads into.
 *
 * <p>Each record is encoded with a buffered binary encoder into a reused scratch buffer, and only
 * the result is copied out: Avro's {@code BinaryMessageEncoder} writing into a fresh
 * {@code ByteArrayOutputStream} grew and copied that stream several times per record of a few
 * hundred bytes or more, through a synchronized write per field, which made up a third of a
 * Kafka-to-Kafka task's time.
 *
 * <p>Thread-safe: a thread takes the spare scratch buffer, or makes its own when another thread has
 * it, and hands it back afterwards (no thread-locals, so nothing of this bundle stays attached to a
 * task thread). The datum writer is shared, as Avro's own message encoders share theirs.
 */
public final class SingleObjectWriter<T> implements RecordSerializer<T> {

    private final Schema schema;
    private final byte[] header;
    private final DatumWriter<T> writer;
    private final AtomicReference<Scratch> spare = new AtomicReference<>();

    @SuppressWarnings("unchecked")
    public SingleObjectWriter(GenericData model, Schema schema) {
        if (schema.getType() != Schema.Type.RECORD) {
            throw new IllegalArgumentException("Avro single-object encoding here writes records, but the schema "
                    + schema.getFullName() + " is a " + schema.getType());
        }
        this.schema = schema;
        this.header = header(SchemaNormalization.parsingFingerprint64(schema));
        this.writer = (DatumWriter<T>) model.createDatumWriter(schema);
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
        Scratch scratch = spare.getAndSet(null);
        if (scratch == null) {
            scratch = new Scratch();
        }
        byte[] bytes = scratch.encode(header, writer, record);
        // Only a scratch buffer that finished its record goes back; one an exception interrupted is dropped.
        spare.set(scratch);
        return bytes;
    }

    /** Marker C3 01, then the fingerprint's eight bytes, least significant first. */
    private static byte[] header(long fingerprint) {
        byte[] header = new byte[10];
        header[0] = (byte) 0xC3;
        header[1] = (byte) 0x01;
        for (int i = 0; i < 8; i++) {
            header[2 + i] = (byte) (fingerprint >>> (8 * i));
        }
        return header;
    }

    /** A growable, unsynchronized byte buffer with the binary encoder that writes into it. */
    private static final class Scratch extends OutputStream {
        private byte[] buffer = new byte[1024];
        private int count;
        private BinaryEncoder encoder;

        <T> byte[] encode(byte[] header, DatumWriter<T> writer, T record) throws IOException {
            encoder = EncoderFactory.get().binaryEncoder(this, encoder);
            count = 0;
            write(header, 0, header.length);
            writer.write(record, encoder);
            encoder.flush();
            return Arrays.copyOf(buffer, count);
        }

        @Override
        public void write(int b) {
            ensure(1);
            buffer[count++] = (byte) b;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            ensure(length);
            System.arraycopy(bytes, offset, buffer, count, length);
            count += length;
        }

        private void ensure(int more) {
            if (count + more > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, count + more));
            }
        }
    }
}
