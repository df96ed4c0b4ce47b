package io.runnel.api.types;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.api.tuple.Tuple2;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TypeSerializerCopyTest {

    public static class Account {
        public String owner;
        public int[] balances;
        public List<Entry> entries = new ArrayList<>();
        public Map<String, Entry> byName = new HashMap<>();
    }

    public static class Entry {
        public String text;

        public Entry() {
        }

        Entry(String text) {
            this.text = text;
        }
    }

    record Point(int x, int y) {
    }

    record Path(String name, Point[] points) {
    }

    @Test
    void copiesOfMutablePojosAreIndependentAllTheWayDown() {
        Account original = new Account();
        original.owner = "ada";
        original.balances = new int[] {1, 2};
        original.entries.add(new Entry("first"));
        original.byName.put("k", new Entry("mapped"));
        Account copy = Types.of(Account.class).copy(original);

        original.balances[0] = 99;
        original.entries.get(0).text = "changed";
        original.entries.add(new Entry("second"));
        original.byName.get("k").text = "changed too";

        assertThat(copy).isNotSameAs(original);
        assertThat(copy.owner).isEqualTo("ada");
        assertThat(copy.balances).containsExactly(1, 2);
        assertThat(copy.entries).extracting(e -> e.text).containsExactly("first");
        assertThat(copy.byName.get("k").text).isEqualTo("mapped");
    }

    @Test
    void arraysAreCopiedElementByElement() {
        int[] numbers = {1, 2, 3};
        int[] numbersCopy = Types.INT_ARRAY.copy(numbers);
        numbers[0] = 0;
        assertThat(numbersCopy).containsExactly(1, 2, 3);

        Entry[] entries = {new Entry("a"), null};
        Entry[] entriesCopy = Types.of(Entry[].class).copy(entries);
        entries[0].text = "changed";
        assertThat(entriesCopy[0].text).isEqualTo("a");
        assertThat(entriesCopy[1]).isNull();
    }

    @Test
    void immutableValuesAreNotCopied() {
        Point point = new Point(1, 2);
        assertThat(Types.of(Point.class).isImmutableType()).isTrue();
        assertThat(Types.of(Point.class).copy(point)).isSameAs(point);
        assertThat(Types.STRING.copy("s")).isSameAs("s");
        Tuple2<String, Integer> pair = Tuple2.of("a", 1);
        assertThat(Types.tuple(Types.STRING, Types.INT).copy(pair)).isSameAs(pair);
    }

    @Test
    void recordsHoldingMutableValuesAreRebuilt() {
        Path path = new Path("p", new Point[] {new Point(0, 0)});
        TypeSerializer<Path> serializer = Types.of(Path.class);
        assertThat(serializer.isImmutableType()).isFalse();
        Path copy = serializer.copy(path);
        path.points()[0] = new Point(9, 9);
        assertThat(copy.points()).containsExactly(new Point(0, 0));
    }

    @Test
    void dynamicValuesAreCopiedByTheirRuntimeType() {
        TypeSerializer<Object> dynamic = Types.dynamic(getClass().getClassLoader());
        List<Object> values = new ArrayList<>(List.of(new int[] {1}, "s"));
        Entry entry = new Entry("e");
        values.add(entry);
        @SuppressWarnings("unchecked")
        List<Object> copy = (List<Object>) dynamic.copy(values);
        ((int[]) values.get(0))[0] = 5;
        entry.text = "changed";
        assertThat((int[]) copy.get(0)).containsExactly(1);
        assertThat(((Entry) copy.get(2)).text).isEqualTo("e");
        assertThat(dynamic.copy(null)).isNull();
    }
}
