package io.runnel.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.avro.io.BinaryDecoder;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads an output topic with a {@code read_committed} consumer on a thread of its own (while a job
 * writes it, in the latency phase; after the job, in the throughput phase), and keeps what the
 * checker and the figures need: which ids arrived (ids {@code [0, expected)}), how many arrived
 * more than once or were not expected, and for ids from {@code latencyFromId} on the latency from
 * their producer timestamp to the poll that returned them.
 *
 * <p>{@link #finish} reads up to the topic's last stable offset as it is then, so duplicates
 * committed late are counted too, and stops the thread. Every wait is bounded.
 */
final class CommittedReader implements AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String topic;
    private final int expected;
    private final long latencyFromId;
    private final BitSet seen;
    private final long[] latencies;
    private final Thread thread;
    private final CountDownLatch allSeen = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean finishRequested;
    private volatile boolean closeRequested;
    private volatile long distinct;
    private volatile long duplicates;
    private volatile long unexpected;
    private volatile Throwable failure;
    private int latencyCount;

    CommittedReader(String bootstrapServers, String topic, int expected, long latencyFromId) {
        Properties config = new Properties();
        config.put("bootstrap.servers", bootstrapServers);
        config.put("isolation.level", "read_committed");
        config.put("enable.auto.commit", "false");
        config.put("auto.offset.reset", "earliest");
        this.consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.topic = topic;
        this.expected = expected;
        this.latencyFromId = latencyFromId;
        this.seen = new BitSet(expected);
        this.latencies = new long[(int) Math.max(0, expected - latencyFromId)];
        List<TopicPartition> partitions = new ArrayList<>();
        for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
            partitions.add(new TopicPartition(topic, info.partition()));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        this.thread = new Thread(this::run, "bench-reader-" + topic);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void run() {
        long[] idAndTime = new long[2];
        BinaryDecoder decoder = null;
        Map<TopicPartition, Long> stopAt = null;
        try {
            while (!closeRequested) {
                if (finishRequested && stopAt == null) {
                    stopAt = consumer.endOffsets(consumer.assignment(), Duration.ofSeconds(30));
                }
                if (stopAt != null && reached(stopAt)) {
                    return;
                }
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(20));
                if (records.isEmpty()) {
                    continue;
                }
                long visibleMillis = System.currentTimeMillis();
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    decoder = BenchRecords.idAndTime(record.value(), idAndTime, decoder);
                    count(idAndTime[0], idAndTime[1], visibleMillis);
                }
            }
        } catch (Throwable e) {
            failure = e;
        } finally {
            stopped.countDown();
        }
    }

    private boolean reached(Map<TopicPartition, Long> stopAt) {
        for (Map.Entry<TopicPartition, Long> end : stopAt.entrySet()) {
            if (consumer.position(end.getKey(), Duration.ofSeconds(30)) < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    private void count(long id, long producedAtMillis, long visibleMillis) {
        if (id < 0 || id >= expected) {
            unexpected++;
            return;
        }
        if (seen.get((int) id)) {
            duplicates++;
            return;
        }
        seen.set((int) id);
        if (id >= latencyFromId) {
            latencies[latencyCount++] = visibleMillis - producedAtMillis;
        }
        distinct++;
        if (distinct == expected) {
            allSeen.countDown();
        }
    }

    /** Waits until every expected id was read, or the timeout passed. @return whether all were read */
    boolean awaitAll(Duration timeout) throws InterruptedException {
        return allSeen.await(timeout.toMillis(), TimeUnit.MILLISECONDS) && failure == null;
    }

    /** Waits until at least {@code count} distinct ids were read, polling every 10 ms. @return whether they were */
    boolean awaitDistinct(long count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (distinct < count && failure == null && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return distinct >= count;
    }

    /**
     * Reads on up to the last stable offsets of now, then stops the thread.
     *
     * @throws IllegalStateException if that takes longer than {@code timeout}, or reading failed
     */
    void finish(Duration timeout) throws InterruptedException {
        finishRequested = true;
        if (!stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("reading '" + topic + "' up to its end took longer than " + timeout);
        }
        if (failure != null) {
            throw new IllegalStateException("reading '" + topic + "' failed: " + failure, failure);
        }
    }

    /** What is wrong with the output, or null if it holds every expected id exactly once. Call after {@link #finish}. */
    String problems() {
        if (distinct == expected && duplicates == 0 && unexpected == 0) {
            return null;
        }
        int firstMissing = seen.nextClearBit(0);
        return "output topic '" + topic + "' holds " + distinct + " of " + expected + " expected ids"
                + (firstMissing < expected ? " (first missing: " + firstMissing + ")" : "") + ", " + duplicates
                + " duplicate(s) and " + unexpected + " unexpected id(s)";
    }

    long distinct() {
        return distinct;
    }

    /** The latencies of the ids from {@code latencyFromId} on, in ms. Call after {@link #finish}. */
    Percentiles latencies() {
        return new Percentiles(latencies, latencyCount);
    }

    /** Stops the thread (within a minute) and closes the consumer once the thread has ended. */
    @Override
    public void close() throws InterruptedException {
        closeRequested = true;
        if (thread.getState() != Thread.State.NEW) {
            thread.join(60_000);
        }
        if (!thread.isAlive()) {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }
}
