package io.runnel.api.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.api.functions.GeneratorFunction;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SourcesTest {

    @SuppressWarnings("unchecked")
    private static List<Long> records(SourceDescriptor<Long> source, long from, long to) throws Exception {
        GeneratorFunction<Long> generator = (GeneratorFunction<Long>) source.parameters().get(Sources.GENERATOR);
        List<Long> records = new ArrayList<>();
        for (long i = from; i < to; i++) {
            records.add(generator.generate(i));
        }
        return records;
    }

    @Test
    void aSeededGeneratorRepeatsItselfByIndexAndDiffersBySeed() throws Exception {
        SourceDescriptor<Long> first = Sources.random(1000, 0, 42, (index, random) -> random.nextLong(1_000_000));
        SourceDescriptor<Long> again = Sources.random(1000, 0, 42, (index, random) -> random.nextLong(1_000_000));
        SourceDescriptor<Long> other = Sources.random(1000, 0, 43, (index, random) -> random.nextLong(1_000_000));

        assertThat(records(first, 0, 100)).isEqualTo(records(again, 0, 100));
        assertThat(records(first, 0, 100)).isNotEqualTo(records(other, 0, 100));
        // A record depends on its index only, not on which subtask makes it or in which order.
        List<Long> forward = records(first, 0, 100);
        List<Long> fromMiddle = records(first, 50, 100);
        assertThat(forward.subList(50, 100)).isEqualTo(fromMiddle);
        assertThat(forward).doesNotHaveDuplicates();
        assertThat(first.parameters()).containsEntry(Sources.COUNT, 1000L).containsEntry(Sources.RATE, 0L);
    }
}
