package io.runnel.api.types.internal;

import io.runnel.api.tuple.Tuple;
import io.runnel.api.types.IncompatibleSchemaException;
import io.runnel.api.types.TypeSchema;
import io.runnel.api.types.TypeSchema.Kind;
import io.runnel.api.types.TypeSerializer;
import io.runnel.api.types.Types;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Values whose type is only known at run time (fields declared as {@code Object}, an interface or a
 * type variable; keys the engine does not know statically). Each value starts with a one-byte type
 * tag: built-in types (null, primitives, strings, primitive arrays, JDK value classes, lists, maps,
 * tuples) need nothing more; arrays of references are written as their component class and each
 * element with its own tag; any other class is written as its name and then with
 * {@code Types.of(thatClass)}. A bare {@code new Object()} has nothing of its own to write and is
 * refused with an {@link IllegalArgumentException}.
 *
 * <p>Class names are resolved on read with {@link ClassLoader#loadClass} of the loader given at
 * construction (under OSGi: the loader of the user's bundle), never with {@code Class.forName}. The
 * serializers of classes read are cached by name. Lists read back as {@link ArrayList}, maps as
 * {@link LinkedHashMap}.
 *
 * <p>Values carry their class name but not their class's schema: evolution of a class reached only
 * through this serializer is limited to what its current serializer reads unchanged. Declare field
 * types where state must evolve.
 *
 * <p>Accepts a null at the top level (it has a tag). Thread-safe: the cache is a
 * {@link ConcurrentHashMap}.
 */
public final class DynamicSerializer implements TypeSerializer<Object> {

    private static final int NULL = 0;
    private static final int LIST = 23;
    private static final int MAP = 24;
    private static final int TUPLE = 25;
    /** Followed by a class reference (see {@link #writeClassReference}), then the value. */
    private static final int CLASS = 26;
    /** An array of references: the component class reference, the length, then each element with its own tag. */
    private static final int ARRAY = 27;

    /** Tags 1 to 22: the built-in types whose class alone says how they are written. */
    private static final TypeSerializer<?>[] BY_TAG = {
        null,
        ScalarSerializers.BOOLEAN, ScalarSerializers.BYTE, ScalarSerializers.SHORT, ScalarSerializers.INT,
        ScalarSerializers.LONG, ScalarSerializers.FLOAT, ScalarSerializers.DOUBLE, ScalarSerializers.CHAR,
        ScalarSerializers.STRING,
        PrimitiveArraySerializers.BOOLEAN_ARRAY, PrimitiveArraySerializers.BYTE_ARRAY,
        PrimitiveArraySerializers.SHORT_ARRAY, PrimitiveArraySerializers.INT_ARRAY,
        PrimitiveArraySerializers.LONG_ARRAY, PrimitiveArraySerializers.FLOAT_ARRAY,
        PrimitiveArraySerializers.DOUBLE_ARRAY, PrimitiveArraySerializers.CHAR_ARRAY,
        ScalarSerializers.BIG_INTEGER, ScalarSerializers.BIG_DECIMAL, ScalarSerializers.INSTANT,
        ScalarSerializers.LOCAL_DATE, ScalarSerializers.UUID_VALUE,
    };
    private static final Map<Class<?>, Integer> TAG_BY_CLASS = Map.ofEntries(
            Map.entry(Boolean.class, 1), Map.entry(Byte.class, 2), Map.entry(Short.class, 3),
            Map.entry(Integer.class, 4), Map.entry(Long.class, 5), Map.entry(Float.class, 6),
            Map.entry(Double.class, 7), Map.entry(Character.class, 8), Map.entry(String.class, 9),
            Map.entry(boolean[].class, 10), Map.entry(byte[].class, 11), Map.entry(short[].class, 12),
            Map.entry(int[].class, 13), Map.entry(long[].class, 14), Map.entry(float[].class, 15),
            Map.entry(double[].class, 16), Map.entry(char[].class, 17), Map.entry(BigInteger.class, 18),
            Map.entry(BigDecimal.class, 19), Map.entry(Instant.class, 20), Map.entry(LocalDate.class, 21),
            Map.entry(UUID.class, 22));
    private static final Map<String, Class<?>> PRIMITIVES = Map.of(
            "boolean", boolean.class, "byte", byte.class, "short", short.class, "int", int.class,
            "long", long.class, "float", float.class, "double", double.class, "char", char.class);
    private static final TypeSchema SCHEMA = TypeSchema.dynamic();

    private final ClassLoader loader;
    /** The classes met on read, by written name (with a suffix per array dimension). */
    private final Map<String, Class<?>> classesByName = new ConcurrentHashMap<>();

    public DynamicSerializer(ClassLoader loader) {
        if (loader == null) {
            throw new NullPointerException("The dynamic serializer needs the class loader that sees the job's"
                    + " classes (under OSGi, the loader of the job's bundle)");
        }
        this.loader = loader;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void serialize(Object value, DataOutput out) throws IOException {
        if (value == null) {
            out.writeByte(NULL);
            return;
        }
        Class<?> type = value.getClass();
        Integer tag = TAG_BY_CLASS.get(type);
        if (tag != null) {
            out.writeByte(tag);
            ((TypeSerializer<Object>) BY_TAG[tag]).serialize(value, out);
        } else if (value instanceof List<?> list) {
            out.writeByte(LIST);
            WireFormat.writeLength(out, list.size());
            for (Object element : list) {
                serialize(element, out);
            }
        } else if (value instanceof Map<?, ?> map) {
            out.writeByte(MAP);
            WireFormat.writeLength(out, map.size());
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                serialize(entry.getKey(), out);
                serialize(entry.getValue(), out);
            }
        } else if (value instanceof Tuple tuple) {
            out.writeByte(TUPLE);
            out.writeByte(tuple.arity());
            for (int i = 0; i < tuple.arity(); i++) {
                serialize(tuple.get(i), out);
            }
        } else if (value instanceof Object[] array) {
            // Each element through this serializer, so that elements of an Object[] or interface array
            // resolve with this serializer's loader rather than that of the array's component class.
            out.writeByte(ARRAY);
            writeClassReference(type.getComponentType(), out);
            WireFormat.writeLength(out, array.length);
            for (Object element : array) {
                serialize(element, out);
            }
        } else {
            Class<?> named = value instanceof Enum<?> constant ? constant.getDeclaringClass() : type;
            TypeSerializer<Object> serializer = ofValueClass(named);
            out.writeByte(CLASS);
            writeClassReference(named, out);
            serializer.serialize(value, out);
        }
    }

    @Override
    public Object deserialize(DataInput in) throws IOException {
        int tag = in.readUnsignedByte();
        if (tag == NULL) {
            return null;
        } else if (tag < BY_TAG.length) {
            return BY_TAG[tag].deserialize(in);
        }
        switch (tag) {
            case LIST -> {
                int size = WireFormat.readLength(in);
                List<Object> list = new ArrayList<>(size);
                for (int i = 0; i < size; i++) {
                    list.add(deserialize(in));
                }
                return list;
            }
            case MAP -> {
                int size = WireFormat.readLength(in);
                Map<Object, Object> map = new LinkedHashMap<>(MapSerializer.capacityFor(size));
                for (int i = 0; i < size; i++) {
                    Object key = deserialize(in);
                    map.put(key, deserialize(in));
                }
                return map;
            }
            case TUPLE -> {
                Object[] values = new Object[in.readUnsignedByte()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = deserialize(in);
                }
                try {
                    return TupleSerializer.create(values);
                } catch (IllegalArgumentException e) {
                    throw new IOException("Corrupt dynamic value: " + e.getMessage(), e);
                }
            }
            case CLASS -> {
                return ofValueClass(readClassReference(in)).deserialize(in);
            }
            case ARRAY -> {
                Class<?> component = readClassReference(in);
                Object[] array = (Object[]) Array.newInstance(component, WireFormat.readLength(in));
                for (int i = 0; i < array.length; i++) {
                    try {
                        array[i] = deserialize(in);
                    } catch (ArrayStoreException e) {
                        throw new IOException("A " + component.getName() + "[] read an element of another type: the"
                                + " data is corrupt", e);
                    }
                }
                return array;
            }
            default -> throw new IOException("Unknown type tag " + tag + " in a dynamically typed value: the data is"
                    + " corrupt, or was not written by the dynamic serializer");
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public Object copy(Object value) {
        if (value == null) {
            return null;
        }
        Integer tag = TAG_BY_CLASS.get(value.getClass());
        if (tag != null) {
            return ((TypeSerializer<Object>) BY_TAG[tag]).copy(value);
        } else if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            for (Object element : list) {
                copy.add(copy(element));
            }
            return copy;
        } else if (value instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new LinkedHashMap<>(MapSerializer.capacityFor(map.size()));
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                copy.put(copy(entry.getKey()), copy(entry.getValue()));
            }
            return copy;
        } else if (value instanceof Tuple tuple) {
            Object[] values = new Object[tuple.arity()];
            for (int i = 0; i < values.length; i++) {
                values[i] = copy(tuple.get(i));
            }
            return TupleSerializer.create(values);
        } else if (value instanceof Object[] array) {
            Object[] copy = (Object[]) Array.newInstance(array.getClass().getComponentType(), array.length);
            for (int i = 0; i < array.length; i++) {
                copy[i] = copy(array[i]);
            }
            return copy;
        } else if (value instanceof Enum<?>) {
            return value;
        }
        return ofValueClass(value.getClass()).copy(value);
    }

    /**
     * The serializer of a value's own class. {@code Types.of} answers a class it cannot look into
     * ({@code Object} itself) with a dynamic serializer, which would hand the value straight back here:
     * refused instead of recursing until the stack overflows.
     *
     * @throws IllegalArgumentException if the class has no serializer of its own
     */
    @SuppressWarnings("unchecked")
    private static TypeSerializer<Object> ofValueClass(Class<?> type) {
        TypeSerializer<?> serializer = Types.of(type);
        if (serializer instanceof DynamicSerializer) {
            throw new IllegalArgumentException("Cannot serialize a value of class " + type.getName() + ": an instance of "
                    + type.getName() + " itself has no fields and no type of its own to write. Store a value of a concrete"
                    + " type instead (a record, a POJO, an enum, a String, a boxed number, ...), or, if it is only a"
                    + " marker, keep it out of state and records and use a constant of a supported type.");
        }
        return (TypeSerializer<Object>) serializer;
    }

    @Override
    public TypeSchema schema() {
        return SCHEMA;
    }

    @Override
    public TypeSerializer<Object> readerFor(TypeSchema writerSchema) {
        if (writerSchema != null && writerSchema.kind() == Kind.DYNAMIC) {
            return this;
        }
        throw IncompatibleSchemaException.typeChanged(writerSchema, SCHEMA, IncompatibleSchemaException.FIELD_ADVICE);
    }

    private static void writeClassReference(Class<?> type, DataOutput out) throws IOException {
        out.write(CLASS_REFERENCES.get(type));
    }

    /**
     * Each class's reference as written: the number of array dimensions, then the element class name
     * (a loader resolves "com.x.Foo" but not "[Lcom.x.Foo;"). Encoded once per class rather than per
     * value, since values of job classes carry it every time, often once per record. A ClassValue
     * keeps the bytes with their class, so an uninstalled bundle's classes are not held here.
     */
    private static final ClassValue<byte[]> CLASS_REFERENCES = new ClassValue<>() {
        @Override
        protected byte[] computeValue(Class<?> type) {
            int dimensions = 0;
            Class<?> base = type;
            while (base.isArray()) {
                base = base.getComponentType();
                dimensions++;
            }
            if (dimensions > 255) {
                throw new IllegalArgumentException("Arrays of more than 255 dimensions are not supported: " + type);
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeByte(dimensions);
                WireFormat.writeString(out, base.getName());
            } catch (IOException e) {
                throw new UncheckedIOException("A stream over a byte array failed", e);
            }
            return bytes.toByteArray();
        }
    };

    private Class<?> readClassReference(DataInput in) throws IOException {
        int dimensions = in.readUnsignedByte();
        String name = WireFormat.readString(in);
        String key = dimensions == 0 ? name : name + "[]".repeat(dimensions);
        Class<?> type = classesByName.get(key);
        if (type == null) {
            type = PRIMITIVES.get(name);
            if (type == null) {
                try {
                    type = loader.loadClass(name);
                } catch (ClassNotFoundException | LinkageError e) {
                    throw new IOException("Cannot read a value of class " + name + ": class loader " + loader
                            + " does not see it. Make the class visible to the job (under OSGi: import its package"
                            + " in the job's bundle), or declare the field with its type instead of Object.", e);
                }
            }
            for (int i = 0; i < dimensions; i++) {
                type = type.arrayType();
            }
            classesByName.putIfAbsent(key, type);
        }
        return type;
    }

    @Override
    public String toString() {
        return "dynamic (classes from " + loader + ")";
    }
}
