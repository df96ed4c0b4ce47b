package io.runnel.connectors.kafka.internal;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;

/** Where partitions start when a job starts without a checkpoint, per the startup mode; and where bounded reading stops. */
final class StartingOffsets {

    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private StartingOffsets() {}

    /**
     * @param initial whether the partitions existed when the job started (the startup mode applies);
     *     partitions found later always start at their earliest offset, so nothing written to them is missed
     * @throws IllegalStateException in {@code group-offsets} mode with reset {@code none}, naming a partition without committed offset
     */
    static Map<TopicPartition, Long> resolve(KafkaConsumer<byte[], byte[]> consumer, SourceSettings settings,
            Collection<TopicPartition> partitions, boolean initial) {
        Map<TopicPartition, Long> result = new HashMap<>();
        if (partitions.isEmpty()) {
            return result;
        }
        String mode = initial ? settings.startupMode() : "earliest-offset";
        switch (mode) {
            case "earliest-offset" -> result.putAll(consumer.beginningOffsets(partitions, TIMEOUT));
            case "latest-offset" -> result.putAll(consumer.endOffsets(partitions, TIMEOUT));
            case "timestamp" -> {
                Map<TopicPartition, Long> query = new HashMap<>();
                partitions.forEach(partition -> query.put(partition, settings.startupTimestamp()));
                Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query, TIMEOUT);
                Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, TIMEOUT);
                for (TopicPartition partition : partitions) {
                    OffsetAndTimestamp hit = found.get(partition);
                    // No record at or after the timestamp: start at the end, where the next one will be.
                    result.put(partition, hit == null ? ends.get(partition) : hit.offset());
                }
            }
            case "group-offsets" -> {
                Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(Set.copyOf(partitions), TIMEOUT);
                Map<TopicPartition, Long> fallback = switch (settings.groupOffsetsReset()) {
                    case "earliest" -> consumer.beginningOffsets(partitions, TIMEOUT);
                    case "latest" -> consumer.endOffsets(partitions, TIMEOUT);
                    default -> Map.of();
                };
                for (TopicPartition partition : partitions) {
                    OffsetAndMetadata offset = committed.get(partition);
                    if (offset != null) {
                        result.put(partition, offset.offset());
                    } else if (fallback.containsKey(partition)) {
                        result.put(partition, fallback.get(partition));
                    } else {
                        throw new IllegalStateException("The consumer group '" + settings.groupId() + "' has no committed offset "
                                + "for " + partition + ", and scan.startup.group-offsets.reset is 'none'. Set it to 'earliest' or "
                                + "'latest', or commit an offset for the group first");
                    }
                }
            }
            default -> throw new IllegalStateException("unknown startup mode " + mode);
        }
        return result;
    }
}
