package io.runnel.types.avro.internal;

import io.runnel.api.serialization.MalformedRecordException;
import io.runnel.api.serialization.RecordDeserializer;
import io.runnel.api.types.IncompatibleSchemaException;
import io.runnel.types.avro.AvroSchemaDirectory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;

/**
 * Reads records in Avro's single-object encoding into a reader schema. The writer schema is the one
 * whose fingerprint the record carries, looked up in a schema directory (the reader schema itself is
 * always known); Avro's schema resolution then fills added fields with their defaults, skips removed
 * ones and follows aliases. Each writer schema is checked against the reader once, when first met,
 * so an incompatible one is reported with the field at fault instead of a decoding error.
 *
 * <p>The body is decoded straight from the byte array with Avro's buffered binary decoder: Avro's
 * {@code BinaryMessageDecoder} reads it through an input stream byte by byte, which was the largest
 * cost of a Kafka source's task reading records of a kilobyte.
 *
 * <p>Thread-safe: resolved datum readers are shared (as Avro's message decoders share theirs), the
 * directory is, and a thread takes the spare binary decoder or makes its own if another thread has it.
 */
public final class SingleObjectReader<T> implements RecordDeserializer<T> {

    private static final int HEADER_LENGTH = 10;

    private final GenericData model;
    private final Schema reader;
    private final long readerFingerprint;
    private final AvroSchemaDirectory writers;
    /** A resolving datum reader per writer fingerprint met; unknown fingerprints are not remembered. */
    private final Map<Long, DatumReader<T>> readers = new ConcurrentHashMap<>();
    private final AtomicReference<BinaryDecoder> spareDecoder = new AtomicReference<>();

    public SingleObjectReader(GenericData model, Schema reader, AvroSchemaDirectory writers) {
        this.model = model;
        this.reader = reader;
        this.readerFingerprint = SchemaNormalization.parsingFingerprint64(reader);
        this.writers = writers;
    }

    @Override
    public T deserialize(byte[] bytes) throws MalformedRecordException {
        if (bytes == null) {
            return null;
        }
        if (bytes.length < HEADER_LENGTH || (bytes[0] & 0xFF) != 0xC3 || bytes[1] != 0x01) {
            throw new MalformedRecordException("Not an Avro single-object encoded record: it should start with C3 01"
                    + " followed by an 8-byte schema fingerprint, but its " + bytes.length + " byte(s) start with "
                    + prefix(bytes) + ". Check that the producer writes Avro single-object encoding (Avro's"
                    + " BinaryMessageEncoder, or Runnel's AvroRecordFormats) and not a schema-registry framing or raw Avro.");
        }
        long fingerprint = ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        DatumReader<T> datumReader = readerFor(fingerprint);
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, HEADER_LENGTH, bytes.length - HEADER_LENGTH,
                spareDecoder.getAndSet(null));
        try {
            T record = datumReader.read(null, decoder);
            spareDecoder.set(decoder);
            return record;
        } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException | NegativeArraySizeException e) {
            throw new MalformedRecordException("The body of an Avro record (" + bytes.length + " bytes, writer schema"
                    + " fingerprint " + hex(fingerprint) + ") does not match its writer schema: " + e
                    + ". The producer may have written it with a different schema of the same fingerprint, or the"
                    + " bytes were cut short.", e);
        }
    }

    private DatumReader<T> readerFor(long fingerprint) throws MalformedRecordException {
        DatumReader<T> known = readers.get(fingerprint);
        if (known != null) {
            return known;
        }
        Schema writer = fingerprint == readerFingerprint ? reader : writers.findOrRescan(fingerprint);
        if (writer == null) {
            throw new MalformedRecordException("The record was written with an Avro schema of fingerprint "
                    + hex(fingerprint) + ", which is neither the reader schema " + reader.getFullName() + " ("
                    + hex(readerFingerprint) + ") nor among the " + writers.describe()
                    + ". Put the producer's .avsc file into the schema directory.");
        }
        try {
            AvroCompatibility.check(reader, writer);
        } catch (IncompatibleSchemaException e) {
            throw new MalformedRecordException("The record's writer schema cannot be read as " + reader.getFullName()
                    + ": " + e.getMessage(), e);
        }
        @SuppressWarnings("unchecked")
        DatumReader<T> resolving = (DatumReader<T>) model.createDatumReader(writer, reader);
        readers.putIfAbsent(fingerprint, resolving);
        return readers.get(fingerprint);
    }

    /** A fingerprint as Avro tools print it: 16 hex digits. */
    static String hex(long fingerprint) {
        return String.format("%016x", fingerprint);
    }

    private static String prefix(byte[] bytes) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < Math.min(bytes.length, 4); i++) {
            text.append(String.format("%02X ", bytes[i]));
        }
        return bytes.length == 0 ? "nothing" : text.toString().trim();
    }
}
