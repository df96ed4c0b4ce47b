package io.runnel.bench;

import io.runnel.api.serialization.RecordDeserializer;
import io.runnel.api.serialization.RecordSerializer;
import io.runnel.types.avro.AvroRecordFormats;
import io.runnel.types.avro.AvroSchemaDirectory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;

/**
 * The records of the {@code kafka-eos} workload: Avro records of about 1 KB in single-object
 * encoding. The input schema has an id, a key, the producer's timestamp and a payload of
 * {@value #PAYLOAD_BYTES} bytes; the job's map copies each record into the output schema, which adds
 * the time the job processed it. Ids tell the checker which records arrived; the producer timestamp
 * gives each record's end-to-end latency.
 *
 * <p>Thread-safe: the serializers are, and everything else is immutable.
 */
final class BenchRecords {

    static final int PAYLOAD_BYTES = 1000;
    /** Payloads come from a small set of random ones, so generating a record costs next to nothing. */
    private static final int DISTINCT_PAYLOADS = 64;
    static final int KEYS = 1000;
    /** Single-object encoding: marker C3 01 and an 8-byte schema fingerprint before the Avro body. */
    private static final int HEADER_BYTES = 10;

    static final Schema INPUT = new Schema.Parser().parse("""
            {"type": "record", "name": "BenchEvent", "namespace": "io.runnel.bench", "fields": [
              {"name": "id", "type": "long"},
              {"name": "key", "type": "string"},
              {"name": "produced_at", "type": "long"},
              {"name": "payload", "type": "bytes"}]}""");

    static final Schema OUTPUT = new Schema.Parser().parse("""
            {"type": "record", "name": "BenchEventProcessed", "namespace": "io.runnel.bench", "fields": [
              {"name": "id", "type": "long"},
              {"name": "key", "type": "string"},
              {"name": "produced_at", "type": "long"},
              {"name": "payload", "type": "bytes"},
              {"name": "processed_at", "type": "long"}]}""");

    private static final byte[][] PAYLOADS = payloads();
    private static final String[] KEY_NAMES = keyNames();

    private static final RecordSerializer<GenericRecord> INPUT_WRITER = AvroRecordFormats.genericSerializer(INPUT);

    private BenchRecords() {}

    /** The input record with this id, stamped with {@code producedAtMillis}. */
    static GenericRecord input(long id, long producedAtMillis) {
        GenericData.Record record = new GenericData.Record(INPUT);
        record.put(0, id);
        record.put(1, KEY_NAMES[(int) (id % KEYS)]);
        record.put(2, producedAtMillis);
        record.put(3, ByteBuffer.wrap(PAYLOADS[(int) (id % DISTINCT_PAYLOADS)]));
        return record;
    }

    /** The input record with this id as single-object encoded bytes. */
    static byte[] inputBytes(long id, long producedAtMillis) {
        try {
            return INPUT_WRITER.serialize(input(id, producedAtMillis));
        } catch (Exception e) {
            throw new IllegalStateException("cannot encode bench record " + id, e);
        }
    }

    /** What the job's map does: the same fields in the output schema, plus the processing time. */
    static GenericRecord processed(GenericRecord input, long nowMillis) {
        GenericData.Record record = new GenericData.Record(OUTPUT);
        record.put(0, input.get(0));
        record.put(1, input.get(1));
        record.put(2, input.get(2));
        record.put(3, input.get(3));
        record.put(4, nowMillis);
        return record;
    }

    static RecordDeserializer<GenericRecord> inputReader() {
        return AvroRecordFormats.genericDeserializer(INPUT, AvroSchemaDirectory.of());
    }

    static RecordSerializer<GenericRecord> outputWriter() {
        return AvroRecordFormats.genericSerializer(OUTPUT);
    }

    /**
     * Reads the id and the producer timestamp of an encoded input or output record (both schemas
     * start with id, key, produced_at) without decoding the payload. {@code ids[0]} gets the id,
     * {@code ids[1]} the timestamp; {@code reuse} may be null.
     *
     * @return the decoder, to pass back as {@code reuse}
     */
    static BinaryDecoder idAndTime(byte[] bytes, long[] out, BinaryDecoder reuse) {
        if (bytes == null || bytes.length < HEADER_BYTES || (bytes[0] & 0xFF) != 0xC3 || bytes[1] != 0x01) {
            throw new IllegalStateException("the output topic holds a record that is not a single-object encoded bench "
                    + "record (" + (bytes == null ? "null" : bytes.length + " bytes") + ")");
        }
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, HEADER_BYTES, bytes.length - HEADER_BYTES, reuse);
        try {
            out[0] = decoder.readLong();
            decoder.skipString();
            out[1] = decoder.readLong();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the id of a bench record: " + e, e);
        }
        return decoder;
    }

    private static byte[][] payloads() {
        SplittableRandom random = new SplittableRandom(42);
        byte[][] payloads = new byte[DISTINCT_PAYLOADS][PAYLOAD_BYTES];
        for (byte[] payload : payloads) {
            for (int i = 0; i < payload.length; i++) {
                payload[i] = (byte) random.nextInt(256);
            }
        }
        return payloads;
    }

    private static String[] keyNames() {
        String[] names = new String[KEYS];
        for (int i = 0; i < KEYS; i++) {
            names[i] = "key-" + i;
        }
        return names;
    }
}
