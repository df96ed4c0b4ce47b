package io.runnel.connectors.basic.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.api.stream.SourceDescriptor;
import io.runnel.api.stream.Sources;
import io.runnel.spi.connector.SourceReader;
import io.runnel.spi.connector.SubtaskInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class CollectionSourceTest {

    private static final SubtaskInfo ONLY = new SubtaskInfo("numbers", 0, 1);

    private final CollectionSource source = new CollectionSource();
    private final SourceDescriptor<Integer> numbers = Sources.collection(IntStream.range(0, 3000).boxed().toList());

    @Test
    void aRestoredReaderGoesOnAfterTheLastElementEmitted() throws Exception {
        SourceReader<Integer> reader = source.createReader(numbers, ONLY);
        List<Integer> before = new ArrayList<>();
        reader.poll(before::add); // one poll: 1024 of the 3000
        List<byte[]> splits = reader.snapshotSplits(1);
        assertThat(splits).hasSize(1);

        List<Integer> after = readAll(source.restoreReader(numbers, ONLY, splits));

        assertThat(before).hasSize(1024);
        List<Integer> all = new ArrayList<>(before);
        all.addAll(after);
        assertThat(all).isEqualTo(IntStream.range(0, 3000).boxed().toList());
    }

    @Test
    void aFinishedReaderKeepsItsPositionSoARestoreEmitsNothingAgain() throws Exception {
        SourceReader<Integer> reader = source.createReader(numbers, ONLY);
        assertThat(readAll(reader)).hasSize(3000);

        assertThat(readAll(source.restoreReader(numbers, ONLY, reader.snapshotSplits(2)))).isEmpty();
    }

    @Test
    void noSplitsMeanNothingWasLeftToRead() throws Exception {
        // The runtime starts a source that saved no position with createReader; an empty share is "nothing left".
        assertThat(readAll(source.restoreReader(numbers, ONLY, List.of()))).isEmpty();
    }

    @Test
    void positionsItCannotMakeSenseOfAreRefusedWithTheReason() throws Exception {
        byte[] split = source.createReader(numbers, ONLY).snapshotSplits(1).get(0);

        assertThatThrownBy(() -> source.restoreReader(numbers, ONLY, List.of(split, split)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'numbers'").hasMessageContaining("gives it 2 splits");
        assertThatThrownBy(() -> source.restoreReader(numbers, ONLY, List.of(new byte[] {1, 2, 3})))
                .hasMessageContaining("3-byte split");
        assertThatThrownBy(() -> source.restoreReader(Sources.collection(List.of(1, 2)), ONLY, List.of(split)))
                .hasMessageContaining("element 0 of 3000").hasMessageContaining("now has 2 elements");
    }

    private static List<Integer> readAll(SourceReader<Integer> reader) throws Exception {
        List<Integer> out = new ArrayList<>();
        for (int polls = 0; polls < 100 && reader.poll(out::add) != SourceReader.Status.END_OF_INPUT; polls++) {
            // a few thousand elements end within a few polls
        }
        return out;
    }
}
