package io.runnel.connectors.basic.internal;

import io.runnel.api.functions.Collector;
import io.runnel.api.stream.SourceDescriptor;
import io.runnel.api.stream.Sources;
import io.runnel.spi.connector.SourceProvider;
import io.runnel.spi.connector.SourceReader;
import io.runnel.spi.connector.SubtaskInfo;
import java.nio.ByteBuffer;
import java.util.List;
import org.osgi.service.component.annotations.Component;

/**
 * Emits a list's elements in order, from a single subtask.
 *
 * <p>Checkpoints: the position is one split, the index of the next element to emit together with
 * the list's size. A restored reader goes on with exactly that element. The list must be the one the
 * checkpoint was taken with; a list of another size is refused, since the position would point at
 * other elements. A finished reader keeps its split (index = size), so a restore of a finished
 * source emits nothing again.
 */
@Component(property = SourceProvider.CONNECTOR + "=" + Sources.COLLECTION)
public final class CollectionSource implements SourceProvider {

    private static final int PER_POLL = 1024;
    /** First byte of a split, so a later layout can be told apart. */
    private static final byte SPLIT_FORMAT = 1;
    private static final int SPLIT_LENGTH = 1 + Long.BYTES + Long.BYTES;

    @Override
    public void validate(SourceDescriptor<?> descriptor) {
        if (!(descriptor.parameters().get(Sources.ELEMENTS) instanceof List)) {
            throw new IllegalArgumentException("the collection source needs the parameter '" + Sources.ELEMENTS
                    + "' holding a List, but got " + descriptor.parameters().get(Sources.ELEMENTS));
        }
    }

    @Override
    public boolean isBounded(SourceDescriptor<?> descriptor) {
        return true;
    }

    @Override
    public int maxParallelism(SourceDescriptor<?> descriptor) {
        return 1;
    }

    @Override
    public <T> SourceReader<T> createReader(SourceDescriptor<T> descriptor, SubtaskInfo subtask) {
        return new Reader<>(elements(descriptor), 0);
    }

    /**
     * Continues after the last element emitted before the checkpoint. The runtime calls
     * {@link #createReader} for a source that saved no position; no splits here means the earlier
     * run's reader had nothing left (the SPI's meaning of an empty share), so nothing is emitted.
     *
     * @throws IllegalArgumentException if there are several splits, a split is not one of this
     *     source's, or the list has another size than when the checkpoint was taken
     */
    @Override
    public <T> SourceReader<T> restoreReader(SourceDescriptor<T> descriptor, SubtaskInfo subtask, List<byte[]> splits) {
        List<T> elements = elements(descriptor);
        if (splits.isEmpty()) {
            return new Reader<>(elements, elements.size());
        }
        if (splits.size() > 1) {
            throw new IllegalArgumentException("The collection source '" + subtask.operatorName()
                    + "' keeps one position (it runs as a single subtask), but the checkpoint gives it " + splits.size()
                    + " splits: the checkpoint was not taken by this source. Start the job without it, or from a "
                    + "checkpoint of this job.");
        }
        byte[] split = splits.get(0);
        if (split.length != SPLIT_LENGTH || split[0] != SPLIT_FORMAT) {
            throw new IllegalArgumentException("The collection source '" + subtask.operatorName() + "' cannot read its "
                    + "position from a " + split.length + "-byte split (format " + (split.length == 0 ? "none" : split[0])
                    + "; expected " + SPLIT_LENGTH + " bytes of format " + SPLIT_FORMAT + "): the checkpoint was not "
                    + "taken by this source or this version of it.");
        }
        ByteBuffer buffer = ByteBuffer.wrap(split, 1, SPLIT_LENGTH - 1);
        long next = buffer.getLong();
        long size = buffer.getLong();
        if (size != elements.size() || next < 0 || next > size) {
            throw new IllegalArgumentException("The collection source '" + subtask.operatorName() + "' stopped before "
                    + "element " + next + " of " + size + " at the checkpoint, but its list now has " + elements.size()
                    + " elements: restore a job built with the same list, or start it without the checkpoint.");
        }
        return new Reader<>(elements, (int) next);
    }

    @SuppressWarnings("unchecked")
    private static <T> List<T> elements(SourceDescriptor<T> descriptor) {
        return (List<T>) descriptor.parameters().get(Sources.ELEMENTS);
    }

    /** Emits the list from an index on; its split is that index. */
    static final class Reader<T> implements SourceReader<T> {
        private final List<T> elements;
        private int next;

        Reader(List<T> elements, int next) {
            this.elements = elements;
            this.next = next;
        }

        @Override
        public Status poll(Collector<T> output) {
            int end = Math.min(elements.size(), next + PER_POLL);
            while (next < end) {
                output.collect(elements.get(next++));
            }
            return next == elements.size() ? Status.END_OF_INPUT : Status.MORE_AVAILABLE;
        }

        @Override
        public List<byte[]> snapshotSplits(long checkpointId) {
            return List.of(ByteBuffer.allocate(SPLIT_LENGTH).put(SPLIT_FORMAT).putLong(next).putLong(elements.size())
                    .array());
        }
    }
}
