package io.runnel.runtime.internal.state;

import io.runnel.api.functions.TimerService;
import io.runnel.runtime.internal.task.ProcessingTimers;
import java.util.HashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Event-time and processing-time timers of one keyed operator subtask. A timer is (time, key,
 * namespace); registering one twice keeps one. Deleted timers stay in the queue and are skipped when
 * they come up, so every operation is logarithmic.
 */
public final class KeyedTimers {

    /** A timer; fires for its key (and namespace) at its time. */
    public record Timer(long time, Object key, Object namespace) implements Comparable<Timer> {
        @Override
        public int compareTo(Timer other) {
            return Long.compare(time, other.time);
        }
    }

    /** What happens when a timer fires. */
    @FunctionalInterface
    public interface Target {
        void onTimer(Timer timer, boolean eventTime);
    }

    private final PriorityQueue<Timer> eventQueue = new PriorityQueue<>();
    private final Set<Timer> eventTimers = new HashSet<>();
    private final PriorityQueue<Timer> processingQueue = new PriorityQueue<>();
    private final Set<Timer> processingTimers = new HashSet<>();
    private final ProcessingTimers clock;
    private final Target target;
    private long scheduledProcessingTime = Long.MAX_VALUE;
    private long watermark = Long.MIN_VALUE;

    public KeyedTimers(ProcessingTimers clock, Target target) {
        this.clock = clock;
        this.target = target;
    }

    public long currentWatermark() {
        return watermark;
    }

    public long currentProcessingTime() {
        return clock.now();
    }

    public void registerEventTimer(long time, Object key, Object namespace) {
        Timer timer = new Timer(time, key, namespace);
        if (eventTimers.add(timer)) {
            eventQueue.add(timer);
        }
    }

    public void deleteEventTimer(long time, Object key, Object namespace) {
        eventTimers.remove(new Timer(time, key, namespace));
    }

    public void registerProcessingTimer(long time, Object key, Object namespace) {
        Timer timer = new Timer(time, key, namespace);
        if (processingTimers.add(timer)) {
            processingQueue.add(timer);
            if (time < scheduledProcessingTime) {
                scheduledProcessingTime = time;
                clock.schedule(time, this::fireProcessingTimers);
            }
        }
    }

    public void deleteProcessingTimer(long time, Object key, Object namespace) {
        processingTimers.remove(new Timer(time, key, namespace));
    }

    /** Fires, in time order, every event-time timer at or before {@code newWatermark}. */
    public void advanceWatermark(long newWatermark) {
        watermark = newWatermark;
        Timer next;
        while ((next = eventQueue.peek()) != null && next.time() <= newWatermark) {
            eventQueue.poll();
            if (eventTimers.remove(next)) {
                target.onTimer(next, true);
            }
        }
    }

    /**
     * The user-facing timer service: timers for the backend's current key, in the namespace
     * {@code namespace} gives at the time of the call.
     */
    public TimerService forCurrentKey(HeapKeyedStateBackend state, Supplier<Object> namespace) {
        return new TimerService() {
            @Override
            public long currentProcessingTime() {
                return KeyedTimers.this.currentProcessingTime();
            }

            @Override
            public long currentWatermark() {
                return KeyedTimers.this.currentWatermark();
            }

            @Override
            public void registerEventTimeTimer(long time) {
                registerEventTimer(time, state.currentKey(), namespace.get());
            }

            @Override
            public void registerProcessingTimeTimer(long time) {
                registerProcessingTimer(time, state.currentKey(), namespace.get());
            }

            @Override
            public void deleteEventTimeTimer(long time) {
                deleteEventTimer(time, state.currentKey(), namespace.get());
            }

            @Override
            public void deleteProcessingTimeTimer(long time) {
                deleteProcessingTimer(time, state.currentKey(), namespace.get());
            }
        };
    }

    /**
     * The live timers and the current watermark. The watermark is part of the snapshot so that a
     * restored operator judges lateness as before the failure, and results after recovery equal a
     * failure-free run.
     *
     * @param eventTimers live event-time timers
     * @param processingTimers live processing-time timers
     * @param watermark the operator's event time when the snapshot was taken
     */
    public record Snapshot(List<Timer> eventTimers, List<Timer> processingTimers, long watermark) {}

    public Snapshot snapshot() {
        return new Snapshot(List.copyOf(eventTimers), List.copyOf(processingTimers), watermark);
    }

    /** Registers the timers of a snapshot (on top of any present) and takes over its watermark if higher. */
    public void restore(Snapshot snapshot) {
        for (Timer timer : snapshot.eventTimers()) {
            registerEventTimer(timer.time(), timer.key(), timer.namespace());
        }
        for (Timer timer : snapshot.processingTimers()) {
            registerProcessingTimer(timer.time(), timer.key(), timer.namespace());
        }
        watermark = Math.max(watermark, snapshot.watermark());
    }

    /** Timers registered and not yet fired or deleted, for tests and metrics. */
    public int eventTimerCount() {
        return eventTimers.size();
    }

    private void fireProcessingTimers() {
        scheduledProcessingTime = Long.MAX_VALUE;
        long now = clock.now();
        Timer next;
        while ((next = processingQueue.peek()) != null && next.time() <= now) {
            processingQueue.poll();
            if (processingTimers.remove(next)) {
                target.onTimer(next, false);
            }
        }
        // Skip deleted timers at the head so the next wake-up is for a live one.
        while ((next = processingQueue.peek()) != null && !processingTimers.contains(next)) {
            processingQueue.poll();
        }
        if (next != null) {
            scheduledProcessingTime = next.time();
            clock.schedule(next.time(), this::fireProcessingTimers);
        }
    }
}
