package io.runnel.runtime.internal.state;

import io.runnel.api.functions.TimerService;
import io.runnel.runtime.internal.task.ProcessingTimers;
import io.runnel.spi.state.KeyedStateBackend;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Event-time and processing-time timers of one keyed operator subtask. A timer is (time, key,
 * namespace); registering one twice keeps one. Timers are kept in buckets by time, since many share
 * one (all windows of a key range end together): registering and deleting are a hash operation in
 * the bucket, firing walks buckets in time order.
 */
public final class KeyedTimers {

    /** A timer; fires for its key (and namespace) at its time. */
    public record Timer(long time, Object key, Object namespace) {}

    /** What happens when a timer fires. */
    @FunctionalInterface
    public interface Target {
        void onTimer(Timer timer, boolean eventTime);
    }

    /** A key and namespace: a timer within its time's bucket. */
    private record Owner(Object key, Object namespace) {}

    private final TreeMap<Long, LinkedHashSet<Owner>> eventTimers = new TreeMap<>();
    private final TreeMap<Long, LinkedHashSet<Owner>> processingTimers = new TreeMap<>();
    private final ProcessingTimers clock;
    private final Target target;
    private long scheduledProcessingTime = Long.MAX_VALUE;
    private long watermark = Long.MIN_VALUE;
    private int eventTimerCount;
    /** The bucket of the last event time registered: records of one window register the same time. */
    private long lastEventTime;
    private LinkedHashSet<Owner> lastEventBucket;

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
        LinkedHashSet<Owner> bucket = lastEventBucket;
        if (bucket == null || lastEventTime != time) {
            bucket = eventTimers.computeIfAbsent(time, t -> new LinkedHashSet<>());
            lastEventTime = time;
            lastEventBucket = bucket;
        }
        if (bucket.add(new Owner(key, namespace))) {
            eventTimerCount++;
        }
    }

    public void deleteEventTimer(long time, Object key, Object namespace) {
        if (remove(eventTimers, time, key, namespace)) {
            eventTimerCount--;
        }
    }

    public void registerProcessingTimer(long time, Object key, Object namespace) {
        if (processingTimers.computeIfAbsent(time, t -> new LinkedHashSet<>()).add(new Owner(key, namespace))
                && time < scheduledProcessingTime) {
            scheduledProcessingTime = time;
            clock.schedule(time, this::fireProcessingTimers);
        }
    }

    public void deleteProcessingTimer(long time, Object key, Object namespace) {
        remove(processingTimers, time, key, namespace);
    }

    /** Fires, in time order, every event-time timer at or before {@code newWatermark}. */
    public void advanceWatermark(long newWatermark) {
        watermark = newWatermark;
        Map.Entry<Long, LinkedHashSet<Owner>> bucket;
        while ((bucket = eventTimers.firstEntry()) != null && bucket.getKey() <= newWatermark) {
            fireOne(eventTimers, bucket, true);
        }
    }

    /**
     * The user-facing timer service: timers for the backend's current key, in the namespace
     * {@code namespace} gives at the time of the call.
     */
    public TimerService forCurrentKey(KeyedStateBackend state, Supplier<Object> namespace) {
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

    /** Timers registered and not yet fired or deleted, for tests and metrics. */
    public int eventTimerCount() {
        return eventTimerCount;
    }

    /**
     * Timers and a watermark read back from a snapshot (snapshots themselves are written from the live
     * timers, see {@link KeyedStateSerialization#writeTimers}). The watermark is part of the snapshot so
     * that a restored operator judges lateness as before the failure, and results after recovery equal a
     * failure-free run.
     *
     * @param eventTimers the event-time timers that were live at the snapshot
     * @param processingTimers the processing-time timers that were live at the snapshot
     * @param watermark the operator's event time when the snapshot was taken
     */
    public record Snapshot(List<Timer> eventTimers, List<Timer> processingTimers, long watermark) {}

    /** One live timer, for writing a snapshot. */
    @FunctionalInterface
    interface TimerVisitor {
        void visit(long time, Object key, Object namespace) throws IOException;
    }

    /** The number of live event-time ({@code true}) or processing-time timers. */
    int count(boolean eventTime) {
        if (eventTime) {
            return eventTimerCount;
        }
        int count = 0;
        for (LinkedHashSet<Owner> owners : processingTimers.values()) {
            count += owners.size();
        }
        return count;
    }

    /**
     * Visits the live event-time ({@code true}) or processing-time timers in time order, without
     * copying them: snapshots write them straight to bytes on the task thread.
     */
    void forEach(boolean eventTime, TimerVisitor visitor) throws IOException {
        for (Map.Entry<Long, LinkedHashSet<Owner>> bucket : (eventTime ? eventTimers : processingTimers).entrySet()) {
            long time = bucket.getKey();
            for (Owner owner : bucket.getValue()) {
                visitor.visit(time, owner.key(), owner.namespace());
            }
        }
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

    /**
     * Fires the first timer of a bucket, removing it (and the bucket once empty) first, so the target
     * may register or delete timers, even in the same bucket.
     */
    private void fireOne(TreeMap<Long, LinkedHashSet<Owner>> timers, Map.Entry<Long, LinkedHashSet<Owner>> bucket,
            boolean eventTime) {
        LinkedHashSet<Owner> owners = bucket.getValue();
        Iterator<Owner> first = owners.iterator();
        Owner owner = first.next();
        first.remove();
        if (owners.isEmpty()) {
            timers.remove(bucket.getKey());
            forgetBucket(owners);
        }
        if (eventTime) {
            eventTimerCount--;
        }
        target.onTimer(new Timer(bucket.getKey(), owner.key(), owner.namespace()), eventTime);
    }

    private void fireProcessingTimers() {
        scheduledProcessingTime = Long.MAX_VALUE;
        long now = clock.now();
        Map.Entry<Long, LinkedHashSet<Owner>> bucket;
        while ((bucket = processingTimers.firstEntry()) != null && bucket.getKey() <= now) {
            fireOne(processingTimers, bucket, false);
        }
        if (bucket != null) {
            scheduledProcessingTime = bucket.getKey();
            clock.schedule(bucket.getKey(), this::fireProcessingTimers);
        }
    }

    private boolean remove(TreeMap<Long, LinkedHashSet<Owner>> timers, long time, Object key, Object namespace) {
        LinkedHashSet<Owner> owners = timers.get(time);
        if (owners == null || !owners.remove(new Owner(key, namespace))) {
            return false;
        }
        if (owners.isEmpty()) {
            timers.remove(time);
            forgetBucket(owners);
        }
        return true;
    }

    /** A bucket left its map: registering at its time again must make a new one. */
    private void forgetBucket(LinkedHashSet<Owner> bucket) {
        if (bucket == lastEventBucket) {
            lastEventBucket = null;
        }
    }
}
