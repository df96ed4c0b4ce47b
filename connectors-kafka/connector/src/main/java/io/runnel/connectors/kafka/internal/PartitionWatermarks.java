package io.runnel.connectors.kafka.internal;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Per-partition event time of one source subtask: each partition's watermark trails the highest
 * record timestamp seen in it by the out-of-orderness bound (and 1 ms); the subtask's watermark is
 * the minimum over its partitions, leaving out partitions without records for the idle timeout and
 * partitions a bounded source finished. A partition that never had a record holds the watermark
 * back until it turns idle. Not thread-safe: the task thread only.
 */
final class PartitionWatermarks {

    /** The result of {@link #current}: all partitions idle. */
    static final long IDLE = Long.MAX_VALUE - 1;

    private static final class PartitionTime {
        long highest = Long.MIN_VALUE;
        long lastActivityMillis;
        boolean finished;
    }

    private final long bound;
    private final long idleMillis;
    private final Map<TopicPartition, PartitionTime> partitions = new HashMap<>();

    /** @param idleMillis 0 for never idle */
    PartitionWatermarks(long boundMillis, long idleMillis) {
        this.bound = boundMillis;
        this.idleMillis = idleMillis;
    }

    void add(TopicPartition partition, long nowMillis) {
        PartitionTime time = new PartitionTime();
        time.lastActivityMillis = nowMillis;
        partitions.putIfAbsent(partition, time);
    }

    void onRecord(TopicPartition partition, long timestamp, long nowMillis) {
        PartitionTime time = partitions.get(partition);
        if (timestamp > time.highest) {
            time.highest = timestamp;
        }
        time.lastActivityMillis = nowMillis;
    }

    void finished(TopicPartition partition) {
        partitions.get(partition).finished = true;
    }

    /** The subtask's watermark now, or {@link #IDLE} when no partition holds it (none assigned, all idle or finished). */
    long current(long nowMillis) {
        long minimum = Long.MAX_VALUE;
        boolean any = false;
        for (PartitionTime time : partitions.values()) {
            if (time.finished || (idleMillis > 0 && nowMillis - time.lastActivityMillis >= idleMillis)) {
                continue;
            }
            any = true;
            long watermark = time.highest == Long.MIN_VALUE ? Long.MIN_VALUE : time.highest - bound - 1;
            minimum = Math.min(minimum, watermark);
        }
        return any ? minimum : IDLE;
    }
}
