package io.runnel.types.avro.internal;

import io.runnel.api.serialization.RecordDeserializer;
import io.runnel.api.serialization.RecordSerializer;
import io.runnel.spi.format.RecordFormatFactory;
import io.runnel.types.avro.AvroRecordFormats;
import io.runnel.types.avro.AvroSchemaDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.apache.avro.generic.GenericRecord;
import org.osgi.service.component.annotations.Component;

/**
 * The {@code avro} record format by name: generic records in Avro single-object encoding (see
 * {@link AvroRecordFormats}), with schemas from files, so a job can read and write Avro through a
 * connector without Java code choosing a serializer.
 *
 * <p>Options: {@value #SCHEMA_FILE} (required) is an {@code .avsc} file holding the record schema that
 * serializers write with and deserializers read into; {@value #SCHEMA_DIR} (default: that file's
 * directory) holds the writer schemas a deserializer finds by fingerprint, read again when an unknown
 * fingerprint arrives. Generated (specific) record classes are a Java API matter
 * ({@link AvroRecordFormats#specificSerializer}): a name cannot reach a job bundle's classes.
 */
@Component(property = RecordFormatFactory.FORMAT + "=" + AvroFormatFactory.NAME)
public final class AvroFormatFactory implements RecordFormatFactory {

    static final String NAME = "avro";
    static final String SCHEMA_FILE = "schema-file";
    static final String SCHEMA_DIR = "schema-dir";
    private static final Set<String> OPTIONS = Set.of(SCHEMA_FILE, SCHEMA_DIR);

    @Override
    public void validateOptions(Map<String, String> options) {
        schema(options);
        writerSchemas(options);
    }

    @Override
    public RecordSerializer<Object> createSerializer(Map<String, String> options) {
        Schema schema = schema(options);
        RecordSerializer<GenericRecord> avro = AvroRecordFormats.genericSerializer(schema);
        return record -> {
            if (record == null) {
                return null;
            }
            if (!(record instanceof GenericRecord generic)) {
                throw new IllegalArgumentException("the avro format writes Avro records of " + schema.getFullName()
                        + " (GenericRecord or a generated class), but got a " + record.getClass().getName()
                        + ": map the stream to records of the schema in '" + SCHEMA_FILE + "' before the sink");
            }
            return avro.serialize(generic);
        };
    }

    @Override
    public RecordDeserializer<Object> createDeserializer(Map<String, String> options) {
        RecordDeserializer<GenericRecord> avro = AvroRecordFormats.genericDeserializer(schema(options), writerSchemas(options));
        return avro::deserialize;
    }

    /** The schema of {@value #SCHEMA_FILE}, which must be a record schema. */
    private static Schema schema(Map<String, String> options) {
        for (String key : options.keySet()) {
            if (!OPTIONS.contains(key)) {
                throw new IllegalArgumentException("the avro format has no option '" + key + "'; its options are "
                        + new TreeSet<>(OPTIONS));
            }
        }
        String file = options.get(SCHEMA_FILE);
        if (file == null || file.isBlank()) {
            throw new IllegalArgumentException("the avro format needs '" + SCHEMA_FILE
                    + "': the .avsc file of the record schema to write with or read into");
        }
        Path path = Path.of(file.trim());
        String text;
        try {
            text = Files.readString(path);
        } catch (IOException e) {
            throw new IllegalArgumentException("the avro format cannot read its '" + SCHEMA_FILE + "' " + path.toAbsolutePath()
                    + " (" + e + "); the file must exist on every node that runs the job", e);
        }
        Schema schema;
        try {
            schema = new Schema.Parser().parse(text);
        } catch (SchemaParseException e) {
            throw new IllegalArgumentException("the avro format's '" + SCHEMA_FILE + "' " + path.toAbsolutePath()
                    + " is not a valid Avro schema: " + e.getMessage(), e);
        }
        if (schema.getType() != Schema.Type.RECORD) {
            throw new IllegalArgumentException("the avro format's '" + SCHEMA_FILE + "' " + path.toAbsolutePath()
                    + " holds a " + schema.getType() + " schema; records are written and read as Avro records, so wrap it"
                    + " in a record schema");
        }
        return schema;
    }

    /** The directory of {@value #SCHEMA_DIR}, or the schema file's own directory. */
    private static AvroSchemaDirectory writerSchemas(Map<String, String> options) {
        String dir = options.get(SCHEMA_DIR);
        Path path = dir == null || dir.isBlank()
                ? Path.of(options.get(SCHEMA_FILE).trim()).toAbsolutePath().getParent()
                : Path.of(dir.trim());
        try {
            return AvroSchemaDirectory.load(path);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the avro format's writer schemas ('" + SCHEMA_DIR + "', default the '"
                    + SCHEMA_FILE + "' directory) cannot be read: " + e.getMessage(), e);
        }
    }
}
