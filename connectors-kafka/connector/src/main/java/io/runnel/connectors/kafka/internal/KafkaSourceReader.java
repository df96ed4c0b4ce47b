package io.runnel.connectors.kafka.internal;

import io.runnel.api.functions.Collector;
import io.runnel.api.serialization.MalformedRecordException;
import io.runnel.connectors.kafka.KafkaRecord;
import io.runnel.spi.connector.SourceOutput;
import io.runnel.spi.connector.SourceReader;
import io.runnel.spi.connector.SubtaskInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the partitions one subtask owns ({@link PartitionOwnership}) with a consumer that is
 * assigned them (no group membership: the group only receives offsets for tooling).
 *
 * <pre>
 * poll:  maybe look for new partitions; consumer.poll(0); emit each record (deserialized, with
 *        its timestamp; undeserializable ones fail the job or go to the dead-letter topic); the next
 *        offset of each partition is the consumer's position, which also steps over transaction markers
 * snapshotSplits(n): flush dead letters; every owned partition with its next (and stopping) offset
 * notifyCheckpointComplete(n): commit checkpoint n's offsets to the group, asynchronously
 * </pre>
 *
 * <p>Thread safety: the task thread only.
 */
final class KafkaSourceReader<T> implements SourceReader<T> {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaSourceReader.class);

    private final SourceSettings settings;
    private final SubtaskInfo subtask;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<TopicPartition, PartitionSplit> owned = new LinkedHashMap<>();
    /** Every partition the job knows of, whoever owns it: a partition not in here is new, and starts from its earliest offset. */
    private final Set<TopicPartition> known = new HashSet<>();
    private final NavigableMap<Long, Map<TopicPartition, OffsetAndMetadata>> offsetsToCommit = new TreeMap<>();
    private final PartitionWatermarks watermarks;
    private final DeadLetters deadLetters;
    private long nextDiscoveryMillis;
    private boolean idleReported;

    private KafkaSourceReader(SourceSettings settings, SubtaskInfo subtask) {
        this.settings = settings;
        this.subtask = subtask;
        this.consumer = KafkaClients.consumer(settings.consumerProperties());
        this.watermarks = settings.watermarkOutOfOrderness() == null ? null : new PartitionWatermarks(
                settings.watermarkOutOfOrderness().toMillis(),
                settings.watermarkIdleTimeout() == null ? 0 : settings.watermarkIdleTimeout().toMillis());
        this.deadLetters = settings.deadLetter() ? new DeadLetters(settings, subtask.toString()) : null;
    }

    /** A reader of a job without checkpoint: the partitions that exist now start per the startup mode. */
    static <T> KafkaSourceReader<T> fresh(SourceSettings settings, SubtaskInfo subtask) {
        KafkaSourceReader<T> reader = new KafkaSourceReader<>(settings, subtask);
        try {
            List<TopicPartition> all = reader.listPartitions();
            reader.known.addAll(all);
            List<TopicPartition> mine = new ArrayList<>();
            for (TopicPartition partition : all) {
                if (PartitionOwnership.owner(partition, subtask.parallelism()) == subtask.subtaskIndex()) {
                    mine.add(partition);
                }
            }
            reader.addPartitions(mine, StartingOffsets.resolve(reader.consumer, settings, mine, true));
            LOG.info("{}: reading {} of the {} partitions of {}", subtask, mine.size(), all.size(), settings.describeTopics());
            return reader;
        } catch (RuntimeException e) {
            reader.close();
            throw e;
        }
    }

    /** A reader continuing from the splits of all readers of the checkpoint; it keeps the partitions it owns. */
    static <T> KafkaSourceReader<T> restored(SourceSettings settings, SubtaskInfo subtask, List<PartitionSplit> splits) {
        KafkaSourceReader<T> reader = new KafkaSourceReader<>(settings, subtask);
        try {
            Map<TopicPartition, PartitionSplit> mine = new LinkedHashMap<>();
            for (PartitionSplit split : splits) {
                reader.known.add(split.partition());
                if (PartitionOwnership.owner(split.partition(), subtask.parallelism()) == subtask.subtaskIndex()) {
                    mine.put(split.partition(), split);
                }
            }
            reader.assign(mine.values());
            LOG.info("{}: resuming {} partition(s) from the checkpoint: {}", subtask, mine.size(), mine.values());
            // Partitions created since the checkpoint, or never assigned before it, are picked up at once.
            if (!settings.bounded()) {
                reader.discover();
            }
            return reader;
        } catch (RuntimeException e) {
            reader.close();
            throw e;
        }
    }

    private void addPartitions(List<TopicPartition> partitions, Map<TopicPartition, Long> startOffsets) {
        Map<TopicPartition, Long> stops = settings.bounded() ? consumer.endOffsets(partitions, StartingOffsets.TIMEOUT) : Map.of();
        List<PartitionSplit> splits = new ArrayList<>();
        for (TopicPartition partition : partitions) {
            long stop = settings.bounded() ? stops.get(partition) : PartitionSplit.UNBOUNDED;
            splits.add(new PartitionSplit(partition, startOffsets.get(partition), stop));
        }
        assign(splits);
    }

    private void assign(java.util.Collection<PartitionSplit> splits) {
        long now = System.currentTimeMillis();
        for (PartitionSplit split : splits) {
            owned.put(split.partition(), split);
            if (watermarks != null) {
                watermarks.add(split.partition(), now);
                if (split.finished()) {
                    watermarks.finished(split.partition());
                }
            }
        }
        List<TopicPartition> reading = new ArrayList<>();
        for (PartitionSplit split : owned.values()) {
            if (!split.finished()) {
                reading.add(split.partition());
            }
        }
        consumer.assign(reading);
        for (PartitionSplit split : splits) {
            if (!split.finished()) {
                consumer.seek(split.partition(), split.nextOffset());
            }
        }
    }

    /**
     * The partitions of the source's topics that exist now, from fresh metadata (the consumer's
     * per-topic cache would hide partitions added later for up to metadata.max.age.ms).
     */
    private List<TopicPartition> listPartitions() {
        List<TopicPartition> partitions = new ArrayList<>();
        Map<String, List<PartitionInfo>> topics = consumer.listTopics(StartingOffsets.TIMEOUT);
        for (Map.Entry<String, List<PartitionInfo>> topic : topics.entrySet()) {
            if (settings.reads(topic.getKey())) {
                for (PartitionInfo info : topic.getValue()) {
                    partitions.add(new TopicPartition(info.topic(), info.partition()));
                }
            }
        }
        if (settings.topicPattern() == null && !missingTopicsReported) {
            List<String> missing = new ArrayList<>(settings.topics());
            missing.removeAll(topics.keySet());
            if (!missing.isEmpty()) {
                missingTopicsReported = true;
                LOG.warn("{}: the topic(s) {} do not exist (yet); they are read once they appear{}", subtask, missing,
                        settings.bounded() ? ", but this bounded source only reads what exists at its start" : "");
            }
        }
        return partitions;
    }

    private boolean missingTopicsReported;

    /** Takes on the new partitions this subtask owns; they start at their earliest offset. */
    private void discover() {
        List<TopicPartition> added = new ArrayList<>();
        for (TopicPartition partition : listPartitions()) {
            if (known.add(partition) && PartitionOwnership.owner(partition, subtask.parallelism()) == subtask.subtaskIndex()) {
                added.add(partition);
            }
        }
        if (!added.isEmpty()) {
            addPartitions(added, StartingOffsets.resolve(consumer, settings, added, false));
            LOG.info("{}: found and now reads new partition(s) {}", subtask, added);
        }
        nextDiscoveryMillis = System.currentTimeMillis() + settings.discoveryInterval().toMillis();
    }

    @SuppressWarnings("unchecked")
    @Override
    public Status poll(Collector<T> output) throws Exception {
        long now = System.currentTimeMillis();
        if (!settings.bounded() && !settings.discoveryInterval().isZero() && now >= nextDiscoveryMillis) {
            discover();
        }
        if (consumer.assignment().isEmpty()) {
            if (settings.bounded()) {
                return Status.END_OF_INPUT;
            }
            reportIdle(output);
            return Status.NOTHING_AVAILABLE;
        }
        ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ZERO);
        SourceOutput<T> timed = output instanceof SourceOutput<T> sourceOutput ? sourceOutput : null;
        for (TopicPartition partition : records.partitions()) {
            PartitionSplit split = owned.get(partition);
            if (split == null) {
                continue;
            }
            long stop = split.stoppingOffset();
            for (ConsumerRecord<byte[], byte[]> record : records.records(partition)) {
                if (stop != PartitionSplit.UNBOUNDED && record.offset() >= stop) {
                    break; // beyond the bounded end; the position check below finishes the partition
                }
                Object value = deserialize(record);
                // A tombstone has no value to emit; a record output (KafkaRecord) shows it with a null value.
                if (value != DEAD_LETTERED && value != null) {
                    if (timed != null) {
                        timed.collect((T) value, record.timestamp());
                    } else {
                        output.collect((T) value);
                    }
                }
                if (watermarks != null) {
                    watermarks.onRecord(partition, record.timestamp(), now);
                }
            }
        }
        boolean anyLeft = updatePositions();
        emitWatermark(timed, now);
        if (settings.bounded() && !anyLeft) {
            return Status.END_OF_INPUT;
        }
        return records.isEmpty() ? Status.NOTHING_AVAILABLE : Status.MORE_AVAILABLE;
    }

    /** What {@link #deserialize} returns for a record it sent to the dead-letter topic. */
    private static final Object DEAD_LETTERED = new Object();

    private Object deserialize(ConsumerRecord<byte[], byte[]> record) {
        try {
            Object value = settings.valueDeserializer().deserialize(record.value());
            if (!settings.recordOutput()) {
                return value;
            }
            Object key = settings.keyDeserializer().deserialize(record.key());
            return new KafkaRecord<>(record.topic(), record.partition(), record.offset(), record.timestamp(), key, value);
        } catch (MalformedRecordException | RuntimeException e) {
            String reason = e.getClass().getSimpleName() + ": " + e.getMessage();
            if (deadLetters == null) {
                throw new IllegalStateException(subtask + ": cannot deserialize the record at topic '" + record.topic()
                        + "', partition " + record.partition() + ", offset " + record.offset() + ": " + reason + ". Fix the "
                        + "producer or the deserializer, or send such records to a dead-letter topic "
                        + "(deserialization.failure=dead-letter, dead-letter.topic=...)", e);
            }
            deadLetters.send(record, reason);
            return DEAD_LETTERED;
        }
    }

    /** Moves each partition's next offset to the consumer's position; finishes bounded partitions. @return whether any is unfinished */
    private boolean updatePositions() {
        boolean anyLeft = false;
        List<TopicPartition> finished = new ArrayList<>();
        for (TopicPartition partition : consumer.assignment()) {
            PartitionSplit split = owned.get(partition);
            long position = consumer.position(partition, StartingOffsets.TIMEOUT);
            PartitionSplit moved = new PartitionSplit(partition, split.stoppingOffset() == PartitionSplit.UNBOUNDED ? position
                    : Math.min(position, split.stoppingOffset()), split.stoppingOffset());
            owned.put(partition, moved);
            if (moved.finished()) {
                finished.add(partition);
                if (watermarks != null) {
                    watermarks.finished(partition);
                }
            } else {
                anyLeft = true;
            }
        }
        if (!finished.isEmpty()) {
            List<TopicPartition> remaining = new ArrayList<>(consumer.assignment());
            remaining.removeAll(finished);
            consumer.assign(remaining);
        }
        return anyLeft;
    }

    private void emitWatermark(SourceOutput<T> output, long now) {
        if (watermarks == null || output == null) {
            return;
        }
        long watermark = watermarks.current(now);
        if (watermark == PartitionWatermarks.IDLE) {
            if (!idleReported) {
                idleReported = true;
                output.markIdle();
            }
        } else {
            idleReported = false;
            if (watermark > Long.MIN_VALUE) {
                output.emitWatermark(watermark);
            }
        }
    }

    private void reportIdle(Collector<T> output) {
        if (watermarks != null && !idleReported && output instanceof SourceOutput<T> sourceOutput) {
            idleReported = true;
            sourceOutput.markIdle();
        }
    }

    @Override
    public List<byte[]> snapshotSplits(long checkpointId) {
        if (deadLetters != null) {
            deadLetters.flush();
        }
        List<byte[]> splits = new ArrayList<>(owned.size());
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (PartitionSplit split : owned.values()) {
            splits.add(split.toBytes());
            offsets.put(split.partition(), new OffsetAndMetadata(split.nextOffset()));
        }
        if (settings.commitOffsets()) {
            offsetsToCommit.put(checkpointId, offsets);
        }
        return splits;
    }

    /** Commits the offsets of the checkpoint to the group, for tooling only: a failure is logged, never fatal. */
    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        Map.Entry<Long, Map<TopicPartition, OffsetAndMetadata>> latest = offsetsToCommit.floorEntry(checkpointId);
        if (latest == null) {
            return;
        }
        offsetsToCommit.headMap(checkpointId, true).clear();
        if (latest.getValue().isEmpty()) {
            return;
        }
        consumer.commitAsync(latest.getValue(), (offsets, error) -> {
            if (error != null) {
                LOG.warn("{}: committing the offsets of checkpoint {} to group '{}' failed (monitoring only, reading goes on): {}",
                        subtask, checkpointId, settings.groupId(), error.toString());
            }
        });
    }

    @Override
    public void close() {
        try {
            KafkaClients.closeNow(consumer, Duration.ofSeconds(5));
        } finally {
            if (deadLetters != null) {
                deadLetters.close();
            }
        }
    }
}
