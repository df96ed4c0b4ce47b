package io.runnel.api.types;

import io.runnel.api.tuple.Tuple2;
import io.runnel.api.tuple.Tuple3;
import io.runnel.api.tuple.Tuple4;
import io.runnel.api.tuple.Tuple5;
import io.runnel.api.types.internal.DynamicSerializer;
import io.runnel.api.types.internal.ListSerializer;
import io.runnel.api.types.internal.MapSerializer;
import io.runnel.api.types.internal.ObjectArraySerializer;
import io.runnel.api.types.internal.PrimitiveArraySerializers;
import io.runnel.api.types.internal.ScalarSerializers;
import io.runnel.api.types.internal.TupleSerializer;
import io.runnel.api.types.internal.TypeResolver;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Makes {@link TypeSerializer}s. The constants serve the built-in types; {@link #of(Class)} finds
 * the serializer of any supported class by looking at it once; {@link #list}, {@link #map},
 * {@link #array} and {@link #tuple} compose serializers explicitly, for instance around one you wrote
 * yourself or an Avro one.
 *
 * <p>What {@link #of(Class)} supports, and how each is written:
 * <ul>
 * <li>primitives and their boxes, {@code String} (UTF-8, no length limit), {@code BigInteger},
 *     {@code BigDecimal}, {@code Instant}, {@code LocalDate}, {@code UUID};
 * <li>enums, by constant name, so constants may be reordered or added;
 * <li>arrays of any supported type (primitive arrays without boxing);
 * <li>Java records: the components in declaration order, read back through the canonical
 *     constructor;
 * <li>POJOs: a class with a public no-argument constructor whose non-static, non-transient fields
 *     (its own and its superclasses') are each public or have a public getter and setter; the fields
 *     are written in name order;
 * <li>{@code List}/{@code Collection}/{@code ArrayList} and {@code Map}/{@code HashMap}/{@code LinkedHashMap},
 *     with element types taken from the field's generic type (read back as {@code ArrayList} and
 *     {@code LinkedHashMap});
 * <li>{@link Tuple2} to {@link Tuple5}, typed from the field's generic type;
 * <li>{@code Object}, interfaces, abstract classes and type variables: through the
 *     {@linkplain #dynamic dynamic serializer}, which writes each value's type with it.
 * </ul>
 * Anything else is refused with an {@link IllegalArgumentException} that names the class and what to
 * do. Java serialization is never used. Recursive types (a record that contains itself) are refused
 * too: pass a serializer for them.
 *
 * <p>Serializers made here are thread-safe. {@link #of(Class)} caches per class (without keeping a
 * class's bundle from being unloaded); the other factories make a new serializer per call, so keep it.
 */
public final class Types {

    public static final TypeSerializer<Boolean> BOOLEAN = ScalarSerializers.BOOLEAN;
    public static final TypeSerializer<Byte> BYTE = ScalarSerializers.BYTE;
    public static final TypeSerializer<Short> SHORT = ScalarSerializers.SHORT;
    public static final TypeSerializer<Integer> INT = ScalarSerializers.INT;
    public static final TypeSerializer<Long> LONG = ScalarSerializers.LONG;
    public static final TypeSerializer<Float> FLOAT = ScalarSerializers.FLOAT;
    public static final TypeSerializer<Double> DOUBLE = ScalarSerializers.DOUBLE;
    public static final TypeSerializer<Character> CHAR = ScalarSerializers.CHAR;
    /** A length and UTF-8 bytes; no 64 KB limit. */
    public static final TypeSerializer<String> STRING = ScalarSerializers.STRING;
    public static final TypeSerializer<BigInteger> BIG_INTEGER = ScalarSerializers.BIG_INTEGER;
    public static final TypeSerializer<BigDecimal> BIG_DECIMAL = ScalarSerializers.BIG_DECIMAL;
    public static final TypeSerializer<Instant> INSTANT = ScalarSerializers.INSTANT;
    public static final TypeSerializer<LocalDate> LOCAL_DATE = ScalarSerializers.LOCAL_DATE;
    public static final TypeSerializer<UUID> UUID = ScalarSerializers.UUID_VALUE;

    public static final TypeSerializer<boolean[]> BOOLEAN_ARRAY = PrimitiveArraySerializers.BOOLEAN_ARRAY;
    /** The length, then the bytes in one write. */
    public static final TypeSerializer<byte[]> BYTE_ARRAY = PrimitiveArraySerializers.BYTE_ARRAY;
    public static final TypeSerializer<short[]> SHORT_ARRAY = PrimitiveArraySerializers.SHORT_ARRAY;
    public static final TypeSerializer<int[]> INT_ARRAY = PrimitiveArraySerializers.INT_ARRAY;
    public static final TypeSerializer<long[]> LONG_ARRAY = PrimitiveArraySerializers.LONG_ARRAY;
    public static final TypeSerializer<float[]> FLOAT_ARRAY = PrimitiveArraySerializers.FLOAT_ARRAY;
    public static final TypeSerializer<double[]> DOUBLE_ARRAY = PrimitiveArraySerializers.DOUBLE_ARRAY;
    public static final TypeSerializer<char[]> CHAR_ARRAY = PrimitiveArraySerializers.CHAR_ARRAY;

    // A ClassValue rather than a map keyed by Class: the cached serializer lives with its class, so an
    // uninstalled bundle's classes are not kept alive by this (long-lived) API bundle.
    private static final ClassValue<TypeSerializer<?>> BY_CLASS = new ClassValue<>() {
        @Override
        protected TypeSerializer<?> computeValue(Class<?> type) {
            return new TypeResolver(TypeResolver.loaderFor(type)).resolve(type);
        }
    };

    private Types() {
    }

    /**
     * The serializer of {@code type} (see the class description for what is supported). Generic parts
     * of the type (fields declared {@code Object}, an interface or a type variable) resolve class names
     * with {@code type}'s own class loader. Cached: the first call per class does the reflection.
     *
     * @throws IllegalArgumentException if {@code type}, or the type of a field inside it, is not
     *     supported; the message names the class and how to fix it
     */
    @SuppressWarnings("unchecked")
    public static <T> TypeSerializer<T> of(Class<T> type) {
        return (TypeSerializer<T>) BY_CLASS.get(Objects.requireNonNull(type, "type"));
    }

    /**
     * Like {@link #of(Class)}, but generic parts resolve class names with {@code loader}: for a type
     * whose own loader does not see the classes its generic fields will hold, such as
     * {@code Tuple2.class} (loaded by this API bundle) holding the job's records. Not cached.
     */
    public static <T> TypeSerializer<T> of(Class<T> type, ClassLoader loader) {
        return new TypeResolver(Objects.requireNonNull(loader, "loader")).resolve(Objects.requireNonNull(type, "type"));
    }

    /**
     * A serializer for values of any supported type, each written with a one-byte type tag; classes
     * outside the built-in set are written by name and resolved on read with
     * {@code loader.loadClass(name)} (never {@code Class.forName}). Under OSGi pass the class loader of
     * the bundle whose classes the values are. Accepts null. Keep the instance: it caches the
     * serializers of the classes it has read.
     */
    public static TypeSerializer<Object> dynamic(ClassLoader loader) {
        return new DynamicSerializer(loader);
    }

    /** Lists of elements written by {@code element}; null elements are kept. Reads back {@code ArrayList}s. */
    public static <E> TypeSerializer<List<E>> list(TypeSerializer<E> element) {
        return new ListSerializer<>(Objects.requireNonNull(element, "element"));
    }

    /** Maps with keys and values written by these serializers; null keys and values are kept. Reads back {@code LinkedHashMap}s. */
    public static <K, V> TypeSerializer<Map<K, V>> map(TypeSerializer<K> key, TypeSerializer<V> value) {
        return new MapSerializer<>(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
    }

    /**
     * Arrays of {@code componentType} (a reference type) with elements written by {@code element};
     * null elements are kept. Primitive arrays have constants of their own ({@link #INT_ARRAY}, ...).
     */
    public static <E> TypeSerializer<E[]> array(Class<E> componentType, TypeSerializer<E> element) {
        return new ObjectArraySerializer<>(Objects.requireNonNull(componentType, "componentType"),
                Objects.requireNonNull(element, "element"));
    }

    /** {@link Tuple2}s with fields written by these serializers; null fields are kept. */
    public static <A, B> TypeSerializer<Tuple2<A, B>> tuple(TypeSerializer<A> f0, TypeSerializer<B> f1) {
        return new TupleSerializer<>(List.of(f0, f1));
    }

    /** {@link Tuple3}s with fields written by these serializers; null fields are kept. */
    public static <A, B, C> TypeSerializer<Tuple3<A, B, C>> tuple(TypeSerializer<A> f0, TypeSerializer<B> f1,
            TypeSerializer<C> f2) {
        return new TupleSerializer<>(List.of(f0, f1, f2));
    }

    /** {@link Tuple4}s with fields written by these serializers; null fields are kept. */
    public static <A, B, C, D> TypeSerializer<Tuple4<A, B, C, D>> tuple(TypeSerializer<A> f0, TypeSerializer<B> f1,
            TypeSerializer<C> f2, TypeSerializer<D> f3) {
        return new TupleSerializer<>(List.of(f0, f1, f2, f3));
    }

    /** {@link Tuple5}s with fields written by these serializers; null fields are kept. */
    public static <A, B, C, D, E> TypeSerializer<Tuple5<A, B, C, D, E>> tuple(TypeSerializer<A> f0,
            TypeSerializer<B> f1, TypeSerializer<C> f2, TypeSerializer<D> f3, TypeSerializer<E> f4) {
        return new TupleSerializer<>(List.of(f0, f1, f2, f3, f4));
    }
}
