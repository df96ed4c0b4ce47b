package io.runnel.api.types;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Writes values to bytes and reads them back, checking that a reader consumes exactly what was written. */
final class SerializerTesting {

    private SerializerTesting() {
    }

    static <T> byte[] write(TypeSerializer<T> serializer, T value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            serializer.serialize(value, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Reads one value and checks that no byte is left over. */
    static <T> T read(TypeSerializer<T> serializer, byte[] bytes) {
        ByteArrayInputStream input = new ByteArrayInputStream(bytes);
        try {
            T value = serializer.deserialize(new DataInputStream(input));
            assertThat(input.available()).as("bytes left after reading with %s", serializer).isZero();
            return value;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes the value twice, one after the other, and reads both back: a serializer that reads too
     * much or too little breaks the second value. Returns the first value read.
     */
    static <T> T roundTrip(TypeSerializer<T> serializer, T value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            serializer.serialize(value, out);
            serializer.serialize(value, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ByteArrayInputStream input = new ByteArrayInputStream(bytes.toByteArray());
        try {
            DataInputStream in = new DataInputStream(input);
            T first = serializer.deserialize(in);
            T second = serializer.deserialize(in);
            assertThat(input.available()).as("bytes left after reading with %s", serializer).isZero();
            // Both reads give values that write the same bytes again: nothing was lost or misread.
            assertThat(write(serializer, first)).isEqualTo(write(serializer, second)).isEqualTo(write(serializer, value));
            return first;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What a savepoint does with a schema: writes it beside the bytes and reads it back on restore. */
    static TypeSchema storedAndRestored(TypeSchema schema) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            schema.writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            return TypeSchema.readFrom(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
