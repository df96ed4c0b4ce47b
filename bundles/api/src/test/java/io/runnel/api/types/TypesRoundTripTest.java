package io.runnel.api.types;

import static io.runnel.api.types.SerializerTesting.roundTrip;
import static io.runnel.api.types.SerializerTesting.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.api.tuple.Tuple2;
import io.runnel.api.tuple.Tuple3;
import io.runnel.api.tuple.Tuple5;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TypesRoundTripTest {

    enum Color { RED, GREEN, BLUE }

    enum Operation {
        PLUS { @Override int apply(int a, int b) { return a + b; } },
        TIMES { @Override int apply(int a, int b) { return a * b; } };

        abstract int apply(int a, int b);
    }

    record Address(String street, int zip) {
    }

    record Customer(String name, long id, Address address, Color favourite, List<String> tags,
            Map<String, Integer> scores, double[] history, Address[] previous) {
    }

    record Boxes(Integer count, Boolean flag, Character initial) {
    }

    /** A POJO with public fields, a getter/setter pair (including an is-getter) and a superclass. */
    public static class Base {
        public String baseName;
    }

    public static class Sensor extends Base {
        public int reading;
        public transient String cache = "not written";
        private boolean active;
        private List<Address> places = new ArrayList<>();

        public boolean isActive() {
            return active;
        }

        public void setActive(boolean active) {
            this.active = active;
        }

        public List<Address> getPlaces() {
            return places;
        }

        public void setPlaces(List<Address> places) {
            this.places = places;
        }
    }

    record Holder(Object anything, Tuple2<String, Integer> typedPair, List<Object> mixed) {
    }

    @Test
    void primitivesAndTheirBoxesRoundTrip() {
        assertThat(roundTrip(Types.BOOLEAN, true)).isTrue();
        assertThat(roundTrip(Types.BYTE, (byte) -7)).isEqualTo((byte) -7);
        assertThat(roundTrip(Types.SHORT, Short.MIN_VALUE)).isEqualTo(Short.MIN_VALUE);
        assertThat(roundTrip(Types.INT, Integer.MAX_VALUE)).isEqualTo(Integer.MAX_VALUE);
        assertThat(roundTrip(Types.LONG, Long.MIN_VALUE)).isEqualTo(Long.MIN_VALUE);
        assertThat(roundTrip(Types.FLOAT, Float.NaN)).isNaN();
        assertThat(roundTrip(Types.DOUBLE, -0.0d)).isEqualTo(-0.0d);
        assertThat(roundTrip(Types.CHAR, '\u20ac')).isEqualTo('\u20ac');
        assertThat(Types.of(int.class)).isSameAs(Types.INT);
        assertThat(Types.of(Integer.class)).isSameAs(Types.INT);
        assertThat(Types.of(double.class)).isSameAs(Types.DOUBLE);
    }

    @Test
    void stringsOfAnyLengthAndScriptRoundTrip() {
        String unicode = "Grüße, 世界, emoji \uD83D\uDE80, nul \u0000, Ω";
        String large = "x€".repeat(50_000); // 150 000 UTF-8 bytes: past writeUTF's 64 KB limit
        assertThat(roundTrip(Types.STRING, "")).isEmpty();
        assertThat(roundTrip(Types.STRING, unicode)).isEqualTo(unicode);
        assertThat(roundTrip(Types.STRING, large)).isEqualTo(large);
        // A one-byte length for short strings: the length prefix is compact.
        assertThat(write(Types.STRING, "abc")).hasSize(4);
        assertThat(Types.of(String.class)).isSameAs(Types.STRING);
    }

    @Test
    void jdkValueClassesRoundTrip() {
        BigDecimal price = new BigDecimal("-12345678901234567890.000123");
        assertThat(roundTrip(Types.of(BigDecimal.class), price)).isEqualTo(price);
        assertThat(roundTrip(Types.BIG_INTEGER, BigInteger.TWO.pow(200).negate())).isEqualTo(BigInteger.TWO.pow(200).negate());
        Instant instant = Instant.parse("2026-03-01T12:34:56.123456789Z");
        assertThat(roundTrip(Types.INSTANT, instant)).isEqualTo(instant);
        assertThat(roundTrip(Types.LOCAL_DATE, LocalDate.of(1969, 7, 20))).isEqualTo(LocalDate.of(1969, 7, 20));
        UUID id = UUID.randomUUID();
        assertThat(roundTrip(Types.of(UUID.class), id)).isEqualTo(id);
    }

    @Test
    void primitiveArraysRoundTrip() {
        assertThat(roundTrip(Types.BOOLEAN_ARRAY, new boolean[] {true, false, true})).containsExactly(true, false, true);
        byte[] bytes = new byte[100_000];
        Arrays.fill(bytes, (byte) 42);
        assertThat(roundTrip(Types.BYTE_ARRAY, bytes)).isEqualTo(bytes);
        assertThat(roundTrip(Types.SHORT_ARRAY, new short[] {1, -1})).containsExactly((short) 1, (short) -1);
        assertThat(roundTrip(Types.INT_ARRAY, new int[0])).isEmpty();
        assertThat(roundTrip(Types.LONG_ARRAY, new long[] {Long.MAX_VALUE})).containsExactly(Long.MAX_VALUE);
        assertThat(roundTrip(Types.FLOAT_ARRAY, new float[] {1.5f})).containsExactly(1.5f);
        assertThat(roundTrip(Types.DOUBLE_ARRAY, new double[] {2.5, -3})).containsExactly(2.5, -3);
        assertThat(roundTrip(Types.CHAR_ARRAY, "héllo".toCharArray())).containsExactly("héllo".toCharArray());
        assertThat(Types.of(int[].class)).isSameAs(Types.INT_ARRAY);
    }

    @Test
    void objectArraysKeepNullElementsAndNest() {
        String[] names = {"a", null, ""};
        assertThat(roundTrip(Types.of(String[].class), names)).containsExactly("a", null, "");
        int[][] grid = {{1, 2}, null, {}};
        assertThat(roundTrip(Types.of(int[][].class), grid)).isDeepEqualTo(grid);
        Address[] addresses = {new Address("Main St", 12345), null, new Address(null, 0)};
        assertThat(roundTrip(Types.of(Address[].class), addresses)).containsExactly(addresses);
    }

    @Test
    void enumsRoundTripByNameIncludingConstantsWithBodies() {
        assertThat(roundTrip(Types.of(Color.class), Color.BLUE)).isSameAs(Color.BLUE);
        TypeSerializer<Operation> operations = Types.of(Operation.class);
        assertThat(roundTrip(operations, Operation.TIMES)).isSameAs(Operation.TIMES);
        // The constant's anonymous subclass resolves to the enum's serializer.
        @SuppressWarnings("unchecked")
        TypeSerializer<Operation> viaSubclass = (TypeSerializer<Operation>) Types.of(Operation.PLUS.getClass());
        assertThat(roundTrip(viaSubclass, Operation.PLUS)).isSameAs(Operation.PLUS);
        assertThat(Types.of(Color.class).schema().enumConstants()).containsExactly("RED", "GREEN", "BLUE");
    }

    @Test
    void nestedRecordsWithCollectionsAndArraysRoundTrip() {
        Customer customer = new Customer("Ada", 7L, new Address("1 Loop Rd", 90210), Color.GREEN,
                List.of("vip", "early"), Map.of("q1", 10, "q2", 20), new double[] {1.0, 2.0},
                new Address[] {new Address("Old St", 1)});
        Customer back = roundTrip(Types.of(Customer.class), customer);
        assertThat(back).usingRecursiveComparison().isEqualTo(customer);
        assertThat(back.tags()).isInstanceOf(ArrayList.class);
    }

    @Test
    void nullFieldsOfRecordsRoundTrip() {
        Customer sparse = new Customer(null, 0L, null, null, null, null, null, null);
        assertThat(roundTrip(Types.of(Customer.class), sparse)).usingRecursiveComparison().isEqualTo(sparse);
        Boxes empty = new Boxes(null, null, null);
        assertThat(roundTrip(Types.of(Boxes.class), empty)).isEqualTo(empty);
        Boxes full = new Boxes(3, true, 'x');
        assertThat(roundTrip(Types.of(Boxes.class), full)).isEqualTo(full);
    }

    @Test
    void nullElementsOfListsAndMapsRoundTrip() {
        List<String> withNulls = new ArrayList<>(Arrays.asList("a", null, "c"));
        assertThat(roundTrip(Types.list(Types.STRING), withNulls)).containsExactly("a", null, "c");
        Map<String, Long> map = new HashMap<>();
        map.put(null, 1L);
        map.put("none", null);
        map.put("one", 1L);
        assertThat(roundTrip(Types.map(Types.STRING, Types.LONG), map)).isEqualTo(map);
    }

    @Test
    void mapsKeepTheirIterationOrder() {
        Map<String, Integer> ordered = new java.util.LinkedHashMap<>();
        for (String key : List.of("zeta", "alpha", "mid")) {
            ordered.put(key, key.length());
        }
        assertThat(roundTrip(Types.map(Types.STRING, Types.INT), ordered).keySet()).containsExactly("zeta", "alpha", "mid");
    }

    @Test
    void pojosRoundTripThroughFieldsAndAccessorsInNameOrder() {
        Sensor sensor = new Sensor();
        sensor.baseName = "base";
        sensor.reading = 42;
        sensor.cache = "changed";
        sensor.setActive(true);
        sensor.setPlaces(new ArrayList<>(List.of(new Address("x", 1))));
        TypeSerializer<Sensor> serializer = Types.of(Sensor.class);
        Sensor back = roundTrip(serializer, sensor);
        assertThat(back.baseName).isEqualTo("base");
        assertThat(back.reading).isEqualTo(42);
        assertThat(back.isActive()).isTrue();
        assertThat(back.getPlaces()).containsExactly(new Address("x", 1));
        assertThat(back.cache).as("transient fields are not written").isEqualTo("not written");
        assertThat(serializer.schema().kind()).isEqualTo(TypeSchema.Kind.POJO);
        assertThat(serializer.schema().fields()).extracting(TypeSchema.Field::name)
                .containsExactly("active", "baseName", "places", "reading");
    }

    @Test
    void nullFieldsOfPojosRoundTrip() {
        Sensor sensor = new Sensor();
        sensor.setPlaces(null);
        Sensor back = roundTrip(Types.of(Sensor.class), sensor);
        assertThat(back.baseName).isNull();
        assertThat(back.getPlaces()).isNull();
    }

    @Test
    void typedTuplesRoundTripWithNullFields() {
        TypeSerializer<Tuple2<String, Integer>> pairs = Types.tuple(Types.STRING, Types.INT);
        assertThat(roundTrip(pairs, Tuple2.of("a", 1))).isEqualTo(Tuple2.of("a", 1));
        assertThat(roundTrip(pairs, Tuple2.of(null, null))).isEqualTo(Tuple2.of(null, null));
        TypeSerializer<Tuple3<Long, Address, Color>> triples = Types.tuple(Types.LONG, Types.of(Address.class),
                Types.of(Color.class));
        Tuple3<Long, Address, Color> triple = Tuple3.of(1L, new Address("s", 2), Color.RED);
        assertThat(roundTrip(triples, triple)).isEqualTo(triple);
        assertThat(triples.schema().kind()).isEqualTo(TypeSchema.Kind.TUPLE);
    }

    @Test
    @SuppressWarnings({"rawtypes", "unchecked"})
    void tupleClassesWithoutTypesUseTheDynamicSerializer() {
        TypeSerializer<Tuple5> serializer = Types.of(Tuple5.class);
        Tuple5 tuple = Tuple5.of("s", 1, 2L, null, List.of(1.5, "mixed"));
        assertThat(roundTrip(serializer, tuple)).isEqualTo(tuple);
        assertThat(serializer.schema().fields()).allSatisfy(
                field -> assertThat(field.schema().kind()).isEqualTo(TypeSchema.Kind.DYNAMIC));
    }

    @Test
    void genericFieldsAreWrittenWithTheirRuntimeType() {
        Holder holder = new Holder(new Address("dyn", 5), Tuple2.of("k", 9),
                new ArrayList<>(Arrays.asList(1, "two", null, Color.RED, new int[] {3}, Operation.TIMES,
                        new Address[] {new Address("arr", 1)}, Map.of("k", List.of(true)), BigInteger.ONE)));
        TypeSerializer<Holder> serializer = Types.of(Holder.class);
        Holder back = roundTrip(serializer, holder);
        assertThat(back).usingRecursiveComparison().isEqualTo(holder);
        assertThat(back.mixed().get(5)).isSameAs(Operation.TIMES);
        TypeSchema schema = serializer.schema();
        assertThat(schema.field("anything").schema().kind()).isEqualTo(TypeSchema.Kind.DYNAMIC);
        assertThat(schema.field("typedPair").schema().fields()).extracting(f -> f.schema().kind())
                .containsExactly(TypeSchema.Kind.STRING, TypeSchema.Kind.INT);
    }

    @Test
    void topLevelNullsAreRefusedWithAClearMessageButTheDynamicSerializerWritesThem() {
        assertThatThrownBy(() -> write(Types.INT, null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("INT").hasMessageContaining("null");
        assertThatThrownBy(() -> write(Types.of(Address.class), null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining(Address.class.getName());
        assertThat(roundTrip(Types.dynamic(getClass().getClassLoader()), null)).isNull();
    }

    @Test
    void listsOfAnyKindAreWrittenButReadBackAsArrayLists() {
        List<Integer> linked = new LinkedList<>(List.of(3, 2, 1));
        List<Integer> back = roundTrip(Types.list(Types.INT), linked);
        assertThat(back).containsExactly(3, 2, 1).isInstanceOf(ArrayList.class);
    }

    @Test
    void recordsAndPojosSerializeTheSameWayEveryTime() {
        Address address = new Address("Same", 1);
        assertThat(write(Types.of(Address.class), address)).isEqualTo(write(Types.of(Address.class), address));
        assertThat(Objects.requireNonNull(Types.of(Address.class))).isSameAs(Types.of(Address.class));
    }
}
