package io.runnel.itests;

import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads the {@code key,count} output of the kafka-counts job as a {@code read_committed} consumer,
 * from the start of every partition, on a thread of its own for as long as a test runs, and keeps
 * for every key which counts it saw and how often. A count seen twice is a duplicate; a count
 * missing below the key's highest is a loss. {@link #close()} stops the thread.
 */
final class CountsReader implements AutoCloseable {

    /** What the output held when the reader stopped. */
    record Result(long records, long duplicates, Map<String, Long> highest, Map<String, List<Long>> gaps,
            Map<String, List<Long>> repeated) {}

    private final Map<String, BitSet> seen = new HashMap<>();
    private final Map<String, List<Long>> repeated = new HashMap<>();
    private final Map<String, Long> expected;
    private final AtomicLong records = new AtomicLong();
    private final AtomicLong complete = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean running = true;

    /** Starts reading {@code topic}; {@code expected} is the final count of every key. */
    CountsReader(String bootstrap, String topic, Map<String, Long> expected) {
        this.expected = Map.copyOf(expected);
        this.thread = new Thread(() -> read(bootstrap, topic), "read-committed-" + topic);
        thread.setDaemon(true);
        thread.start();
    }

    /** Output records read so far. */
    long records() {
        return records.get();
    }

    /** Whether every key's final count was read. */
    boolean complete() {
        return complete.get() == expected.size();
    }

    /**
     * Waits until every key's final count was read, then reads on for {@code quiet} so that
     * duplicates committed after it show too; fails with the progress if {@code within} passes.
     */
    void awaitComplete(Duration within, Duration quiet) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!complete()) {
            checkAlive();
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the output did not reach every key's final count within " + within.toSeconds()
                        + " s: read " + records() + " record(s), " + complete.get() + " of " + expected.size()
                        + " key(s) complete");
            }
            Thread.sleep(200);
        }
        Thread.sleep(quiet.toMillis());
        checkAlive();
    }

    /** Waits until at least {@code count} records were read; fails if {@code within} passes. */
    void awaitRecords(long count, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (records() < count) {
            checkAlive();
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the output did not reach " + count + " record(s) within " + within.toSeconds()
                        + " s; it holds " + records());
            }
            Thread.sleep(100);
        }
    }

    /** Stops reading and tells what was read. */
    Result stop() throws InterruptedException {
        close();
        checkAlive();
        Map<String, Long> highest = new HashMap<>();
        Map<String, List<Long>> gaps = new HashMap<>();
        long duplicates = 0;
        synchronized (seen) {
            for (Map.Entry<String, BitSet> key : seen.entrySet()) {
                BitSet counts = key.getValue();
                long top = counts.length() - 1;
                highest.put(key.getKey(), top);
                List<Long> missing = new ArrayList<>();
                for (int n = counts.nextClearBit(1); n < top && missing.size() < 10; n = counts.nextClearBit(n + 1)) {
                    missing.add((long) n);
                }
                if (!missing.isEmpty()) {
                    gaps.put(key.getKey(), missing);
                }
            }
            for (List<Long> again : repeated.values()) {
                duplicates += again.size();
            }
            return new Result(records(), duplicates, highest, gaps, Map.copyOf(repeated));
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(TimeUnit.SECONDS.toMillis(30));
    }

    private void checkAlive() {
        if (failure.get() != null) {
            throw new AssertionError("reading the output failed", failure.get());
        }
    }

    private void read(String bootstrap, String topic) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (running) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    add(record.value());
                }
            }
        } catch (Throwable e) {
            failure.set(e);
        }
    }

    private void add(String value) {
        int comma = value == null ? -1 : value.lastIndexOf(',');
        if (comma < 0) {
            throw new IllegalStateException("the output holds a record that is not 'key,count': '" + value + "'");
        }
        String key = value.substring(0, comma);
        int count = Integer.parseInt(value.substring(comma + 1));
        synchronized (seen) {
            BitSet counts = seen.computeIfAbsent(key, k -> new BitSet());
            if (counts.get(count)) {
                repeated.computeIfAbsent(key, k -> new ArrayList<>()).add((long) count);
            } else {
                counts.set(count);
                Long last = expected.get(key);
                if (last != null && count == last) {
                    complete.incrementAndGet();
                }
            }
        }
        records.incrementAndGet();
    }
}
