package io.runnel.api.types;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Writes values of one type to bytes and reads them back, for state snapshots, savepoints and records
 * sent between TaskManagers. Get the built-in ones from {@link Types}; write your own for a type they
 * do not cover.
 *
 * <p><b>Format.</b> {@link #deserialize} reads exactly the bytes {@link #serialize} wrote, no more:
 * values are written one after another into the same stream, so a serializer must know where its
 * value ends without relying on the end of the stream, and must not close the stream.
 * {@link #schema()} describes that format; two serializers with equal schemas must read each other's
 * bytes. Change the schema whenever the format changes.
 *
 * <p><b>Nulls.</b> A null is a property of the place a value sits in, not of the value: records,
 * POJOs, tuples, lists, maps and arrays of references write a presence byte before each field or
 * element that may be null, and read nulls back. A serializer called with a null value at the top
 * level may throw a {@link NullPointerException} saying so; the built-in ones do, except the dynamic
 * serializer ({@link Types#dynamic}), whose type tag has a null case.
 *
 * <p><b>Thread safety.</b> The runtime shares one instance among all the threads of a node, so
 * implementations must be safe for concurrent use; the simplest way is to keep no mutable state. A
 * serializer that needs scratch space (an encoder, a buffer) keeps it per thread. All built-in
 * serializers are stateless (or hold only thread-safe caches) and thread-safe.
 *
 * <p><b>Evolution.</b> When state written by an earlier version of a job is restored, the runtime
 * reads the stored schema and calls {@link #readerFor} on the current serializer before reading any
 * bytes; the reader it returns turns old bytes into current values.
 *
 * @param <T> the type of the values
 */
@ConsumerType
public interface TypeSerializer<T> {

    /**
     * Writes {@code value}.
     *
     * @throws NullPointerException if {@code value} is null and this serializer does not accept a
     *     null at the top level (see the class description)
     * @throws IOException if {@code out} fails
     */
    void serialize(T value, DataOutput out) throws IOException;

    /**
     * Reads a value written by {@link #serialize} of a serializer with the same {@link #schema()}.
     *
     * @throws IOException if the input ends early or does not hold a value of this format
     */
    T deserialize(DataInput in) throws IOException;

    /**
     * A deep copy of {@code value}: nothing later done to {@code value} (or to anything reachable from
     * it) changes the copy, and the other way round. Snapshots and in-JVM channels copy values this
     * way. Immutable types return {@code value} itself. Null copies to null.
     */
    T copy(T value);

    /** The format {@link #serialize} writes. The same for every call and every run of the same code. */
    TypeSchema schema();

    /**
     * A serializer that reads bytes written under {@code writerSchema} (a schema this serializer's
     * type had in an earlier version of the job) and returns values of the current type. Its
     * {@link #serialize}, {@link #copy} and {@link #schema} are this serializer's: state read with it
     * is written back in the current format.
     *
     * <p>Returns {@code this} when {@code writerSchema} equals {@link #schema()}. Called once per
     * restore, before any bytes are read, so that an incompatible change fails fast.
     *
     * <p>The default accepts only an equal schema. Built-in serializers also accept: records and POJOs
     * whose fields were added (they start as null, 0 or false; a POJO's keep what its no-arg
     * constructor gives them), removed (their bytes are skipped), reordered or changed compatibly;
     * numbers widened as Java widens them ({@code int} to {@code long}, {@code float} to
     * {@code double}, ...); a primitive field made its boxed type and back (a stored null becomes 0 or
     * false); enums with added or reordered constants; renamed or moved record and POJO classes.
     *
     * @throws IncompatibleSchemaException if bytes of {@code writerSchema} cannot be read as this type;
     *     the message names the type, the field at fault and what to do
     */
    default TypeSerializer<T> readerFor(TypeSchema writerSchema) {
        TypeSchema current = schema();
        if (current.equals(writerSchema)) {
            return this;
        }
        throw IncompatibleSchemaException.typeChanged(writerSchema, current,
                "Restore with a serializer of the old format, or make this serializer's readerFor read the old format.");
    }

    /**
     * Whether the values are immutable, so that {@link #copy} returns its argument and the runtime
     * may skip copying altogether. The default is false: copies are made.
     */
    default boolean isImmutableType() {
        return false;
    }
}
