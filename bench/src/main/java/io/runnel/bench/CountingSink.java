package io.runnel.bench;

import io.runnel.api.stream.SinkDescriptor;
import io.runnel.spi.connector.SinkProvider;
import io.runnel.spi.connector.SinkWriter;
import io.runnel.spi.connector.SubtaskInfo;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts records per writer in a plain field (no sharing on the hot path) and adds the totals up
 * when each writer finishes. For window results it also adds up the windows' counts.
 */
final class CountingSink implements SinkProvider {

    static final String NAME = "bench-counter";

    private final AtomicLong records = new AtomicLong();
    private final AtomicLong windowCounts = new AtomicLong();

    long records() {
        return records.get();
    }

    long windowCounts() {
        return windowCounts.get();
    }

    @Override
    public <T> SinkWriter<T> createWriter(SinkDescriptor<T> descriptor, SubtaskInfo subtask) {
        return new SinkWriter<>() {
            private long seen;
            private long counted;

            @Override
            public void write(T record) {
                seen++;
                if (record instanceof Workloads.CountSum window) {
                    counted += window.count();
                }
            }

            @Override
            public void finish() {
                records.addAndGet(seen);
                windowCounts.addAndGet(counted);
            }
        };
    }
}
