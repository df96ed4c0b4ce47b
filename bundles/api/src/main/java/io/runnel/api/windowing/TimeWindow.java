package io.runnel.api.windowing;

import io.runnel.api.types.TypeSchema;
import io.runnel.api.types.TypeSerializer;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/** The records with timestamps in {@code [start, end)}. */
public final class TimeWindow extends Window {

    private final long start;
    private final long end;
    /** Windows are hash keys of window state and timers: hashed on every lookup, so computed once. */
    private final int hash;

    public TimeWindow(long start, long end) {
        if (end <= start) {
            throw new IllegalArgumentException("A time window ends after it starts, but got [" + start + ", " + end + ")");
        }
        this.start = start;
        this.end = end;
        this.hash = Long.hashCode(start) * 31 + Long.hashCode(end);
    }

    public long start() {
        return start;
    }

    /** The first millisecond after the window. */
    public long end() {
        return end;
    }

    @Override
    public long maxTimestamp() {
        return end - 1;
    }

    /** Whether the two windows overlap or touch (session windows merge then). */
    public boolean intersects(TimeWindow other) {
        return start <= other.end && end >= other.start;
    }

    /** The smallest window covering both. */
    public TimeWindow cover(TimeWindow other) {
        return new TimeWindow(Math.min(start, other.start), Math.max(end, other.end));
    }

    /** The start of the window of {@code size} (shifted by {@code offset}) that holds {@code timestamp}. */
    /** Writes a time window as its start and end; used for window state in snapshots. */
    public static TypeSerializer<TimeWindow> serializer() {
        return Serializer.INSTANCE;
    }

    private enum Serializer implements TypeSerializer<TimeWindow> {
        INSTANCE;

        private static final TypeSchema SCHEMA = TypeSchema.custom(TimeWindow.class.getName(), "1");

        @Override
        public void serialize(TimeWindow window, DataOutput out) throws IOException {
            out.writeLong(window.start);
            out.writeLong(window.end);
        }

        @Override
        public TimeWindow deserialize(DataInput in) throws IOException {
            return new TimeWindow(in.readLong(), in.readLong());
        }

        @Override
        public TimeWindow copy(TimeWindow window) {
            return window;
        }

        @Override
        public TypeSchema schema() {
            return SCHEMA;
        }

        @Override
        public boolean isImmutableType() {
            return true;
        }
    }

    public static long windowStart(long timestamp, long offset, long size) {
        return timestamp - Math.floorMod(timestamp - offset, size);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TimeWindow window && window.start == start && window.end == end;
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return "TimeWindow[" + start + ", " + end + ")";
    }
}
