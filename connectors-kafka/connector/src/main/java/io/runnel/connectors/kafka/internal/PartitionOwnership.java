package io.runnel.connectors.kafka.internal;

import org.apache.kafka.common.TopicPartition;

/**
 * Which subtask reads a partition: a fixed function of topic, partition and parallelism, so every
 * subtask decides alone, and partitions found later (or after a restore) go to the same subtask
 * whatever the job's history. Consecutive partitions of a topic go to consecutive subtasks, starting
 * at a subtask picked by the topic's name, so several topics spread evenly too.
 */
final class PartitionOwnership {

    private PartitionOwnership() {}

    static int owner(TopicPartition partition, int parallelism) {
        int start = Math.floorMod(partition.topic().hashCode() * 31, parallelism);
        return Math.floorMod(start + partition.partition(), parallelism);
    }
}
