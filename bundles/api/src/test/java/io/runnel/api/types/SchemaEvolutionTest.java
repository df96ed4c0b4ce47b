package io.runnel.api.types;

import static io.runnel.api.types.SerializerTesting.read;
import static io.runnel.api.types.SerializerTesting.storedAndRestored;
import static io.runnel.api.types.SerializerTesting.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.api.tuple.Tuple2;
import io.runnel.api.tuple.Tuple3;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each test writes with the serializer of an "old" class, stores and restores the schema as a
 * savepoint does, and reads with the serializer of the "new" class. Classes are told apart by name
 * (V1, V2) only because Java cannot hold two versions of one class; Runnel ignores the class name
 * when matching records and POJOs, which is also what lets a renamed class keep its state.
 */
class SchemaEvolutionTest {

    /** Reads bytes written by {@code writer} with {@code reader}, through a stored schema. */
    private static <W, R> R evolve(TypeSerializer<W> writer, W value, TypeSerializer<R> reader) {
        TypeSchema stored = storedAndRestored(writer.schema());
        return read(reader.readerFor(stored), write(writer, value));
    }

    enum Status { NEW, ACTIVE, CLOSED }

    enum StatusReordered { CLOSED, ARCHIVED, NEW, ACTIVE }

    enum StatusShrunk { NEW, CLOSED }

    record PersonV1(String name, int age) {
    }

    record PersonV2(String name, int age, String email, long visits, boolean vip) {
    }

    record PersonRenamed(String name, int age) {
    }

    record PersonReordered(int age, String name) {
    }

    record PersonAgeAsText(String name, String age) {
    }

    record PersonWidened(String name, long age) {
    }

    record ScoreBoxed(Integer score) {
    }

    record ScorePrimitive(int score) {
    }

    record AddressV1(String street, String zip) {
    }

    record AddressV2(String street, int zip) {
    }

    record OrderV1(long id, AddressV1 address) {
    }

    record OrderV2(long id, AddressV2 address) {
    }

    record Line(String sku, int quantity) {
    }

    /** A record with a field of every kind, all of which a later version drops. */
    record RichV1(long id, String text, List<Line> lines, Map<String, int[]> series, Line[] lineArray,
            Object anything, Tuple2<String, Double> pair, Status status, double[] values, Integer missing,
            java.math.BigDecimal amount, java.time.Instant when) {
    }

    record RichV2(long id) {
    }

    record Tagged(Status status) {
    }

    record TaggedReordered(StatusReordered status) {
    }

    record TaggedShrunk(StatusShrunk status) {
    }

    public static class CounterV1 {
        public String name;
        public int count;
    }

    public static class CounterV2 {
        public String name;
        public long count;
        public String unit = "items";
        public List<String> labels;
    }

    @Test
    void theSameSchemaReadsWithTheSameSerializer() {
        TypeSerializer<PersonV1> serializer = Types.of(PersonV1.class);
        assertThat(serializer.readerFor(storedAndRestored(serializer.schema()))).isSameAs(serializer);
    }

    @Test
    void addedRecordFieldsStartAsNullZeroOrFalse() {
        PersonV2 person = evolve(Types.of(PersonV1.class), new PersonV1("Ada", 36), Types.of(PersonV2.class));
        assertThat(person).isEqualTo(new PersonV2("Ada", 36, null, 0L, false));
    }

    @Test
    void removedRecordFieldsAreSkipped() {
        PersonV1 person = evolve(Types.of(PersonV2.class), new PersonV2("Ada", 36, "a@b.c", 5, true),
                Types.of(PersonV1.class));
        assertThat(person).isEqualTo(new PersonV1("Ada", 36));
    }

    @Test
    void removedFieldsOfEveryKindAreSkippedExactly() throws IOException {
        RichV1 rich = new RichV1(7, "text", List.of(new Line("a", 1), new Line("b", 2)),
                Map.of("s", new int[] {1, 2, 3}), new Line[] {new Line("c", 3), null}, new Line("dyn", 4),
                Tuple2.of("p", 1.5), Status.ACTIVE, new double[] {1, 2}, null, new java.math.BigDecimal("1.25"),
                java.time.Instant.ofEpochSecond(1, 2));
        TypeSerializer<RichV1> writer = Types.of(RichV1.class);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        writer.serialize(rich, out);
        writer.serialize(new RichV1(8, null, null, null, null, null, null, null, null, 5, null, null), out);
        TypeSerializer<RichV2> reader = Types.of(RichV2.class).readerFor(storedAndRestored(writer.schema()));
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
        assertThat(reader.deserialize(in)).isEqualTo(new RichV2(7));
        assertThat(reader.deserialize(in)).isEqualTo(new RichV2(8));
        assertThat(in.available()).isZero();
    }

    @Test
    void renamedOrMovedClassesWithTheSameFieldsKeepTheirState() {
        PersonRenamed person = evolve(Types.of(PersonV1.class), new PersonV1("Ada", 36), Types.of(PersonRenamed.class));
        assertThat(person).isEqualTo(new PersonRenamed("Ada", 36));
    }

    @Test
    void fieldsAreMatchedByNameNotPosition() {
        PersonReordered person = evolve(Types.of(PersonV1.class), new PersonV1("Ada", 36),
                Types.of(PersonReordered.class));
        assertThat(person).isEqualTo(new PersonReordered(36, "Ada"));
    }

    @Test
    void aFieldWhoseTypeChangedIncompatiblyIsRefusedByName() {
        TypeSchema stored = storedAndRestored(Types.of(PersonV1.class).schema());
        assertThatThrownBy(() -> Types.of(PersonAgeAsText.class).readerFor(stored))
                .isInstanceOf(IncompatibleSchemaException.class)
                .hasMessageContaining(PersonAgeAsText.class.getName())
                .hasMessageContaining("field 'age'")
                .hasMessageContaining("INT")
                .hasMessageContaining("STRING")
                .hasMessageContaining("give the field a new name")
                .satisfies(e -> assertThat(((IncompatibleSchemaException) e).fieldPath()).isEqualTo("age"));
    }

    @Test
    void aNestedFieldIsNamedByItsPath() {
        TypeSchema stored = storedAndRestored(Types.of(OrderV1.class).schema());
        assertThatThrownBy(() -> Types.of(OrderV2.class).readerFor(stored))
                .isInstanceOf(IncompatibleSchemaException.class)
                .hasMessageContaining("Cannot read " + OrderV2.class.getName())
                .hasMessageContaining("field 'address.zip' was written as STRING and is now INT");
    }

    @Test
    void numbersWidenAsJavaWidensThem() {
        PersonWidened person = evolve(Types.of(PersonV1.class), new PersonV1("Ada", 36), Types.of(PersonWidened.class));
        assertThat(person).isEqualTo(new PersonWidened("Ada", 36L));
        assertThat(read(Types.DOUBLE.readerFor(Types.FLOAT.schema()), write(Types.FLOAT, 1.5f))).isEqualTo(1.5d);
        assertThatThrownBy(() -> Types.INT.readerFor(Types.LONG.schema()))
                .isInstanceOf(IncompatibleSchemaException.class)
                .hasMessageContaining("was written as LONG and is now INT");
    }

    @Test
    void boxedAndPrimitiveFieldsReadEachOther() {
        assertThat(evolve(Types.of(ScoreBoxed.class), new ScoreBoxed(null), Types.of(ScorePrimitive.class)))
                .as("a stored null becomes 0").isEqualTo(new ScorePrimitive(0));
        assertThat(evolve(Types.of(ScoreBoxed.class), new ScoreBoxed(4), Types.of(ScorePrimitive.class)))
                .isEqualTo(new ScorePrimitive(4));
        assertThat(evolve(Types.of(ScorePrimitive.class), new ScorePrimitive(5), Types.of(ScoreBoxed.class)))
                .isEqualTo(new ScoreBoxed(5));
    }

    @Test
    void pojoFieldsEvolveLikeRecordFieldsAndAddedOnesKeepTheirInitialValue() {
        CounterV1 old = new CounterV1();
        old.name = "clicks";
        old.count = 3;
        CounterV2 counter = evolve(Types.of(CounterV1.class), old, Types.of(CounterV2.class));
        assertThat(counter.name).isEqualTo("clicks");
        assertThat(counter.count).isEqualTo(3L);
        assertThat(counter.unit).as("the no-arg constructor's value").isEqualTo("items");
        assertThat(counter.labels).isNull();
    }

    @Test
    void aPojoCanBecomeARecord() {
        CounterV1 old = new CounterV1();
        old.name = "n";
        old.count = 2;
        record Counter(int count, String name) {
        }
        assertThat(evolve(Types.of(CounterV1.class), old, Types.of(Counter.class))).isEqualTo(new Counter(2, "n"));
    }

    @Test
    void enumConstantsMayBeReorderedAndAddedButNotRemoved() {
        assertThat(evolve(Types.of(Tagged.class), new Tagged(Status.CLOSED), Types.of(TaggedReordered.class)))
                .isEqualTo(new TaggedReordered(StatusReordered.CLOSED));
        TypeSchema stored = storedAndRestored(Types.of(Tagged.class).schema());
        assertThatThrownBy(() -> Types.of(TaggedShrunk.class).readerFor(stored))
                .isInstanceOf(IncompatibleSchemaException.class)
                .hasMessageContaining("field 'status'")
                .hasMessageContaining("[ACTIVE]")
                .hasMessageContaining("Keep the constant");
    }

    @Test
    void collectionsEvolveTheirElements() {
        TypeSerializer<List<PersonV1>> writer = Types.list(Types.of(PersonV1.class));
        List<PersonV2> people = evolve(writer, List.of(new PersonV1("a", 1)), Types.list(Types.of(PersonV2.class)));
        assertThat(people).containsExactly(new PersonV2("a", 1, null, 0, false));

        TypeSchema stored = storedAndRestored(Types.map(Types.STRING, Types.STRING).schema());
        assertThatThrownBy(() -> Types.map(Types.STRING, Types.INT).readerFor(stored))
                .isInstanceOf(IncompatibleSchemaException.class)
                .hasMessageContaining("'value'");
    }

    @Test
    void tuplesEvolveByPositionButKeepTheirArity() {
        Tuple2<String, Integer> pair = evolve(Types.tuple(Types.STRING, Types.SHORT), Tuple2.of("a", (short) 3),
                Types.tuple(Types.STRING, Types.INT));
        assertThat(pair).isEqualTo(Tuple2.of("a", 3));
        TypeSchema stored = storedAndRestored(Types.tuple(Types.STRING, Types.INT).schema());
        TypeSerializer<Tuple3<String, Integer, Long>> triples = Types.tuple(Types.STRING, Types.INT, Types.LONG);
        assertThatThrownBy(() -> triples.readerFor(stored))
                .isInstanceOf(IncompatibleSchemaException.class)
                .hasMessageContaining("number of fields");
    }

    @Test
    void aRecordIsNotReadFromSomethingElse() {
        assertThatThrownBy(() -> Types.of(PersonV1.class).readerFor(Types.STRING.schema()))
                .isInstanceOf(IncompatibleSchemaException.class)
                .hasMessageContaining("was written as STRING and is now RECORD " + PersonV1.class.getName());
    }

    @Test
    void aRemovedFieldOfACustomFormatCannotBeSkipped() {
        TypeSchema custom = TypeSchema.custom("com.example.Geo", "1");
        TypeSchema writer = TypeSchema.record("com.example.Place",
                List.of(new TypeSchema.Field("name", Types.STRING.schema(), true),
                        new TypeSchema.Field("location", custom, true)));
        record Place(String name) {
        }
        assertThatThrownBy(() -> Types.of(Place.class).readerFor(writer))
                .isInstanceOf(IncompatibleSchemaException.class)
                .hasMessageContaining("field 'location'")
                .hasMessageContaining("custom serializer");
    }

    @Test
    void evolvedReadersWriteTheCurrentFormat() {
        TypeSerializer<PersonV2> reader = Types.of(PersonV2.class).readerFor(Types.of(PersonV1.class).schema());
        assertThat(reader.schema()).isEqualTo(Types.of(PersonV2.class).schema());
        PersonV2 person = new PersonV2("b", 2, "e", 3, true);
        assertThat(write(reader, person)).isEqualTo(write(Types.of(PersonV2.class), person));
    }
}
