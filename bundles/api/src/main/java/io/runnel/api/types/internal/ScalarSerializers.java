package io.runnel.api.types.internal;

import io.runnel.api.types.IncompatibleSchemaException;
import io.runnel.api.types.TypeSchema;
import io.runnel.api.types.TypeSchema.Kind;
import io.runnel.api.types.TypeSerializer;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/**
 * Serializers of immutable single values: the eight primitives (boxed), strings, and a few value
 * classes of the JDK that records often hold. All are stateless singletons; {@code copy} returns its
 * argument. Numbers read older bytes of a narrower type as Java widens them.
 */
public final class ScalarSerializers {

    public static final TypeSerializer<Boolean> BOOLEAN = new BooleanSerializer();
    public static final TypeSerializer<Byte> BYTE = new ByteSerializer();
    public static final TypeSerializer<Short> SHORT = new ShortSerializer();
    public static final TypeSerializer<Integer> INT = new IntSerializer();
    public static final TypeSerializer<Long> LONG = new LongSerializer();
    public static final TypeSerializer<Float> FLOAT = new FloatSerializer();
    public static final TypeSerializer<Double> DOUBLE = new DoubleSerializer();
    public static final TypeSerializer<Character> CHAR = new CharSerializer();
    public static final TypeSerializer<String> STRING = new StringSerializer();
    public static final TypeSerializer<BigInteger> BIG_INTEGER = new BigIntegerSerializer();
    public static final TypeSerializer<BigDecimal> BIG_DECIMAL = new BigDecimalSerializer();
    public static final TypeSerializer<Instant> INSTANT = new InstantSerializer();
    public static final TypeSerializer<LocalDate> LOCAL_DATE = new LocalDateSerializer();
    public static final TypeSerializer<UUID> UUID_VALUE = new UuidSerializer();

    private ScalarSerializers() {
    }

    /** The scalar serializer of {@code kind}, or null if {@code kind} is not a scalar kind. */
    public static TypeSerializer<?> forKind(Kind kind) {
        return switch (kind) {
            case BOOLEAN -> BOOLEAN;
            case BYTE -> BYTE;
            case SHORT -> SHORT;
            case INT -> INT;
            case LONG -> LONG;
            case FLOAT -> FLOAT;
            case DOUBLE -> DOUBLE;
            case CHAR -> CHAR;
            case STRING -> STRING;
            case BIG_INTEGER -> BIG_INTEGER;
            case BIG_DECIMAL -> BIG_DECIMAL;
            case INSTANT -> INSTANT;
            case LOCAL_DATE -> LOCAL_DATE;
            case UUID -> UUID_VALUE;
            default -> null;
        };
    }

    /**
     * Whether Java widens a {@code from} value to {@code to} without a cast: byte to short; byte,
     * short and char to int; any of those or int to long; any integer kind to float; any number to
     * double.
     */
    static boolean widens(Kind from, Kind to) {
        return switch (to) {
            case SHORT -> from == Kind.BYTE;
            case INT -> from == Kind.BYTE || from == Kind.SHORT || from == Kind.CHAR;
            case LONG -> from == Kind.BYTE || from == Kind.SHORT || from == Kind.CHAR || from == Kind.INT;
            case FLOAT -> from == Kind.BYTE || from == Kind.SHORT || from == Kind.CHAR || from == Kind.INT
                    || from == Kind.LONG;
            case DOUBLE -> from == Kind.BYTE || from == Kind.SHORT || from == Kind.CHAR || from == Kind.INT
                    || from == Kind.LONG || from == Kind.FLOAT;
            default -> false;
        };
    }

    /** The common part of every scalar serializer: schema, identity copy, evolution by widening. */
    abstract static class ScalarSerializer<T> implements TypeSerializer<T> {

        private final TypeSchema schema;

        ScalarSerializer(Kind kind) {
            this.schema = TypeSchema.of(kind);
        }

        @Override
        public final T copy(T value) {
            return value;
        }

        @Override
        public final boolean isImmutableType() {
            return true;
        }

        @Override
        public final TypeSchema schema() {
            return schema;
        }

        @Override
        public final TypeSerializer<T> readerFor(TypeSchema writerSchema) {
            if (schema.equals(writerSchema)) {
                return this;
            }
            if (writerSchema != null && widens(writerSchema.kind(), schema.kind())) {
                return new WideningReader<>(this, forKind(writerSchema.kind()));
            }
            throw IncompatibleSchemaException.typeChanged(writerSchema, schema, IncompatibleSchemaException.FIELD_ADVICE);
        }

        /**
         * Converts a narrower number (or a char) read from old bytes to this serializer's type. Only
         * the kinds {@link ScalarSerializers#widens} lets through reach it.
         */
        T widen(Object narrower) {
            throw new IllegalStateException(schema.kind() + " is not widened from any other kind");
        }

        @Override
        public String toString() {
            return schema.kind().name();
        }
    }

    /** Reads old bytes of a narrower kind and widens them; writes and copies like the current serializer. */
    private static final class WideningReader<T> implements TypeSerializer<T> {

        private final ScalarSerializer<T> current;
        private final TypeSerializer<?> writer;

        WideningReader(ScalarSerializer<T> current, TypeSerializer<?> writer) {
            this.current = current;
            this.writer = writer;
        }

        @Override
        public void serialize(T value, DataOutput out) throws IOException {
            current.serialize(value, out);
        }

        @Override
        public T deserialize(DataInput in) throws IOException {
            return current.widen(writer.deserialize(in));
        }

        @Override
        public T copy(T value) {
            return value;
        }

        @Override
        public TypeSchema schema() {
            return current.schema();
        }

        @Override
        public TypeSerializer<T> readerFor(TypeSchema writerSchema) {
            return current.readerFor(writerSchema);
        }

        @Override
        public boolean isImmutableType() {
            return true;
        }
    }

    private static Number asNumber(Object narrower) {
        return narrower instanceof Character c ? Integer.valueOf(c) : (Number) narrower;
    }

    private static final class BooleanSerializer extends ScalarSerializer<Boolean> {
        BooleanSerializer() {
            super(Kind.BOOLEAN);
        }

        @Override
        public void serialize(Boolean value, DataOutput out) throws IOException {
            if (value == null) {
                throw WireFormat.nullValue(this);
            }
            out.writeBoolean(value);
        }

        @Override
        public Boolean deserialize(DataInput in) throws IOException {
            return in.readBoolean();
        }
    }

    private static final class ByteSerializer extends ScalarSerializer<Byte> {
        ByteSerializer() {
            super(Kind.BYTE);
        }

        @Override
        public void serialize(Byte value, DataOutput out) throws IOException {
            if (value == null) {
                throw WireFormat.nullValue(this);
            }
            out.writeByte(value);
        }

        @Override
        public Byte deserialize(DataInput in) throws IOException {
            return in.readByte();
        }
    }

    private static final class ShortSerializer extends ScalarSerializer<Short> {
        ShortSerializer() {
            super(Kind.SHORT);
        }

        @Override
        public void serialize(Short value, DataOutput out) throws IOException {
            if (value == null) {
                throw WireFormat.nullValue(this);
            }
            out.writeShort(value);
        }

        @Override
        public Short deserialize(DataInput in) throws IOException {
            return in.readShort();
        }

        @Override
        Short widen(Object narrower) {
            return asNumber(narrower).shortValue();
        }
    }

    private static final class IntSerializer extends ScalarSerializer<Integer> {
        IntSerializer() {
            super(Kind.INT);
        }

        @Override
        public void serialize(Integer value, DataOutput out) throws IOException {
            if (value == null) {
                throw WireFormat.nullValue(this);
            }
            out.writeInt(value);
        }

        @Override
        public Integer deserialize(DataInput in) throws IOException {
            return in.readInt();
        }

        @Override
        Integer widen(Object narrower) {
            return asNumber(narrower).intValue();
        }
    }

    private static final class LongSerializer extends ScalarSerializer<Long> {
        LongSerializer() {
            super(Kind.LONG);
        }

        @Override
        public void serialize(Long value, DataOutput out) throws IOException {
            if (value == null) {
                throw WireFormat.nullValue(this);
            }
            out.writeLong(value);
        }

        @Override
        public Long deserialize(DataInput in) throws IOException {
            return in.readLong();
        }

        @Override
        Long widen(Object narrower) {
            return asNumber(narrower).longValue();
        }
    }

    private static final class FloatSerializer extends ScalarSerializer<Float> {
        FloatSerializer() {
            super(Kind.FLOAT);
        }

        @Override
        public void serialize(Float value, DataOutput out) throws IOException {
            if (value == null) {
                throw WireFormat.nullValue(this);
            }
            out.writeFloat(value);
        }

        @Override
        public Float deserialize(DataInput in) throws IOException {
            return in.readFloat();
        }

        @Override
        Float widen(Object narrower) {
            return asNumber(narrower).floatValue();
        }
    }

    private static final class DoubleSerializer extends ScalarSerializer<Double> {
        DoubleSerializer() {
            super(Kind.DOUBLE);
        }

        @Override
        public void serialize(Double value, DataOutput out) throws IOException {
            if (value == null) {
                throw WireFormat.nullValue(this);
            }
            out.writeDouble(value);
        }

        @Override
        public Double deserialize(DataInput in) throws IOException {
            return in.readDouble();
        }

        @Override
        Double widen(Object narrower) {
            return asNumber(narrower).doubleValue();
        }
    }

    private static final class CharSerializer extends ScalarSerializer<Character> {
        CharSerializer() {
            super(Kind.CHAR);
        }

        @Override
        public void serialize(Character value, DataOutput out) throws IOException {
            if (value == null) {
                throw WireFormat.nullValue(this);
            }
            out.writeChar(value);
        }

        @Override
        public Character deserialize(DataInput in) throws IOException {
            return in.readChar();
        }
    }

    /** A length (variable-length integer) and the UTF-8 bytes: no 64 KB limit. */
    private static final class StringSerializer extends ScalarSerializer<String> {
        StringSerializer() {
            super(Kind.STRING);
        }

        @Override
        public void serialize(String value, DataOutput out) throws IOException {
            if (value == null) {
                throw WireFormat.nullValue(this);
            }
            WireFormat.writeString(out, value);
        }

        @Override
        public String deserialize(DataInput in) throws IOException {
            return WireFormat.readString(in);
        }
    }

    /** The two's-complement bytes of {@link BigInteger#toByteArray}, after their length. */
    private static final class BigIntegerSerializer extends ScalarSerializer<BigInteger> {
        BigIntegerSerializer() {
            super(Kind.BIG_INTEGER);
        }

        @Override
        public void serialize(BigInteger value, DataOutput out) throws IOException {
            if (value == null) {
                throw WireFormat.nullValue(this);
            }
            byte[] bytes = value.toByteArray();
            WireFormat.writeLength(out, bytes.length);
            out.write(bytes);
        }

        @Override
        public BigInteger deserialize(DataInput in) throws IOException {
            byte[] bytes = new byte[WireFormat.readLength(in)];
            in.readFully(bytes);
            return new BigInteger(bytes);
        }
    }

    /** The scale as an int, then the unscaled value as a {@link BigIntegerSerializer} writes it. */
    private static final class BigDecimalSerializer extends ScalarSerializer<BigDecimal> {
        BigDecimalSerializer() {
            super(Kind.BIG_DECIMAL);
        }

        @Override
        public void serialize(BigDecimal value, DataOutput out) throws IOException {
            if (value == null) {
                throw WireFormat.nullValue(this);
            }
            out.writeInt(value.scale());
            BIG_INTEGER.serialize(value.unscaledValue(), out);
        }

        @Override
        public BigDecimal deserialize(DataInput in) throws IOException {
            int scale = in.readInt();
            return new BigDecimal(BIG_INTEGER.deserialize(in), scale);
        }
    }

    /** Seconds since the epoch as a long, then the nanosecond of the second as an int. */
    private static final class InstantSerializer extends ScalarSerializer<Instant> {
        InstantSerializer() {
            super(Kind.INSTANT);
        }

        @Override
        public void serialize(Instant value, DataOutput out) throws IOException {
            if (value == null) {
                throw WireFormat.nullValue(this);
            }
            out.writeLong(value.getEpochSecond());
            out.writeInt(value.getNano());
        }

        @Override
        public Instant deserialize(DataInput in) throws IOException {
            long seconds = in.readLong();
            return Instant.ofEpochSecond(seconds, in.readInt());
        }
    }

    /** Days since 1970-01-01 as a long. */
    private static final class LocalDateSerializer extends ScalarSerializer<LocalDate> {
        LocalDateSerializer() {
            super(Kind.LOCAL_DATE);
        }

        @Override
        public void serialize(LocalDate value, DataOutput out) throws IOException {
            if (value == null) {
                throw WireFormat.nullValue(this);
            }
            out.writeLong(value.toEpochDay());
        }

        @Override
        public LocalDate deserialize(DataInput in) throws IOException {
            return LocalDate.ofEpochDay(in.readLong());
        }
    }

    /** The most, then the least significant 64 bits. */
    private static final class UuidSerializer extends ScalarSerializer<UUID> {
        UuidSerializer() {
            super(Kind.UUID);
        }

        @Override
        public void serialize(UUID value, DataOutput out) throws IOException {
            if (value == null) {
                throw WireFormat.nullValue(this);
            }
            out.writeLong(value.getMostSignificantBits());
            out.writeLong(value.getLeastSignificantBits());
        }

        @Override
        public UUID deserialize(DataInput in) throws IOException {
            long most = in.readLong();
            return new UUID(most, in.readLong());
        }
    }
}
