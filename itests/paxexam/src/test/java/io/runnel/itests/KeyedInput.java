package io.runnel.itests;

import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The input of the exactly-once proof: record i has the key {@code key-j}, j a fixed function of
 * i under which low keys are far more frequent than high ones, and the value {@code key-j,i}.
 * A thread of its own writes the records at a bounded rate, so that a job reading them runs while
 * they arrive and failures can be injected at moments measured in records written.
 */
final class KeyedInput implements AutoCloseable {

    private final AtomicLong written = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean running = true;

    private KeyedInput(String bootstrap, String topic, int records, int keys, int perSecond) {
        thread = new Thread(() -> write(bootstrap, topic, records, keys, perSecond), "write-" + topic);
        thread.setDaemon(true);
    }

    /** Starts writing {@code records} records of {@code keys} keys to {@code topic}, {@code perSecond} per second at most. */
    static KeyedInput start(String bootstrap, String topic, int records, int keys, int perSecond) {
        KeyedInput input = new KeyedInput(bootstrap, topic, records, keys, perSecond);
        input.thread.start();
        return input;
    }

    /** The key of record {@code i} among {@code keys}: i * i spreads them, the varying modulus favours low ones. */
    static String keyOf(int i, int keys) {
        return "key-" + (((long) i * i + i / 3) % (1 + i % keys));
    }

    /** How many records of each key the first {@code records} records hold. */
    static Map<String, Long> countsPerKey(int records, int keys) {
        Map<String, Long> counts = new TreeMap<>();
        for (int i = 0; i < records; i++) {
            counts.merge(keyOf(i, keys), 1L, Long::sum);
        }
        return counts;
    }

    /** Records acknowledged by the broker so far. */
    long written() {
        checkAlive();
        return written.get();
    }

    /** Waits until every record is written and acknowledged. */
    void awaitDone(long millis) throws InterruptedException {
        thread.join(millis);
        checkAlive();
        if (thread.isAlive()) {
            throw new AssertionError("writing the input did not end within " + millis + " ms; " + written.get() + " written");
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(30_000);
    }

    private void checkAlive() {
        if (failure.get() != null) {
            throw new AssertionError("writing the input failed", failure.get());
        }
    }

    private void write(String bootstrap, String topic, int records, int keys, int perSecond) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        long started = System.nanoTime();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < records && running; i++) {
                String key = keyOf(i, keys);
                producer.send(new ProducerRecord<>(topic, key, key + "," + i), (metadata, error) -> {
                    if (error != null) {
                        failure.compareAndSet(null, error);
                    } else {
                        written.incrementAndGet();
                    }
                });
                if (i % 1000 == 999) {
                    long due = started + (long) ((i + 1) * 1e9 / perSecond);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
            }
            producer.flush();
        } catch (Throwable e) {
            failure.compareAndSet(null, e);
        }
    }
}
