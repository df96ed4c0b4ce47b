package io.runnel.types.avro.internal;

import io.runnel.api.types.IncompatibleSchemaException;
import io.runnel.api.types.TypeSchema;
import io.runnel.api.types.TypeSerializer;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * Avro records, generic or specific: a 4-byte length, then Avro's binary encoding (see
 * {@link io.runnel.types.avro.AvroSerializers} for the contract).
 *
 * <p>Writes always use the current schema. Reads use the schema the bytes were written with, which is
 * the current one unless this instance came from {@link #readerFor}; Avro resolves the difference.
 *
 * <p>Thread-safe: the Avro datum writer and reader, encoder, decoder and buffers are per thread
 * ({@link ThreadLocal}), made on a thread's first call and reused afterwards. Avro's encoders and
 * decoders are not safe to share, and making them per call would cost an allocation of buffers each
 * time.
 *
 * @param <T> {@code GenericRecord} or the specific record class
 */
public final class AvroRecordSerializer<T> implements TypeSerializer<T> {

    /** A buffer that grew past this is dropped after use, so one huge record does not pin memory. */
    private static final int RETAINED_BUFFER_BYTES = 1 << 20;

    private final Schema schema;
    private final Schema writerSchema;
    private final GenericData model;
    private final boolean specific;
    private final TypeSchema typeSchema;
    private final ThreadLocal<Codec<T>> codecs;

    /**
     * @param schema the current record schema, written with and read into
     * @param model {@link GenericData#get()} for generic records, a {@link SpecificData} with the
     *     record class's loader for specific ones
     * @param specific whether records are of generated classes
     */
    public AvroRecordSerializer(Schema schema, GenericData model, boolean specific) {
        this(schema, schema, model, specific);
    }

    private AvroRecordSerializer(Schema schema, Schema writerSchema, GenericData model, boolean specific) {
        if (schema.getType() != Schema.Type.RECORD) {
            throw new IllegalArgumentException("Avro serializers handle record schemas; " + schema.getFullName()
                    + " is a " + schema.getType() + ". Wrap the value in a record schema.");
        }
        this.schema = schema;
        this.writerSchema = writerSchema;
        this.model = model;
        this.specific = specific;
        this.typeSchema = TypeSchema.avro(schema.getFullName(), schema.toString());
        this.codecs = ThreadLocal.withInitial(() -> new Codec<>(schema, writerSchema, model, specific));
    }

    /**
     * One thread's Avro machinery: made once per thread, reused for every value that thread handles.
     * Static, so that it holds no reference to the serializer and through it to the ThreadLocal: a
     * serializer no longer used can then be collected although threads still hold its codecs.
     */
    private static final class Codec<T> {
        final DatumWriter<T> writer;
        final DatumReader<T> reader;
        final ExposedBuffer output = new ExposedBuffer();
        BinaryEncoder encoder;
        BinaryDecoder decoder;
        byte[] input = new byte[256];

        Codec(Schema schema, Schema writerSchema, GenericData model, boolean specific) {
            if (specific) {
                SpecificData specificModel = (SpecificData) model;
                writer = new SpecificDatumWriter<>(schema, specificModel);
                reader = new SpecificDatumReader<>(writerSchema, schema, specificModel);
            } else {
                writer = new GenericDatumWriter<>(schema, model);
                reader = new GenericDatumReader<>(writerSchema, schema, model);
            }
        }

        byte[] input(int length) {
            if (input.length < length) {
                input = new byte[Math.max(length, input.length * 2)];
            }
            return input;
        }
    }

    /** A byte stream whose array can be written out without a copy. */
    private static final class ExposedBuffer extends ByteArrayOutputStream {
        ExposedBuffer() {
            super(256);
        }

        byte[] array() {
            return buf;
        }

        int capacity() {
            return buf.length;
        }
    }

    @Override
    public void serialize(T value, DataOutput out) throws IOException {
        if (value == null) {
            throw new NullPointerException("Cannot serialize a null Avro record " + schema.getFullName()
                    + " at the top level; nulls are written only inside records, tuples, lists and maps");
        }
        Codec<T> codec = codecs.get();
        ExposedBuffer buffer = codec.output;
        buffer.reset();
        codec.encoder = EncoderFactory.get().binaryEncoder(buffer, codec.encoder);
        codec.writer.write(value, codec.encoder);
        codec.encoder.flush();
        out.writeInt(buffer.size());
        out.write(buffer.array(), 0, buffer.size());
        if (buffer.capacity() > RETAINED_BUFFER_BYTES) {
            codecs.remove();
        }
    }

    @Override
    public T deserialize(DataInput in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            throw new IOException("Negative Avro record length " + length + ": the data is corrupt");
        }
        Codec<T> codec = codecs.get();
        byte[] bytes = codec.input(length);
        in.readFully(bytes, 0, length);
        codec.decoder = DecoderFactory.get().binaryDecoder(bytes, 0, length, codec.decoder);
        T value;
        try {
            value = codec.reader.read(null, codec.decoder);
        } catch (RuntimeException e) {
            throw new IOException("Cannot decode an Avro " + schema.getFullName() + " record of " + length
                    + " bytes: the data is corrupt, or was written under another schema than " + describeWriter(), e);
        }
        if (!codec.decoder.isEnd()) {
            throw new IOException("An Avro " + schema.getFullName() + " record of " + length
                    + " bytes was decoded before its end: it was written under another schema than " + describeWriter());
        }
        if (length > RETAINED_BUFFER_BYTES) {
            codecs.remove();
        }
        return value;
    }

    private String describeWriter() {
        return writerSchema == schema ? "the current one" : "the one stored with it";
    }

    @Override
    public T copy(T value) {
        return value == null ? null : model.deepCopy(schema, value);
    }

    @Override
    public TypeSchema schema() {
        return typeSchema;
    }

    /**
     * A serializer that reads records written under the stored Avro schema, resolved into the current
     * one by Avro; refused if Avro's compatibility check fails.
     */
    @Override
    public TypeSerializer<T> readerFor(TypeSchema stored) {
        if (typeSchema.equals(stored)) {
            return this;
        }
        if (stored == null || stored.kind() != TypeSchema.Kind.AVRO) {
            throw IncompatibleSchemaException.typeChanged(stored, typeSchema,
                    "Restore with the type the state was written with, or start the job without this state.");
        }
        Schema old;
        try {
            old = new Schema.Parser().parse(stored.avroSchemaJson());
        } catch (SchemaParseException e) {
            throw new IncompatibleSchemaException(schema.getFullName(), null,
                    "was stored with an Avro schema that does not parse (" + e.getMessage() + ")",
                    "The savepoint is damaged, or was written by a newer Avro: restore it with the Avro version that wrote it.");
        }
        if (old.equals(schema)) {
            return this;
        }
        AvroCompatibility.check(schema, old);
        return new AvroRecordSerializer<>(schema, old, model, specific);
    }

    @Override
    public String toString() {
        return (specific ? "Avro specific record " : "Avro generic record ") + schema.getFullName();
    }
}
