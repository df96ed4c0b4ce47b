package io.runnel.runtime.internal.task;

import java.util.PriorityQueue;

/**
 * Callbacks at processing times, run on the task's own thread between records, so they never race
 * with record processing. The task runs due callbacks between batches and source polls, and parks no
 * longer than until the next one is due.
 */
public final class ProcessingTimers {

    /** A callback due at a time, in milliseconds since the epoch. */
    private record Timer(long dueMillis, long sequence, Runnable callback) implements Comparable<Timer> {
        @Override
        public int compareTo(Timer other) {
            int byTime = Long.compare(dueMillis, other.dueMillis);
            return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
        }
    }

    private final PriorityQueue<Timer> queue = new PriorityQueue<>();
    private final java.util.function.LongSupplier clock;
    private long sequence;

    /** Timers on the wall clock. */
    public ProcessingTimers() {
        this(System::currentTimeMillis);
    }

    /** Timers on a clock of the caller's (a test harness moves time by hand). */
    public ProcessingTimers(java.util.function.LongSupplier clockMillis) {
        this.clock = clockMillis;
    }

    /** The current processing time, in milliseconds since the epoch. */
    public long now() {
        return clock.getAsLong();
    }

    /** Runs {@code callback} on the task thread at or soon after {@code dueMillis}. */
    public void schedule(long dueMillis, Runnable callback) {
        queue.add(new Timer(dueMillis, sequence++, callback));
    }

    /** Runs every callback that is due, including ones scheduled by those callbacks for now. */
    public void runDue() {
        long now = now();
        Timer next;
        while ((next = queue.peek()) != null && next.dueMillis() <= now) {
            queue.poll();
            next.callback().run();
        }
    }

    /** Nanoseconds until the next callback is due (Long.MAX_VALUE if none). */
    long nanosToNext() {
        Timer next = queue.peek();
        return next == null ? Long.MAX_VALUE : Math.max(0, (next.dueMillis() - now()) * 1_000_000L);
    }
}
