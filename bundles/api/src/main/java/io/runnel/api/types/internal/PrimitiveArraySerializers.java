package io.runnel.api.types.internal;

import io.runnel.api.types.IncompatibleSchemaException;
import io.runnel.api.types.TypeSchema;
import io.runnel.api.types.TypeSchema.Kind;
import io.runnel.api.types.TypeSerializer;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Serializers of the eight primitive array types: the length, then the elements with the
 * {@link DataOutput} method of their type, never boxed. {@code byte[]} is written in one call.
 * {@code copy} clones. Stateless singletons.
 */
public final class PrimitiveArraySerializers {

    public static final TypeSerializer<boolean[]> BOOLEAN_ARRAY = new BooleanArraySerializer();
    public static final TypeSerializer<byte[]> BYTE_ARRAY = new ByteArraySerializer();
    public static final TypeSerializer<short[]> SHORT_ARRAY = new ShortArraySerializer();
    public static final TypeSerializer<int[]> INT_ARRAY = new IntArraySerializer();
    public static final TypeSerializer<long[]> LONG_ARRAY = new LongArraySerializer();
    public static final TypeSerializer<float[]> FLOAT_ARRAY = new FloatArraySerializer();
    public static final TypeSerializer<double[]> DOUBLE_ARRAY = new DoubleArraySerializer();
    public static final TypeSerializer<char[]> CHAR_ARRAY = new CharArraySerializer();

    private PrimitiveArraySerializers() {
    }

    /** The serializer of arrays of the primitive {@code component} type, or null if it is not primitive. */
    public static TypeSerializer<?> forComponent(Class<?> component) {
        if (component == boolean.class) {
            return BOOLEAN_ARRAY;
        } else if (component == byte.class) {
            return BYTE_ARRAY;
        } else if (component == short.class) {
            return SHORT_ARRAY;
        } else if (component == int.class) {
            return INT_ARRAY;
        } else if (component == long.class) {
            return LONG_ARRAY;
        } else if (component == float.class) {
            return FLOAT_ARRAY;
        } else if (component == double.class) {
            return DOUBLE_ARRAY;
        } else if (component == char.class) {
            return CHAR_ARRAY;
        }
        return null;
    }

    /** Schema, and evolution that accepts only the same element kind. */
    abstract static class PrimitiveArraySerializer<A> implements TypeSerializer<A> {

        private final TypeSchema schema;

        PrimitiveArraySerializer(Kind elementKind) {
            this.schema = TypeSchema.array(TypeSchema.of(elementKind), false);
        }

        @Override
        public final TypeSchema schema() {
            return schema;
        }

        @Override
        public final TypeSerializer<A> readerFor(TypeSchema writerSchema) {
            if (schema.equals(writerSchema)) {
                return this;
            }
            throw IncompatibleSchemaException.typeChanged(writerSchema, schema, IncompatibleSchemaException.FIELD_ADVICE);
        }

        @Override
        public String toString() {
            return schema.fields().get(0).schema().kind().name().toLowerCase() + "[]";
        }
    }

    private static final class BooleanArraySerializer extends PrimitiveArraySerializer<boolean[]> {
        BooleanArraySerializer() {
            super(Kind.BOOLEAN);
        }

        @Override
        public void serialize(boolean[] value, DataOutput out) throws IOException {
            if (value == null) {
                throw WireFormat.nullValue(this);
            }
            WireFormat.writeLength(out, value.length);
            for (boolean element : value) {
                out.writeBoolean(element);
            }
        }

        @Override
        public boolean[] deserialize(DataInput in) throws IOException {
            boolean[] value = new boolean[WireFormat.readLength(in)];
            for (int i = 0; i < value.length; i++) {
                value[i] = in.readBoolean();
            }
            return value;
        }

        @Override
        public boolean[] copy(boolean[] value) {
            return value == null ? null : value.clone();
        }
    }

    private static final class ByteArraySerializer extends PrimitiveArraySerializer<byte[]> {
        ByteArraySerializer() {
            super(Kind.BYTE);
        }

        @Override
        public void serialize(byte[] value, DataOutput out) throws IOException {
            if (value == null) {
                throw WireFormat.nullValue(this);
            }
            WireFormat.writeLength(out, value.length);
            out.write(value);
        }

        @Override
        public byte[] deserialize(DataInput in) throws IOException {
            byte[] value = new byte[WireFormat.readLength(in)];
            in.readFully(value);
            return value;
        }

        @Override
        public byte[] copy(byte[] value) {
            return value == null ? null : value.clone();
        }
    }

    private static final class ShortArraySerializer extends PrimitiveArraySerializer<short[]> {
        ShortArraySerializer() {
            super(Kind.SHORT);
        }

        @Override
        public void serialize(short[] value, DataOutput out) throws IOException {
            if (value == null) {
                throw WireFormat.nullValue(this);
            }
            WireFormat.writeLength(out, value.length);
            for (short element : value) {
                out.writeShort(element);
            }
        }

        @Override
        public short[] deserialize(DataInput in) throws IOException {
            short[] value = new short[WireFormat.readLength(in)];
            for (int i = 0; i < value.length; i++) {
                value[i] = in.readShort();
            }
            return value;
        }

        @Override
        public short[] copy(short[] value) {
            return value == null ? null : value.clone();
        }
    }

    private static final class IntArraySerializer extends PrimitiveArraySerializer<int[]> {
        IntArraySerializer() {
            super(Kind.INT);
        }

        @Override
        public void serialize(int[] value, DataOutput out) throws IOException {
            if (value == null) {
                throw WireFormat.nullValue(this);
            }
            WireFormat.writeLength(out, value.length);
            for (int element : value) {
                out.writeInt(element);
            }
        }

        @Override
        public int[] deserialize(DataInput in) throws IOException {
            int[] value = new int[WireFormat.readLength(in)];
            for (int i = 0; i < value.length; i++) {
                value[i] = in.readInt();
            }
            return value;
        }

        @Override
        public int[] copy(int[] value) {
            return value == null ? null : value.clone();
        }
    }

    private static final class LongArraySerializer extends PrimitiveArraySerializer<long[]> {
        LongArraySerializer() {
            super(Kind.LONG);
        }

        @Override
        public void serialize(long[] value, DataOutput out) throws IOException {
            if (value == null) {
                throw WireFormat.nullValue(this);
            }
            WireFormat.writeLength(out, value.length);
            for (long element : value) {
                out.writeLong(element);
            }
        }

        @Override
        public long[] deserialize(DataInput in) throws IOException {
            long[] value = new long[WireFormat.readLength(in)];
            for (int i = 0; i < value.length; i++) {
                value[i] = in.readLong();
            }
            return value;
        }

        @Override
        public long[] copy(long[] value) {
            return value == null ? null : value.clone();
        }
    }

    private static final class FloatArraySerializer extends PrimitiveArraySerializer<float[]> {
        FloatArraySerializer() {
            super(Kind.FLOAT);
        }

        @Override
        public void serialize(float[] value, DataOutput out) throws IOException {
            if (value == null) {
                throw WireFormat.nullValue(this);
            }
            WireFormat.writeLength(out, value.length);
            for (float element : value) {
                out.writeFloat(element);
            }
        }

        @Override
        public float[] deserialize(DataInput in) throws IOException {
            float[] value = new float[WireFormat.readLength(in)];
            for (int i = 0; i < value.length; i++) {
                value[i] = in.readFloat();
            }
            return value;
        }

        @Override
        public float[] copy(float[] value) {
            return value == null ? null : value.clone();
        }
    }

    private static final class DoubleArraySerializer extends PrimitiveArraySerializer<double[]> {
        DoubleArraySerializer() {
            super(Kind.DOUBLE);
        }

        @Override
        public void serialize(double[] value, DataOutput out) throws IOException {
            if (value == null) {
                throw WireFormat.nullValue(this);
            }
            WireFormat.writeLength(out, value.length);
            for (double element : value) {
                out.writeDouble(element);
            }
        }

        @Override
        public double[] deserialize(DataInput in) throws IOException {
            double[] value = new double[WireFormat.readLength(in)];
            for (int i = 0; i < value.length; i++) {
                value[i] = in.readDouble();
            }
            return value;
        }

        @Override
        public double[] copy(double[] value) {
            return value == null ? null : value.clone();
        }
    }

    private static final class CharArraySerializer extends PrimitiveArraySerializer<char[]> {
        CharArraySerializer() {
            super(Kind.CHAR);
        }

        @Override
        public void serialize(char[] value, DataOutput out) throws IOException {
            if (value == null) {
                throw WireFormat.nullValue(this);
            }
            WireFormat.writeLength(out, value.length);
            for (char element : value) {
                out.writeChar(element);
            }
        }

        @Override
        public char[] deserialize(DataInput in) throws IOException {
            char[] value = new char[WireFormat.readLength(in)];
            for (int i = 0; i < value.length; i++) {
                value[i] = in.readChar();
            }
            return value;
        }

        @Override
        public char[] copy(char[] value) {
            return value == null ? null : value.clone();
        }
    }
}
