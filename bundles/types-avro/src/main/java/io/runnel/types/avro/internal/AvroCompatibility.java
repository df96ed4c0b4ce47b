package io.runnel.types.avro.internal;

import io.runnel.api.types.IncompatibleSchemaException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

/**
 * Asks Avro whether records written under an old schema can be read with the current one, and turns
 * a "no" into an {@link IncompatibleSchemaException} naming the field: Avro reports places as JSON
 * pointers into the reader schema ({@code /fields/1/type/fields/0/type}), which are translated to
 * field paths ({@code address.zip}).
 */
final class AvroCompatibility {

    static final String ADVICE = "Make the Avro schema change compatible (give added fields a default, keep the"
            + " types of existing fields or change them only as Avro promotes them, keep enum symbols, add aliases"
            + " for renamed records and fields), or start the job without this state.";

    private AvroCompatibility() {
    }

    /**
     * @throws IncompatibleSchemaException if Avro cannot resolve {@code writer} into {@code reader}
     */
    static void check(Schema reader, Schema writer) {
        SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        if (result.getType() == SchemaCompatibilityType.COMPATIBLE) {
            return;
        }
        List<Incompatibility> problems = result.getResult().getIncompatibilities();
        if (problems.isEmpty()) {
            throw new IncompatibleSchemaException(reader.getFullName(), null,
                    "cannot be read by Avro from the stored schema (" + result.getDescription() + ")", ADVICE);
        }
        String firstPath = null;
        List<String> reasons = new ArrayList<>();
        for (Incompatibility problem : problems) {
            String path = fieldPath(reader, problem.getLocation());
            if (firstPath == null) {
                firstPath = path;
                reasons.add(describe(problem));
            } else {
                reasons.add((path == null ? "the record " : "field '" + path + "' ") + describe(problem));
            }
        }
        throw new IncompatibleSchemaException(reader.getFullName(), firstPath, String.join("; and ", reasons), ADVICE);
    }

    /** What went wrong, phrased to follow "field 'x'". */
    private static String describe(Incompatibility problem) {
        return switch (problem.getType()) {
            case TYPE_MISMATCH -> "was written as " + problem.getWriterFragment().getType() + " and is now "
                    + problem.getReaderFragment().getType() + ", which Avro does not promote";
            case READER_FIELD_MISSING_DEFAULT_VALUE ->
                    "was added without a default value, so records written before have nothing to fill it with";
            case MISSING_ENUM_SYMBOLS -> "has lost enum symbols the stored records may hold (" + problem.getMessage() + ")";
            case NAME_MISMATCH -> "has a new name (" + problem.getMessage() + "); add the old name as an alias";
            default -> "cannot be read from the stored schema (" + problem.getType() + ": " + problem.getMessage() + ")";
        };
    }

    /**
     * The dotted field path of a location such as {@code /fields/1/type/fields/0/type}, walking the
     * reader schema; null for the record itself. Array elements and map values show as
     * {@code element} and {@code value}, as in Runnel's own schemas.
     */
    static String fieldPath(Schema reader, String location) {
        if (location == null) {
            return null;
        }
        List<String> names = new ArrayList<>();
        try {
            walk(reader, location.split("/"), names);
        } catch (RuntimeException e) {
            // A location this code does not understand: report the path as far as it got.
        }
        return names.isEmpty() ? null : String.join(".", names);
    }

    private static void walk(Schema reader, String[] steps, List<String> names) {
        Schema current = reader;
        for (int i = 0; i < steps.length && current != null; i++) {
            String step = steps[i];
            if (step.isEmpty() || step.equals("type")) {
                continue;
            }
            switch (step) {
                case "fields" -> {
                    if (i + 1 >= steps.length || current.getType() != Schema.Type.RECORD) {
                        current = null;
                        break;
                    }
                    Schema.Field field = current.getFields().get(Integer.parseInt(steps[++i]));
                    names.add(field.name());
                    current = field.schema();
                }
                case "items" -> {
                    names.add("element");
                    current = current.getType() == Schema.Type.ARRAY ? current.getElementType() : null;
                }
                case "values" -> {
                    names.add("value");
                    current = current.getType() == Schema.Type.MAP ? current.getValueType() : null;
                }
                default -> {
                    // A union branch is a number; "symbols", "size" and "name" end the path.
                    if (current.getType() == Schema.Type.UNION && step.chars().allMatch(Character::isDigit)) {
                        current = current.getTypes().get(Integer.parseInt(step));
                    } else {
                        current = null;
                    }
                }
            }
        }
    }
}
