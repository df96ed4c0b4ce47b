package io.runnel.types.avro;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * A specific record written by hand the way Avro's code generator would (schema in {@code SCHEMA$},
 * fields by position), so the tests need no code generation step.
 */
public class SensorReading extends SpecificRecordBase {

    public static final Schema SCHEMA$ = new Schema.Parser().parse("""
            {"type": "record", "name": "SensorReading", "namespace": "io.runnel.types.avro", "fields": [
              {"name": "id", "type": {"type": "string", "avro.java.string": "String"}},
              {"name": "value", "type": "double", "default": 0.0},
              {"name": "tags", "type": {"type": "array", "items": {"type": "string", "avro.java.string": "String"}},
               "default": []}
            ]}""");

    private String id;
    private double value;
    private java.util.List<String> tags = new java.util.ArrayList<>();

    public SensorReading() {
    }

    public SensorReading(String id, double value, java.util.List<String> tags) {
        this.id = id;
        this.value = value;
        this.tags = tags;
    }

    @Override
    public Schema getSchema() {
        return SCHEMA$;
    }

    @Override
    public Object get(int field) {
        return switch (field) {
            case 0 -> id;
            case 1 -> value;
            case 2 -> tags;
            default -> throw new IndexOutOfBoundsException("SensorReading has 3 fields, not " + (field + 1));
        };
    }

    @Override
    @SuppressWarnings("unchecked")
    public void put(int field, Object content) {
        switch (field) {
            case 0 -> id = (String) content;
            case 1 -> value = (Double) content;
            case 2 -> tags = (java.util.List<String>) content;
            default -> throw new IndexOutOfBoundsException("SensorReading has 3 fields, not " + (field + 1));
        }
    }

    public String id() {
        return id;
    }

    public double value() {
        return value;
    }

    public java.util.List<String> tags() {
        return tags;
    }
}
