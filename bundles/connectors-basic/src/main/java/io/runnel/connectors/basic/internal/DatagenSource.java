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
        return new Reader<>(generator, count, subtask.subtaskIndex(), subtask.parallelism(),
                rate == 0 ? 0 : Math.max(1.0, (double) rate / subtask.parallelism()), System::nanoTime);
    }

    /** One subtask's share of the generated sequence. */
    static final class Reader<T> implements SourceReader<T> {
        private final GeneratorFunction<T> generator;
        private final long count;
        private final int step;
        private final double perSecond;
        private long next;
        private long emitted;
        private final java.util.function.LongSupplier clock;
        private long startNanos = -1;

        /** @param clock nanosecond time, {@code System::nanoTime} outside tests */
        Reader(GeneratorFunction<T> generator, long count, int subtaskIndex, int parallelism, double perSecond,
                java.util.function.LongSupplier clock) {
            this.clock = clock;
            this.generator = generator;
            this.count = count;
            this.step = parallelism;
            this.perSecond = perSecond;
            this.next = subtaskIndex;
        }

        @Override
        public Status poll(Collector<T> output) throws Exception {
            if (next >= count) {
                return Status.END_OF_INPUT;
            }
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
            return next >= count ? Status.END_OF_INPUT : Status.MORE_AVAILABLE;
        }
    }
}
