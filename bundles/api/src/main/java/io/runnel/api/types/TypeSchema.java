package io.runnel.api.types;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Describes the byte format a {@link TypeSerializer} writes: its kind, the class it stands for, its
 * fields in the order they are written, and (for Avro) the Avro schema. Savepoints and checkpoints
 * store it beside the bytes so that a later version of the job can read them with
 * {@link TypeSerializer#readerFor}.
 *
 * <p>Containers describe their parts as {@link Field}s: a record or POJO has one per field; an
 * {@link Kind#ARRAY} or {@link Kind#LIST} has one called {@code element}; a {@link Kind#MAP} has
 * {@code key} and {@code value}; a {@link Kind#TUPLE} has {@code f0, f1, ...}. A field's
 * {@link Field#nullable() nullable} flag says whether a presence byte precedes its value.
 *
 * <p>Equal schemas mean equal byte formats. Immutable and thread-safe.
 *
 * @param kind what sort of type this is
 * @param className the Java class (or Avro full name) the schema stands for; null for kinds that
 *     need none (primitives, strings, arrays, lists, maps, dynamic values)
 * @param fields the parts, in the order they are written; empty for kinds without parts
 * @param enumConstants the names of an {@link Kind#ENUM}'s constants, in declaration order; empty
 *     for other kinds
 * @param detail for {@link Kind#AVRO} the Avro schema JSON; for {@link Kind#CUSTOM} whatever the
 *     serializer needs to recognise its own earlier formats (a version number, say); otherwise null
 */
public record TypeSchema(Kind kind, String className, List<Field> fields, List<String> enumConstants, String detail) {

    /** The first byte {@link #writeTo} writes; {@link #readFrom} refuses any other. */
    public static final int FORMAT_VERSION = 1;

    /** Deeper schemas are refused on read: a guard against corrupt input, not a practical limit. */
    private static final int MAX_DEPTH = 64;

    /** The sorts of types Runnel serializes. New kinds are only ever added at the end. */
    public enum Kind {
        BOOLEAN, BYTE, SHORT, INT, LONG, FLOAT, DOUBLE, CHAR,
        STRING,
        BIG_INTEGER, BIG_DECIMAL, INSTANT, LOCAL_DATE, UUID,
        /** An array; one field {@code element}. Primitive arrays have a non-nullable element. */
        ARRAY,
        /** An enum written by constant name, so constants may be reordered or added. */
        ENUM,
        /** A {@code java.util.List}; one nullable field {@code element}. */
        LIST,
        /** A {@code java.util.Map}; nullable fields {@code key} and {@code value}. */
        MAP,
        /** A {@code io.runnel.api.tuple} tuple; nullable fields {@code f0, f1, ...} by position. */
        TUPLE,
        /** A Java record; its components in declaration order. */
        RECORD,
        /** A POJO; its fields in name order. */
        POJO,
        /** Any value, written with a type tag (and, for classes outside the built-in set, the class name). */
        DYNAMIC,
        /**
         * An Avro record: a 4-byte big-endian length ({@link DataOutput#writeInt}), then the Avro binary
         * encoding. The length lets containers skip a removed Avro field without Avro.
         */
        AVRO,
        /** A user's own serializer; {@link TypeSchema#detail()} carries its format version. */
        CUSTOM;

        /** Whether this kind is one of Java's eight primitive types (or its boxed form). */
        public boolean isPrimitive() {
            return ordinal() <= CHAR.ordinal();
        }
    }

    /**
     * One part of a composite schema.
     *
     * @param name the field name (record component, POJO field, {@code element}, {@code key},
     *     {@code f0}, ...)
     * @param schema how its value is written
     * @param nullable whether a presence byte ({@code 0} null, {@code 1} present) precedes the value;
     *     false only for Java primitive fields and primitive array elements
     */
    public record Field(String name, TypeSchema schema, boolean nullable) {

        public Field {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(schema, "schema");
        }

        @Override
        public String toString() {
            return name + ": " + schema + (nullable ? "?" : "");
        }
    }

    public TypeSchema {
        Objects.requireNonNull(kind, "kind");
        fields = fields == null ? List.of() : List.copyOf(fields);
        enumConstants = enumConstants == null ? List.of() : List.copyOf(enumConstants);
    }

    /** The schema of a kind without parts: a primitive, a string, or one of the other built-in values. */
    public static TypeSchema of(Kind kind) {
        switch (kind) {
            case ARRAY, ENUM, LIST, MAP, TUPLE, RECORD, POJO, AVRO, CUSTOM -> throw new IllegalArgumentException(
                    kind + " schemas have parts or a class name; use the TypeSchema factory method for " + kind);
            default -> {
                return new TypeSchema(kind, null, List.of(), List.of(), null);
            }
        }
    }

    /** An array whose elements are written with {@code element}, each after a presence byte if {@code nullableElements}. */
    public static TypeSchema array(TypeSchema element, boolean nullableElements) {
        return new TypeSchema(Kind.ARRAY, null, List.of(new Field("element", element, nullableElements)), List.of(), null);
    }

    /** A list of nullable elements. */
    public static TypeSchema list(TypeSchema element) {
        return new TypeSchema(Kind.LIST, null, List.of(new Field("element", element, true)), List.of(), null);
    }

    /** A map with nullable keys and values. */
    public static TypeSchema map(TypeSchema key, TypeSchema value) {
        return new TypeSchema(Kind.MAP, null, List.of(new Field("key", key, true), new Field("value", value, true)),
                List.of(), null);
    }

    /** A tuple class with nullable fields {@code f0, f1, ...} written with these schemas. */
    public static TypeSchema tuple(String className, List<TypeSchema> fieldSchemas) {
        List<Field> fields = new ArrayList<>(fieldSchemas.size());
        for (int i = 0; i < fieldSchemas.size(); i++) {
            fields.add(new Field("f" + i, fieldSchemas.get(i), true));
        }
        return new TypeSchema(Kind.TUPLE, className, fields, List.of(), null);
    }

    /** A Java record with these components, in declaration order. */
    public static TypeSchema record(String className, List<Field> fields) {
        return new TypeSchema(Kind.RECORD, Objects.requireNonNull(className, "className"), fields, List.of(), null);
    }

    /** A POJO with these fields, in name order. */
    public static TypeSchema pojo(String className, List<Field> fields) {
        return new TypeSchema(Kind.POJO, Objects.requireNonNull(className, "className"), fields, List.of(), null);
    }

    /** An enum with these constants. */
    public static TypeSchema enumeration(String className, List<String> constants) {
        return new TypeSchema(Kind.ENUM, Objects.requireNonNull(className, "className"), List.of(), constants, null);
    }

    /** An Avro record of the given full name and schema JSON. */
    public static TypeSchema avro(String fullName, String schemaJson) {
        return new TypeSchema(Kind.AVRO, fullName, List.of(), List.of(), Objects.requireNonNull(schemaJson, "schemaJson"));
    }

    /**
     * The schema of a user-written serializer. Change {@code formatVersion} whenever the byte format
     * changes, so that a savepoint written in the old format is not read as the new one.
     */
    public static TypeSchema custom(String className, String formatVersion) {
        return new TypeSchema(Kind.CUSTOM, Objects.requireNonNull(className, "className"), List.of(), List.of(),
                formatVersion);
    }

    /** The schema of {@link Types#dynamic}: every value carries its own type tag. */
    public static TypeSchema dynamic() {
        return new TypeSchema(Kind.DYNAMIC, null, List.of(), List.of(), null);
    }

    /** The field called {@code name}, or null if there is none. */
    public Field field(String name) {
        for (Field field : fields) {
            if (field.name().equals(name)) {
                return field;
            }
        }
        return null;
    }

    /** For {@link Kind#AVRO}: the Avro schema JSON; otherwise null. */
    public String avroSchemaJson() {
        return kind == Kind.AVRO ? detail : null;
    }

    /**
     * Writes this schema: the {@link #FORMAT_VERSION} byte, then the schema tree. Kinds are written by
     * name, so the format does not depend on the order of {@link Kind}'s constants.
     */
    public void writeTo(DataOutput out) throws IOException {
        out.writeByte(FORMAT_VERSION);
        writeTree(out);
    }

    /**
     * Reads a schema written by {@link #writeTo}.
     *
     * @throws IOException if the stream ends early, the format version is not one this version of
     *     Runnel reads, or the data is not a schema
     */
    public static TypeSchema readFrom(DataInput in) throws IOException {
        int version = in.readUnsignedByte();
        if (version != FORMAT_VERSION) {
            throw new IOException("Type schema format version " + version + " is not one this Runnel reads (it reads "
                    + FORMAT_VERSION + "); the state was written by a different Runnel version: restore it with that"
                    + " version, or with a Runnel that reads both formats");
        }
        return readTree(in, 0);
    }

    private void writeTree(DataOutput out) throws IOException {
        writeText(out, kind.name());
        writeText(out, className);
        out.writeInt(fields.size());
        for (Field field : fields) {
            writeText(out, field.name());
            out.writeBoolean(field.nullable());
            field.schema().writeTree(out);
        }
        out.writeInt(enumConstants.size());
        for (String constant : enumConstants) {
            writeText(out, constant);
        }
        writeText(out, detail);
    }

    private static TypeSchema readTree(DataInput in, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new IOException("Type schema nests deeper than " + MAX_DEPTH + " levels: the data is corrupt");
        }
        String kindName = readText(in);
        Kind kind;
        try {
            kind = Kind.valueOf(String.valueOf(kindName));
        } catch (IllegalArgumentException e) {
            throw new IOException("Unknown type schema kind '" + kindName + "': the state was written by a newer"
                    + " Runnel, or is corrupt", e);
        }
        String className = readText(in);
        int fieldCount = readCount(in, "fields");
        List<Field> fields = new ArrayList<>(Math.min(fieldCount, 64)); // no huge allocation from a corrupt count
        for (int i = 0; i < fieldCount; i++) {
            String name = readText(in);
            boolean nullable = in.readBoolean();
            if (name == null) {
                throw new IOException("A field of type schema " + kind + " " + className + " has no name: the data is corrupt");
            }
            fields.add(new Field(name, readTree(in, depth + 1), nullable));
        }
        int constantCount = readCount(in, "enum constants");
        List<String> constants = new ArrayList<>(Math.min(constantCount, 64));
        for (int i = 0; i < constantCount; i++) {
            constants.add(readText(in));
        }
        return new TypeSchema(kind, className, fields, constants, readText(in));
    }

    private static int readCount(DataInput in, String what) throws IOException {
        int count = in.readInt();
        if (count < 0) {
            throw new IOException("Negative number of " + what + " (" + count + ") in a type schema: the data is corrupt");
        }
        return count;
    }

    // Schema texts (an Avro schema JSON especially) may pass the 64 KB that writeUTF allows: write a
    // length (-1 for null) and UTF-8 bytes instead.
    private static void writeText(DataOutput out, String text) throws IOException {
        if (text == null) {
            out.writeInt(-1);
            return;
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String readText(DataInput in) throws IOException {
        int length = in.readInt();
        if (length == -1) {
            return null;
        }
        if (length < 0) {
            throw new IOException("Negative text length (" + length + ") in a type schema: the data is corrupt");
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * A one-line description, e.g. {@code RECORD com.example.Order{id: LONG, items: LIST<element: STRING?>?}};
     * a {@code ?} marks a nullable field. Avro schemas show their name only.
     */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(kind.name());
        if (className != null) {
            text.append(' ').append(className);
        }
        if (!fields.isEmpty()) {
            boolean container = kind == Kind.ARRAY || kind == Kind.LIST || kind == Kind.MAP;
            text.append(container ? '<' : '{')
                    .append(fields.stream().map(Field::toString).collect(Collectors.joining(", ")))
                    .append(container ? '>' : '}');
        }
        if (!enumConstants.isEmpty()) {
            text.append(enumConstants);
        }
        if (kind == Kind.CUSTOM && detail != null) {
            text.append(" format ").append(detail);
        }
        return text.toString();
    }
}
