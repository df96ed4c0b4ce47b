package io.runnel.api.types;

/**
 * Thrown by {@link TypeSerializer#readerFor} when bytes written under an earlier schema cannot be read
 * as the current type, for example because a field changed from {@code String} to {@code int}. The
 * message names the type, the field (as a dotted path for nested fields) and what to do. Nothing has
 * been read when it is thrown: the restore stops before any state changes.
 */
public class IncompatibleSchemaException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The advice given when a field's type changed incompatibly. */
    public static final String FIELD_ADVICE = "Change the field back to its old type; or give the field a new"
            + " name, so that the old values are skipped and the new field starts empty; or start the job without"
            + " this state.";

    private final String typeName;
    private final String fieldPath;
    private final String reason;
    private final String advice;

    /**
     * @param typeName the type whose old bytes cannot be read (class name or Avro full name)
     * @param fieldPath the field at fault as a dotted path ({@code address.zip}), or null if the type as
     *     a whole changed
     * @param reason what changed, phrased to follow "it" or "field 'x'", e.g.
     *     {@code "was written as STRING and is now INT"}
     * @param advice what the user can do about it
     */
    public IncompatibleSchemaException(String typeName, String fieldPath, String reason, String advice) {
        super(message(typeName, fieldPath, reason, advice));
        this.typeName = typeName;
        this.fieldPath = fieldPath;
        this.reason = reason;
        this.advice = advice;
    }

    /**
     * The problem "was written as X and is now Y" for a type as a whole; composite serializers add the
     * field with {@link #inField}.
     *
     * @param advice what the user can do; {@link #FIELD_ADVICE} suits a field of a record or POJO
     */
    public static IncompatibleSchemaException typeChanged(TypeSchema writerSchema, TypeSchema currentSchema,
            String advice) {
        String typeName = currentSchema.className() != null ? currentSchema.className() : shortForm(currentSchema);
        return new IncompatibleSchemaException(typeName, null,
                "was written as " + shortForm(writerSchema) + " and is now " + shortForm(currentSchema), advice);
    }

    // Kind, class and element kinds, without the fields of records: enough to see what changed.
    private static String shortForm(TypeSchema schema) {
        if (schema == null) {
            return "nothing";
        }
        StringBuilder text = new StringBuilder(schema.kind().name());
        if (schema.className() != null) {
            text.append(' ').append(schema.className());
        }
        switch (schema.kind()) {
            case ARRAY, LIST, MAP, TUPLE -> {
                text.append('<');
                for (int i = 0; i < schema.fields().size(); i++) {
                    text.append(i == 0 ? "" : ", ").append(shortForm(schema.fields().get(i).schema()));
                }
                text.append('>');
            }
            default -> {
            }
        }
        return text.toString();
    }

    private static String message(String typeName, String fieldPath, String reason, String advice) {
        StringBuilder text = new StringBuilder("Cannot read ").append(typeName)
                .append(" from state written under an earlier schema: ");
        text.append(fieldPath == null ? "it " : "field '" + fieldPath + "' ");
        text.append(reason).append('.');
        if (advice != null && !advice.isEmpty()) {
            text.append(' ').append(advice);
        }
        return text.toString();
    }

    /** The type whose old bytes cannot be read. */
    public String typeName() {
        return typeName;
    }

    /** The field at fault as a dotted path, or null if the type as a whole changed. */
    public String fieldPath() {
        return fieldPath;
    }

    /** What changed, without the type, field or advice, e.g. {@code "was written as STRING and is now INT"}. */
    public String reason() {
        return reason;
    }

    /** What the user can do about it. */
    public String advice() {
        return advice;
    }

    /**
     * The same problem seen from a containing type: the field path gains {@code fieldName} in front
     * and the type becomes {@code outerTypeName}. Composite serializers use this so that the message
     * names the outermost type and the full path to the field.
     */
    public IncompatibleSchemaException inField(String outerTypeName, String fieldName) {
        String path = fieldPath == null ? fieldName : fieldName + "." + fieldPath;
        IncompatibleSchemaException outer = new IncompatibleSchemaException(outerTypeName, path, reason, advice);
        outer.setStackTrace(getStackTrace());
        return outer;
    }
}
