package io.runnel.api.types.internal;

import io.runnel.api.tuple.Tuple;
import io.runnel.api.types.TypeSerializer;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.AccessibleObject;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Finds the serializer of a Java type by looking at it once: the built-in kinds by class, records by
 * their components, POJOs by their fields, generic parts ({@code Object}, interfaces, abstract classes,
 * type variables) through a {@link DynamicSerializer}. All reflection happens here, when a serializer
 * is made; the serializers themselves hold method handles only.
 *
 * <p>One resolver makes the serializer of one type and everything it contains; it is not
 * thread-safe and not kept afterwards. Recursive types (a record holding itself, directly or not)
 * are refused.
 */
public final class TypeResolver {

    private final ClassLoader loader;
    private final Map<Class<?>, TypeSerializer<?>> resolved = new HashMap<>();
    /** The classes being resolved, outermost first: a cycle shows as the path that closes it. */
    private final Set<Class<?>> inProgress = new LinkedHashSet<>();
    private DynamicSerializer dynamic;

    /** @param loader resolves class names in the values of generic fields (the job's class loader) */
    public TypeResolver(ClassLoader loader) {
        this.loader = loader;
    }

    /** The class loader for the generic parts of {@code type}: its own, or this bundle's for JDK classes. */
    public static ClassLoader loaderFor(Class<?> type) {
        ClassLoader own = type.getClassLoader();
        return own != null ? own : TypeResolver.class.getClassLoader();
    }

    /**
     * The serializer of {@code type}.
     *
     * @throws IllegalArgumentException if {@code type} (or a field type inside it) is not one Runnel
     *     can serialize; the message names the class and the way out
     */
    @SuppressWarnings("unchecked")
    public <T> TypeSerializer<T> resolve(Class<T> type) {
        TypeSerializer<?> known = resolved.get(type);
        if (known != null) {
            return (TypeSerializer<T>) known;
        }
        if (!inProgress.add(type)) {
            throw recursive(type);
        }
        try {
            TypeSerializer<?> made = make(type);
            resolved.put(type, made);
            return (TypeSerializer<T>) made;
        } finally {
            inProgress.remove(type);
        }
    }

    /** The serializer of a possibly generic type, as found on a field or record component. */
    TypeSerializer<?> resolveGeneric(Type type) {
        if (type instanceof Class<?> plain) {
            return resolve(plain);
        }
        if (type instanceof ParameterizedType parameterized) {
            Class<?> raw = (Class<?>) parameterized.getRawType();
            Type[] arguments = parameterized.getActualTypeArguments();
            if (isListType(raw)) {
                return new ListSerializer<>(resolveGeneric(arguments[0]));
            }
            if (isMapType(raw)) {
                return new MapSerializer<>(resolveGeneric(arguments[0]), resolveGeneric(arguments[1]));
            }
            if (tupleArity(raw) > 0) {
                List<TypeSerializer<?>> fields = new ArrayList<>(arguments.length);
                for (Type argument : arguments) {
                    fields.add(resolveGeneric(argument));
                }
                return new TupleSerializer<>(fields);
            }
            // Other generic classes: their own fields decide; type variables in them are dynamic.
            return resolve(raw);
        }
        if (type instanceof GenericArrayType array) {
            return objectArray(erasure(array.getGenericComponentType()), resolveGeneric(array.getGenericComponentType()));
        }
        if (type instanceof TypeVariable<?> || type instanceof WildcardType) {
            return dynamic();
        }
        throw new IllegalArgumentException("Cannot make a serializer for the type " + type.getTypeName()
                + ": it is not a class, a parameterized type, an array or a type variable");
    }

    private TypeSerializer<?> make(Class<?> type) {
        TypeSerializer<?> scalar = scalar(type);
        if (scalar != null) {
            return scalar;
        }
        if (type.isArray()) {
            Class<?> component = type.getComponentType();
            TypeSerializer<?> primitiveArray = PrimitiveArraySerializers.forComponent(component);
            return primitiveArray != null ? primitiveArray : objectArray(component, resolve(component));
        }
        if (Enum.class.isAssignableFrom(type) && type != Enum.class) {
            // A constant with a body is an anonymous subclass of its enum.
            return enumSerializer(type.isEnum() ? type : type.getSuperclass());
        }
        int arity = tupleArity(type);
        if (arity > 0) {
            List<TypeSerializer<?>> fields = new ArrayList<>(arity);
            for (int i = 0; i < arity; i++) {
                fields.add(dynamic());
            }
            return new TupleSerializer<>(fields);
        }
        if (isListType(type)) {
            return new ListSerializer<>(dynamic());
        }
        if (isMapType(type)) {
            return new MapSerializer<>(dynamic(), dynamic());
        }
        if (Collection.class.isAssignableFrom(type) || Map.class.isAssignableFrom(type)) {
            throw unsupported(type, List.of("it is a collection other than List and Map"),
                    "Declare the field as java.util.List or java.util.Map (read back as ArrayList and LinkedHashMap)");
        }
        if (type == Object.class || type == Tuple.class || type.isInterface() || Modifier.isAbstract(type.getModifiers())) {
            return dynamic();
        }
        if (implementsByName(type, "org.apache.avro.specific.SpecificRecord")
                || implementsByName(type, "org.apache.avro.generic.GenericContainer")) {
            throw unsupported(type, List.of("it is an Avro record"),
                    "Use io.runnel.types.avro.AvroSerializers.specific(...) or generic(...) from the"
                            + " io.runnel.types.avro bundle, which keeps Avro's schema evolution");
        }
        if (type.isRecord()) {
            return record(type);
        }
        return pojo(type);
    }

    private static TypeSerializer<?> scalar(Class<?> type) {
        if (type == boolean.class || type == Boolean.class) {
            return ScalarSerializers.BOOLEAN;
        } else if (type == byte.class || type == Byte.class) {
            return ScalarSerializers.BYTE;
        } else if (type == short.class || type == Short.class) {
            return ScalarSerializers.SHORT;
        } else if (type == int.class || type == Integer.class) {
            return ScalarSerializers.INT;
        } else if (type == long.class || type == Long.class) {
            return ScalarSerializers.LONG;
        } else if (type == float.class || type == Float.class) {
            return ScalarSerializers.FLOAT;
        } else if (type == double.class || type == Double.class) {
            return ScalarSerializers.DOUBLE;
        } else if (type == char.class || type == Character.class) {
            return ScalarSerializers.CHAR;
        } else if (type == String.class) {
            return ScalarSerializers.STRING;
        } else if (type == BigInteger.class) {
            return ScalarSerializers.BIG_INTEGER;
        } else if (type == BigDecimal.class) {
            return ScalarSerializers.BIG_DECIMAL;
        } else if (type == Instant.class) {
            return ScalarSerializers.INSTANT;
        } else if (type == LocalDate.class) {
            return ScalarSerializers.LOCAL_DATE;
        } else if (type == UUID.class) {
            return ScalarSerializers.UUID_VALUE;
        } else if (type == void.class || type == Void.class) {
            throw new IllegalArgumentException("There are no values of type void to serialize");
        }
        return null;
    }

    /** The number of fields of a tuple class ({@code Tuple2} to {@code Tuple5}), or 0 for any other class. */
    private static int tupleArity(Class<?> type) {
        for (int arity = 2; arity <= 5; arity++) {
            if (type == TupleSerializer.tupleClass(arity)) {
                return arity;
            }
        }
        return 0;
    }

    // List, Collection and ArrayList fields can hold the ArrayList the list serializer reads back.
    private static boolean isListType(Class<?> type) {
        return type == List.class || type == Collection.class || type == ArrayList.class;
    }

    // Map, HashMap and LinkedHashMap fields can hold the LinkedHashMap the map serializer reads back.
    private static boolean isMapType(Class<?> type) {
        return type == Map.class || type == HashMap.class || type == LinkedHashMap.class;
    }

    private DynamicSerializer dynamic() {
        if (dynamic == null) {
            dynamic = new DynamicSerializer(loader);
        }
        return dynamic;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static TypeSerializer<?> objectArray(Class<?> component, TypeSerializer<?> element) {
        return new ObjectArraySerializer(component, element);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static TypeSerializer<?> enumSerializer(Class<?> type) {
        return new EnumSerializer(type);
    }

    private static Class<?> erasure(Type type) {
        if (type instanceof Class<?> plain) {
            return plain;
        } else if (type instanceof ParameterizedType parameterized) {
            return (Class<?>) parameterized.getRawType();
        } else if (type instanceof GenericArrayType array) {
            return erasure(array.getGenericComponentType()).arrayType();
        } else if (type instanceof TypeVariable<?> variable) {
            return erasure(variable.getBounds()[0]);
        } else if (type instanceof WildcardType wildcard) {
            return erasure(wildcard.getUpperBounds()[0]);
        }
        return Object.class;
    }

    private static boolean implementsByName(Class<?> type, String interfaceName) {
        for (Class<?> k = type; k != null; k = k.getSuperclass()) {
            for (Class<?> implemented : k.getInterfaces()) {
                if (implemented.getName().equals(interfaceName) || implementsByName(implemented, interfaceName)) {
                    return true;
                }
            }
        }
        return false;
    }

    // ---- records

    private <T> TypeSerializer<T> record(Class<T> type) {
        RecordComponent[] components = type.getRecordComponents();
        FieldCodec[] fields = new FieldCodec[components.length];
        MethodHandle[] accessors = new MethodHandle[components.length];
        Class<?>[] parameterTypes = new Class<?>[components.length];
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        try {
            for (int i = 0; i < components.length; i++) {
                RecordComponent component = components[i];
                parameterTypes[i] = component.getType();
                fields[i] = new FieldCodec(component.getName(), component.getType(),
                        fieldSerializer(type, component.getName(), component.getGenericType()));
                Method accessor = accessible(component.getAccessor());
                accessors[i] = lookup.unreflect(accessor).asType(MethodType.methodType(Object.class, Object.class));
            }
            Constructor<T> canonical = accessible(type.getDeclaredConstructor(parameterTypes));
            MethodHandle constructor = lookup.unreflectConstructor(canonical)
                    .asType(MethodType.genericMethodType(components.length))
                    .asSpreader(Object[].class, components.length);
            return new RecordSerializer<>(type, fields, accessors, constructor, loader);
        } catch (NoSuchMethodException | IllegalAccessException e) {
            throw new IllegalArgumentException("Cannot reach the canonical constructor or accessors of record "
                    + type.getName() + ": " + e.getMessage() + ". Make the record public, or pass a TypeSerializer for"
                    + " it explicitly.", e);
        }
    }

    // ---- POJOs

    private <T> TypeSerializer<T> pojo(Class<T> type) {
        List<String> problems = new ArrayList<>();
        Constructor<T> noArgs = null;
        if (type.isMemberClass() && !Modifier.isStatic(type.getModifiers())) {
            problems.add("it is an inner class, whose instances need an enclosing instance (make it static)");
        } else {
            try {
                noArgs = type.getConstructor();
            } catch (NoSuchMethodException e) {
                problems.add("it has no public no-argument constructor");
            }
        }
        List<Field> declared = instanceFields(type, problems);
        List<PojoField> found = new ArrayList<>(declared.size());
        for (Field field : declared) {
            PojoField pojoField = pojoField(type, field, problems);
            if (pojoField != null) {
                found.add(pojoField);
            }
        }
        if (!problems.isEmpty()) {
            throw unsupported(type, problems, null);
        }
        // Name order: the order of getDeclaredFields is unspecified, the order of names is stable.
        found.sort(Comparator.comparing(PojoField::name));
        FieldCodec[] fields = new FieldCodec[found.size()];
        MethodHandle[] getters = new MethodHandle[found.size()];
        MethodHandle[] setters = new MethodHandle[found.size()];
        MethodType getterType = MethodType.methodType(Object.class, Object.class);
        MethodType setterType = MethodType.methodType(void.class, Object.class, Object.class);
        for (int i = 0; i < fields.length; i++) {
            PojoField field = found.get(i);
            fields[i] = new FieldCodec(field.name(), field.type(),
                    fieldSerializer(type, field.name(), field.genericType()));
            getters[i] = field.getter().asType(getterType);
            setters[i] = field.setter().asType(setterType);
        }
        try {
            MethodHandle constructor = MethodHandles.lookup().unreflectConstructor(accessible(noArgs))
                    .asType(MethodType.methodType(Object.class));
            return new PojoSerializer<>(type, fields, constructor, getters, setters, loader);
        } catch (IllegalAccessException e) {
            throw unsupported(type, List.of("its no-argument constructor cannot be called: " + e.getMessage()), null);
        }
    }

    /** A POJO field with the handles that read and write it. */
    private record PojoField(String name, Class<?> type, Type genericType, MethodHandle getter, MethodHandle setter) {
    }

    /** The non-static, non-transient fields of {@code type} and its superclasses. */
    private static List<Field> instanceFields(Class<?> type, List<String> problems) {
        List<Field> fields = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Class<?> k = type; k != null && k != Object.class; k = k.getSuperclass()) {
            for (Field field : k.getDeclaredFields()) {
                int modifiers = field.getModifiers();
                if (Modifier.isStatic(modifiers) || Modifier.isTransient(modifiers) || field.isSynthetic()) {
                    continue;
                }
                if (!names.add(field.getName())) {
                    problems.add("field '" + field.getName() + "' of " + k.getName()
                            + " is hidden by a field of the same name in a subclass");
                    continue;
                }
                fields.add(field);
            }
        }
        return fields;
    }

    /** The handles for one field: direct if it is public and not final, else its public getter and setter. */
    private static PojoField pojoField(Class<?> type, Field field, List<String> problems) {
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        String name = field.getName();
        int modifiers = field.getModifiers();
        try {
            if (Modifier.isPublic(modifiers) && !Modifier.isFinal(modifiers)) {
                Field reachable = accessible(field);
                return new PojoField(name, field.getType(), field.getGenericType(), lookup.unreflectGetter(reachable),
                        lookup.unreflectSetter(reachable));
            }
            String property = Character.toUpperCase(name.charAt(0)) + name.substring(1);
            Method getter = publicMethod(type, "get" + property);
            if (getter == null && (field.getType() == boolean.class || field.getType() == Boolean.class)) {
                getter = publicMethod(type, "is" + property);
            }
            Method setter = publicMethod(type, "set" + property, field.getType());
            if (getter != null && getter.getReturnType() == field.getType() && setter != null) {
                return new PojoField(name, field.getType(), field.getGenericType(),
                        lookup.unreflect(accessible(getter)), lookup.unreflect(accessible(setter)));
            }
            String access = Modifier.isPublic(modifiers) ? "is final" : "is not public";
            problems.add("field '" + name + "' " + access + " and has no public get" + property + "()/set" + property
                    + "(" + field.getType().getSimpleName() + ") pair");
            return null;
        } catch (IllegalAccessException e) {
            problems.add("field '" + name + "' cannot be reached: " + e.getMessage());
            return null;
        }
    }

    private static Method publicMethod(Class<?> type, String name, Class<?>... parameterTypes) {
        try {
            Method method = type.getMethod(name, parameterTypes);
            return Modifier.isStatic(method.getModifiers()) ? null : method;
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    /**
     * Lets the method handles reach members of classes that are not public themselves (a record nested
     * in a test, say). Runnel's bundles and the user's live in unnamed modules, where this is allowed;
     * where it is not, the lookup that follows reports the member as unreachable.
     */
    private static <A extends AccessibleObject> A accessible(A member) {
        member.trySetAccessible();
        return member;
    }

    // ---- field types and errors

    private TypeSerializer<?> fieldSerializer(Class<?> owner, String fieldName, Type fieldType) {
        try {
            return resolveGeneric(fieldType);
        } catch (IllegalArgumentException e) {
            if (e instanceof RecursiveTypeException) {
                throw e;
            }
            throw new IllegalArgumentException(e.getMessage() + " (It is the type of field '" + fieldName + "' of "
                    + owner.getName() + ".)", e);
        }
    }

    private RecursiveTypeException recursive(Class<?> type) {
        StringBuilder path = new StringBuilder();
        boolean inCycle = false;
        for (Class<?> k : inProgress) {
            inCycle |= k == type;
            if (inCycle) {
                path.append(k.getName()).append(" -> ");
            }
        }
        path.append(type.getName());
        return new RecursiveTypeException("Cannot make a serializer for " + type.getName()
                + ": it contains itself (" + path + "). Recursive types are not serialized automatically: pass a"
                + " TypeSerializer for " + type.getName() + " explicitly, or declare the recursive field as Object so"
                + " that each value is written with its class.");
    }

    /** Refused because a type contains itself; not wrapped again on its way out of nested fields. */
    private static final class RecursiveTypeException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        RecursiveTypeException(String message) {
            super(message);
        }
    }

    static IllegalArgumentException unsupported(Class<?> type, List<String> problems, String fix) {
        String way = fix != null ? fix : "Make it a Java record; or make it a POJO (a public no-argument constructor,"
                + " and every non-static, non-transient field either public or with a public getter and setter); or"
                + " pass a TypeSerializer for it explicitly";
        return new IllegalArgumentException("Cannot make a serializer for " + type.getName() + ": "
                + String.join("; ", problems) + ". " + way + ". Runnel does not fall back to Java serialization.");
    }
}
