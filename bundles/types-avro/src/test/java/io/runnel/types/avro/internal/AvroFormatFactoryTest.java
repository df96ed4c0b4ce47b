package io.runnel.types.avro.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.api.serialization.MalformedRecordException;
import io.runnel.api.serialization.RecordDeserializer;
import io.runnel.api.serialization.RecordSerializer;
import io.runnel.types.avro.AvroRecordFormats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AvroFormatFactoryTest {

    private static final String V1 = """
            {"type": "record", "name": "Click", "namespace": "t", "fields": [{"name": "user", "type": "string"}]}""";
    private static final String V2 = """
            {"type": "record", "name": "Click", "namespace": "t", "fields": [{"name": "user", "type": "string"},
              {"name": "page", "type": "string", "default": "/"}]}""";

    @TempDir
    Path directory;

    private final AvroFormatFactory factory = new AvroFormatFactory();

    @Test
    void readsOlderWritersFromTheSchemaFilesDirectoryIntoTheSchemaFile() throws Exception {
        Files.writeString(directory.resolve("click-v1.avsc"), V1);
        Path v2File = Files.writeString(directory.resolve("click-v2.avsc"), V2);
        Schema v1 = new Schema.Parser().parse(V1);
        byte[] old = AvroRecordFormats.genericSerializer(v1).serialize(new GenericRecordBuilder(v1).set("user", "ann").build());

        Map<String, String> options = Map.of("schema-file", v2File.toString());
        factory.validateOptions(options);
        RecordDeserializer<Object> reader = factory.createDeserializer(options);
        GenericRecord click = (GenericRecord) reader.deserialize(old);

        assertThat(click.get("user").toString()).isEqualTo("ann");
        assertThat(click.get("page").toString()).isEqualTo("/");
        RecordSerializer<Object> writer = factory.createSerializer(options);
        assertThat(reader.deserialize(writer.serialize(click))).isEqualTo(click);
        assertThatThrownBy(() -> reader.deserialize(new byte[] {1, 2, 3})).isInstanceOf(MalformedRecordException.class);
    }

    @Test
    void aSeparateSchemaDirectoryHoldsTheWriterSchemas() throws Exception {
        Path readerFile = Files.writeString(directory.resolve("reader.avsc"), V2);
        Path writers = Files.createDirectories(directory.resolve("writers"));
        Files.writeString(writers.resolve("v1.avsc"), V1);
        Schema v1 = new Schema.Parser().parse(V1);
        byte[] old = AvroRecordFormats.genericSerializer(v1).serialize(new GenericRecordBuilder(v1).set("user", "bo").build());

        GenericRecord click = (GenericRecord) factory.createDeserializer(
                Map.of("schema-file", readerFile.toString(), "schema-dir", writers.toString())).deserialize(old);

        assertThat(click.get("user").toString()).isEqualTo("bo");
    }

    @Test
    void badOptionsAreRefusedNamingTheValue() throws Exception {
        Path notAvro = Files.writeString(directory.resolve("broken.avsc"), "{\"type\": \"record\"");
        Path primitive = Files.writeString(directory.resolve("string.avsc"), "\"string\"");

        assertThatThrownBy(() -> factory.validateOptions(Map.of())).hasMessageContaining("needs 'schema-file'");
        assertThatThrownBy(() -> factory.validateOptions(Map.of("schema-file", directory.resolve("none.avsc").toString())))
                .hasMessageContaining("cannot read").hasMessageContaining("none.avsc");
        assertThatThrownBy(() -> factory.validateOptions(Map.of("schema-file", notAvro.toString())))
                .hasMessageContaining("not a valid Avro schema").hasMessageContaining("broken.avsc");
        assertThatThrownBy(() -> factory.validateOptions(Map.of("schema-file", primitive.toString())))
                .hasMessageContaining("STRING schema");
        Path good = Files.writeString(directory.resolve("good.avsc.txt"), V1);
        assertThatThrownBy(() -> factory.validateOptions(Map.of("schema-file", good.toString(), "schema-dir",
                directory.resolve("missing").toString()))).hasMessageContaining("writer schemas").hasMessageContaining("missing");
        assertThatThrownBy(() -> factory.validateOptions(Map.of("schema-file", good.toString(), "schema-registry", "x")))
                .hasMessageContaining("no option 'schema-registry'");
    }

    @Test
    void theSerializerRefusesRecordsThatAreNotAvro() throws Exception {
        Path file = Files.writeString(directory.resolve("click.avsc"), V1);

        RecordSerializer<Object> writer = factory.createSerializer(Map.of("schema-file", file.toString()));

        assertThatThrownBy(() -> writer.serialize("ann")).hasMessageContaining("java.lang.String")
                .hasMessageContaining("t.Click");
        assertThat(writer.serialize(null)).isNull();
    }
}
