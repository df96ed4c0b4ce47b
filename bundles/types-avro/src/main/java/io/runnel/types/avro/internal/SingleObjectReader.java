package io.runnel.types.avro.internal;

import io.runnel.api.serialization.MalformedRecordException;
import io.runnel.api.serialization.RecordDeserializer;
import io.runnel.api.types.IncompatibleSchemaException;
import io.runnel.types.avro.AvroSchemaDirectory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.message.SchemaStore;

/**
 * Reads records in Avro's single-object encoding into a reader schema. The writer schema is the one
 * whose fingerprint the record carries, looked up in a schema directory (the reader schema itself is
 * always known); Avro's schema resolution then fills added fields with their defaults, skips removed
 * ones and follows aliases. Each writer schema is checked against the reader once, when first met,
 * so an incompatible one is reported with the field at fault instead of a decoding error.
 *
 * <p>Thread-safe: Avro's {@link BinaryMessageDecoder} is, and the directory is.
 */
public final class SingleObjectReader<T> implements RecordDeserializer<T> {

    private static final int HEADER_LENGTH = 10;

    private final Schema reader;
    private final AvroSchemaDirectory writers;
    private final BinaryMessageDecoder<T> decoder;

    public SingleObjectReader(GenericData model, Schema reader, AvroSchemaDirectory writers) {
        this.reader = reader;
        this.writers = writers;
        // The decoder asks the store only for fingerprints it has not resolved yet, and caches what it
        // returns, so the compatibility check below runs once per writer schema.
        SchemaStore store = fingerprint -> {
            Schema writer = writers.findOrRescan(fingerprint);
            if (writer != null) {
                AvroCompatibility.check(reader, writer);
            }
            return writer;
        };
        this.decoder = new BinaryMessageDecoder<>(model, reader, store);
    }

    @Override
    public T deserialize(byte[] bytes) throws MalformedRecordException {
        if (bytes == null) {
            return null;
        }
        try {
            return decoder.decode(bytes);
        } catch (BadHeaderException e) {
            throw new MalformedRecordException("Not an Avro single-object encoded record: it should start with C3 01"
                    + " followed by an 8-byte schema fingerprint, but its " + bytes.length + " byte(s) start with "
                    + prefix(bytes) + ". Check that the producer writes Avro single-object encoding (Avro's"
                    + " BinaryMessageEncoder, or Runnel's AvroRecordFormats) and not a schema-registry framing or raw Avro.", e);
        } catch (MissingSchemaException e) {
            long fingerprint = ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            throw new MalformedRecordException("The record was written with an Avro schema of fingerprint "
                    + hex(fingerprint) + ", which is neither the reader schema " + reader.getFullName() + " ("
                    + hex(SchemaNormalization.parsingFingerprint64(reader)) + ") nor among the " + writers.describe()
                    + ". Put the producer's .avsc file into the schema directory.", e);
        } catch (IncompatibleSchemaException e) {
            throw new MalformedRecordException("The record's writer schema cannot be read as " + reader.getFullName()
                    + ": " + e.getMessage(), e);
        } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException | NegativeArraySizeException e) {
            long fingerprint = bytes.length >= HEADER_LENGTH
                    ? ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong() : 0L;
            throw new MalformedRecordException("The body of an Avro record (" + bytes.length + " bytes, writer schema"
                    + " fingerprint " + hex(fingerprint) + ") does not match its writer schema: " + e
                    + ". The producer may have written it with a different schema of the same fingerprint, or the"
                    + " bytes were cut short.", e);
        }
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
