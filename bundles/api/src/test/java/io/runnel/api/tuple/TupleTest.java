package io.runnel.api.tuple;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TupleTest {

    @Test
    void fieldsAreReadByNameAndByPosition() {
        Tuple3<String, Integer, Long> tuple = Tuple3.of("a", 1, null);
        assertThat(tuple.f0()).isEqualTo("a");
        assertThat(tuple.arity()).isEqualTo(3);
        assertThat(List.of(tuple.get(0), tuple.get(1))).containsExactly("a", 1);
        assertThat(tuple.get(2)).isNull();
    }

    @Test
    void everyArityReportsItsFields() {
        List<Tuple> tuples = List.of(Tuple2.of(0, 1), Tuple3.of(0, 1, 2), Tuple4.of(0, 1, 2, 3), Tuple5.of(0, 1, 2, 3, 4));
        for (Tuple tuple : tuples) {
            for (int i = 0; i < tuple.arity(); i++) {
                assertThat(tuple.get(i)).isEqualTo(i);
            }
        }
    }

    @Test
    void aPositionOutsideTheTupleNamesTheFields() {
        assertThatThrownBy(() -> Tuple2.of("a", "b").get(2))
                .isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessage("A Tuple2 has fields f0 to f1, not f2");
        assertThatThrownBy(() -> Tuple5.of(1, 2, 3, 4, 5).get(-1)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void tuplesAreValuesAndWorkAsKeys() {
        assertThat(Tuple2.of("k", 1)).isEqualTo(new Tuple2<>("k", 1)).hasSameHashCodeAs(Tuple2.of("k", 1));
        assertThat(Tuple2.of("k", 1)).isNotEqualTo(Tuple2.of("k", 2));
    }
}
