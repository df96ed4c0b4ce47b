package io.runnel.connectors.basic.internal;

import io.runnel.api.functions.Collector;
import io.runnel.api.functions.GeneratorFunction;
import io.runnel.api.stream.SourceDescriptor;
import io.runnel.api.stream.Sources;
import io.runnel.spi.connector.SourceProvider;
import io.runnel.spi.connector.SourceReader;
import io.runnel.spi.connector.SubtaskInfo;
import org.osgi.service.component.annotations.Component;

/**
 * Generates {@code generator(index)} for index 0 to count-1; subtask i of P takes the indexes i, i+P,
 * i+2P, ... A rate limit is shared evenly by the subtasks and kept against the time since the first
 * poll, so a late subtask catches up instead of drifting.
 *
 * <p>Checkpoints: a subtask's share is a split (next index, step); restored at another parallelism,
 * a subtask may hold several splits and takes them in turn, so exactly the indexes not yet emitted
 * come, whatever the new parallelism.
 */
@Component(property = SourceProvider.CONNECTOR + "=" + Sources.DATAGEN)
public final class DatagenSource implements SourceProvider {

    private static final int PER_POLL = 4096;

    @Override
    public void validate(SourceDescriptor<?> descriptor) {
        if (!(descriptor.parameters().get(Sources.GENERATOR) instanceof GeneratorFunction)) {
            throw new IllegalArgumentException("the datagen source needs the parameter '" + Sources.GENERATOR
                    + "' holding a GeneratorFunction");
        }
        long count = descriptor.parameter(Sources.COUNT, Long.MAX_VALUE);
        long rate = descriptor.parameter(Sources.RATE, 0L);
        if (count < 0 || rate < 0) {
            throw new IllegalArgumentException("datagen count and rate must not be negative, but got count " + count
                    + " and rate " + rate);
        }
    }

    @Override
    public boolean isBounded(SourceDescriptor<?> descriptor) {
        return descriptor.parameter(Sources.COUNT, Long.MAX_VALUE) != Long.MAX_VALUE;
    }

    @Override
    public <T> SourceReader<T> createReader(SourceDescriptor<T> descriptor, SubtaskInfo subtask) {
        @SuppressWarnings("unchecked")
        GeneratorFunction<T> generator = (GeneratorFunction<T>) descriptor.parameters().get(Sources.GENERATOR);
        long count = descriptor.parameter(Sources.COUNT, Long.MAX_VALUE);
        long rate = descriptor.parameter(Sources.RATE, 0L);
        return new Reader<>(generator, count, new long[] {subtask.subtaskIndex()}, new long[] {subtask.parallelism()},
                rate == 0 ? 0 : Math.max(1.0, (double) rate / subtask.parallelism()), System::nanoTime);
    }

    @Override
    public <T> SourceReader<T> restoreReader(SourceDescriptor<T> descriptor, SubtaskInfo subtask, java.util.List<byte[]> splits) {
        @SuppressWarnings("unchecked")
        GeneratorFunction<T> generator = (GeneratorFunction<T>) descriptor.parameters().get(Sources.GENERATOR);
        long count = descriptor.parameter(Sources.COUNT, Long.MAX_VALUE);
        long rate = descriptor.parameter(Sources.RATE, 0L);
        long[] nexts = new long[splits.size()];
        long[] steps = new long[splits.size()];
        for (int i = 0; i < splits.size(); i++) {
            java.nio.ByteBuffer split = java.nio.ByteBuffer.wrap(splits.get(i));
            if (split.remaining() != 16) {
                throw new IllegalArgumentException("A datagen split has 16 bytes, but one has " + split.remaining()
                        + ": the checkpoint was not written by this source");
            }
            nexts[i] = split.getLong();
            steps[i] = split.getLong();
        }
        return new Reader<>(generator, count, nexts, steps,
                rate == 0 ? 0 : Math.max(1.0, (double) rate / subtask.parallelism()), System::nanoTime);
    }

    /**
     * One subtask's share of the generated sequence: splits of indexes (next, next+step, ...), taken
     * in turn, one per poll.
     */
    static final class Reader<T> implements SourceReader<T> {
        private final GeneratorFunction<T> generator;
        private final long count;
        private final long[] nexts;
        private final long[] steps;
        private final double perSecond;
        private int current;
        private long emitted;
        private final java.util.function.LongSupplier clock;
        private long startNanos = -1;

        /** @param clock nanosecond time, {@code System::nanoTime} outside tests */
        Reader(GeneratorFunction<T> generator, long count, long[] nexts, long[] steps, double perSecond,
                java.util.function.LongSupplier clock) {
            this.clock = clock;
            this.generator = generator;
            this.count = count;
            this.nexts = nexts;
            this.steps = steps;
            this.perSecond = perSecond;
        }

        @Override
        public java.util.List<byte[]> snapshotSplits(long checkpointId) {
            java.util.List<byte[]> splits = new java.util.ArrayList<>(nexts.length);
            for (int i = 0; i < nexts.length; i++) {
                if (nexts[i] < count) {
                    splits.add(java.nio.ByteBuffer.allocate(16).putLong(nexts[i]).putLong(steps[i]).array());
                }
            }
            return splits;
        }

        /** Moves to a split with indexes left; false when none has. */
        private boolean selectSplit() {
            for (int tried = 0; tried < nexts.length; tried++) {
                if (nexts[current] < count) {
                    return true;
                }
                current = current + 1 == nexts.length ? 0 : current + 1;
            }
            return false;
        }

        @Override
        public Status poll(Collector<T> output) throws Exception {
            if (!selectSplit()) {
                return Status.END_OF_INPUT;
            }
            long next = nexts[current];
            long step = steps[current];
            long allowed = PER_POLL;
            if (perSecond > 0) {
                long now = clock.getAsLong();
                if (startNanos < 0) {
                    startNanos = now;
                }
                long due = (long) ((now - startNanos) / 1e9 * perSecond) + 1;
                allowed = Math.min(PER_POLL, due - emitted);
                if (allowed <= 0) {
                    return Status.NOTHING_AVAILABLE;
                }
            }
            for (long i = 0; i < allowed && next < count; i++) {
                output.collect(generator.generate(next));
                next += step;
                emitted++;
                if (next < 0) { // passed Long.MAX_VALUE: an unbounded generator has run out of indexes
                    next = count;
                }
            }
            nexts[current] = next;
            if (nexts.length > 1) {
                current = current + 1 == nexts.length ? 0 : current + 1; // the splits take turns
            }
            return selectSplit() ? Status.MORE_AVAILABLE : Status.END_OF_INPUT;
        }
    }
}
