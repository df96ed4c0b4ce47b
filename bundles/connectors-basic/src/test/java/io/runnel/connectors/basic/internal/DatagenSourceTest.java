package io.runnel.connectors.basic.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.api.stream.SourceDescriptor;
import io.runnel.api.stream.Sources;
import io.runnel.spi.connector.SourceReader;
import io.runnel.spi.connector.SubtaskInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DatagenSourceTest {

    private final DatagenSource source = new DatagenSource();

    @Test
    void subtasksSplitTheIndexesByStride() throws Exception {
        SourceDescriptor<Long> descriptor = Sources.generator(10, i -> i * 10);
        assertThat(readAll(descriptor, 0, 3)).containsExactly(0L, 30L, 60L, 90L);
        assertThat(readAll(descriptor, 1, 3)).containsExactly(10L, 40L, 70L);
        assertThat(readAll(descriptor, 2, 3)).containsExactly(20L, 50L, 80L);
        assertThat(source.isBounded(descriptor)).isTrue();
        assertThat(source.isBounded(Sources.generator(Long.MAX_VALUE, i -> i))).isFalse();
    }

    @Test
    void aRateLimitedGeneratorWaitsInsteadOfBlockingAndCatchesUp() throws Exception {
        long[] now = {5_000_000_000L};
        DatagenSource.Reader<Long> reader = new DatagenSource.Reader<>(i -> i, 1000, new long[] {0}, new long[] {1}, 10.0, () -> now[0]);
        List<Long> out = new ArrayList<>();
        assertThat(reader.poll(out::add)).isEqualTo(SourceReader.Status.MORE_AVAILABLE);
        assertThat(out).containsExactly(0L);
        now[0] += 50_000_000L; // 50 ms later: the next record is due at 100 ms
        assertThat(reader.poll(out::add)).isEqualTo(SourceReader.Status.NOTHING_AVAILABLE);
        now[0] += 950_000_000L; // 1 s after the start: 10 records in total are due
        reader.poll(out::add);
        assertThat(out).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
    }

    @Test
    void aMissingGeneratorIsNamed() {
        assertThatThrownBy(() -> source.validate(new SourceDescriptor<>(Sources.DATAGEN, Map.of(Sources.COUNT, 5L))))
                .hasMessageContaining("'generator'");
    }

    private List<Long> readAll(SourceDescriptor<Long> descriptor, int subtask, int parallelism) throws Exception {
        SourceReader<Long> reader = source.createReader(descriptor, new SubtaskInfo("gen", subtask, parallelism));
        List<Long> out = new ArrayList<>();
        for (int polls = 0; polls < 100 && reader.poll(out::add) != SourceReader.Status.END_OF_INPUT; polls++) {
            // bounded: a 10-record source ends within a few polls
        }
        return out;
    }

    @Test
    void splitsResumeExactlyWhereTheyStoppedAtAnyParallelism() throws Exception {
        DatagenSource source = new DatagenSource();
        SourceDescriptor<Long> descriptor = Sources.generator(10_000, i -> i);
        List<Long> seen = new ArrayList<>();
        List<byte[]> splits = new ArrayList<>();
        for (int subtask = 0; subtask < 2; subtask++) {
            SourceReader<Long> reader = source.createReader(descriptor, new SubtaskInfo("gen", subtask, 2));
            reader.poll(seen::add); // one poll: part of the share
            splits.addAll(reader.snapshotSplits(1));
        }
        assertThat(splits).hasSize(2);
        assertThat(seen).isNotEmpty().hasSizeLessThan(10_000);
        List<Long> beforeCheckpoint = new ArrayList<>(seen);

        // Resumed at parallelism 3: the first subtask gets one split, the second the other, the third none.
        for (int subtask = 0; subtask < 3; subtask++) {
            List<byte[]> mine = subtask < 2 ? List.of(splits.get(subtask)) : List.of();
            SourceReader<Long> reader = source.restoreReader(descriptor, new SubtaskInfo("gen", subtask, 3), mine);
            for (int polls = 0; polls < 100 && reader.poll(seen::add) != SourceReader.Status.END_OF_INPUT; polls++) {
                // poll until the split is done
            }
        }
        assertThat(seen).hasSize(10_000).doesNotHaveDuplicates();

        // Both splits in one reader: they take turns, and end together.
        List<Long> again = new ArrayList<>();
        SourceReader<Long> both = source.restoreReader(descriptor, new SubtaskInfo("gen", 0, 1), splits);
        for (int polls = 0; polls < 100 && both.poll(again::add) != SourceReader.Status.END_OF_INPUT; polls++) {
            // poll until both splits are done
        }
        assertThat(again).hasSize(10_000 - beforeCheckpoint.size()).doesNotHaveDuplicates()
                .doesNotContainAnyElementsOf(beforeCheckpoint);
    }
}
