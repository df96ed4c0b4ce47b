package io.runnel.api.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.api.tuple.Tuple2;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TypeSchemaTest {

    enum Level { LOW, HIGH }

    record Inner(String label, Level level) {
    }

    record Outer(int id, Integer boxed, Inner inner, List<Inner> inners, Map<String, long[]> series,
            Tuple2<String, Object> pair, Inner[] array) {
    }

    @Test
    void schemasSurviveWritingAndReading() throws IOException {
        TypeSchema schema = Types.of(Outer.class).schema();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        schema.writeTo(new DataOutputStream(bytes));
        byte[] written = bytes.toByteArray();
        assertThat(written[0]).as("format version byte").isEqualTo((byte) TypeSchema.FORMAT_VERSION);
        TypeSchema read = TypeSchema.readFrom(new DataInputStream(new ByteArrayInputStream(written)));
        assertThat(read).isEqualTo(schema);
        assertThat(Types.of(Outer.class).readerFor(read)).isSameAs(Types.of(Outer.class));
    }

    @Test
    void avroAndCustomSchemasKeepTheirDetail() {
        String json = "{\"type\":\"record\",\"name\":\"R\",\"fields\":[]}" + " ".repeat(70_000);
        TypeSchema avro = TypeSchema.avro("R", json);
        assertThat(SerializerTesting.storedAndRestored(avro).avroSchemaJson()).isEqualTo(json);
        TypeSchema custom = TypeSchema.custom("com.example.Geo", "3");
        assertThat(SerializerTesting.storedAndRestored(custom)).isEqualTo(custom);
        assertThat(custom.toString()).isEqualTo("CUSTOM com.example.Geo format 3");
    }

    @Test
    void anUnknownFormatVersionIsRefused() {
        byte[] bytes = {9, 0, 0, 0, 0};
        assertThatThrownBy(() -> TypeSchema.readFrom(new DataInputStream(new ByteArrayInputStream(bytes))))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("version 9");
    }

    @Test
    void toStringShowsKindsClassesFieldsAndNullability() {
        TypeSchema schema = Types.of(Inner.class).schema();
        assertThat(schema.toString()).isEqualTo("RECORD " + Inner.class.getName()
                + "{label: STRING?, level: ENUM " + Level.class.getName() + "[LOW, HIGH]?}");
        assertThat(Types.INT_ARRAY.schema().toString()).isEqualTo("ARRAY<element: INT>");
        assertThat(Types.list(Types.STRING).schema().toString()).isEqualTo("LIST<element: STRING?>");
    }

    @Test
    void fieldsDescribePrimitiveAndReferenceTypes() {
        TypeSchema schema = Types.of(Outer.class).schema();
        assertThat(schema.fields()).extracting(TypeSchema.Field::name)
                .containsExactly("id", "boxed", "inner", "inners", "series", "pair", "array");
        assertThat(schema.field("id").nullable()).isFalse();
        assertThat(schema.field("boxed").nullable()).isTrue();
        assertThat(schema.field("series").schema().field("value").schema().field("element").nullable()).isFalse();
        assertThat(schema.field("missing")).isNull();
    }

    @Test
    void schemasAreImmutable() {
        TypeSchema schema = Types.of(Inner.class).schema();
        assertThatThrownBy(() -> schema.fields().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> TypeSchema.of(TypeSchema.Kind.RECORD)).isInstanceOf(IllegalArgumentException.class);
    }
}
