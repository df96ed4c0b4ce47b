package io.runnel.types.avro.internal;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * The schema and Avro data model of a specific (generated) record class.
 *
 * @param schema the class's schema, from its {@code SCHEMA$} field
 * @param model creates records with the class's own class loader and keeps the logical-type
 *     conversions the class registers
 */
public record SpecificModel(Schema schema, SpecificData model) {

    /**
     * @throws IllegalArgumentException if {@code type} has no Avro record schema
     */
    public static SpecificModel of(Class<? extends SpecificRecord> type) {
        SpecificData generated = SpecificData.getForClass(type);
        Schema schema;
        try {
            schema = generated.getSchema(type);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Cannot read the Avro schema of " + type.getName()
                    + ": a specific record class needs a static SCHEMA$ field, as Avro's code generator writes", e);
        }
        // Avro's shared SpecificData loads record classes with Avro's own class loader (or the thread's
        // context loader), which under OSGi does not see the user's classes: use the class's loader.
        SpecificData model = new SpecificData(type.getClassLoader());
        generated.getConversions().forEach(model::addLogicalTypeConversion);
        return new SpecificModel(schema, model);
    }
}
