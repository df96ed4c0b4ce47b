package io.runnel.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Plain Kafka clients for the {@code kafka-eos} workload: the producer that writes its input (timed,
 * it is the producer ceiling), a {@code read_committed} consumer reading it back (the consumer
 * ceiling), the paced producer of the latency phase, and a consume-transform-produce loop with a
 * transaction per second (what exactly-once costs with Kafka's own API, on one thread).
 * Consumers use Kafka's defaults except for the socket buffer the job's source sets by default
 * (the kernel's auto-tuned one); producers use Kafka's defaults except for the two settings the
 * exactly-once sink changes by default, so both sides batch alike.
 */
final class KafkaClientsBench {

    /** The exactly-once sink's default {@code batch.size} (connectors-kafka README, sink options). */
    static final String SINK_BATCH_SIZE = "262144";
    /** The exactly-once sink's default {@code linger.ms}. */
    static final String SINK_LINGER_MS = "20";
    /** The Kafka source's default {@code receive.buffer.bytes} (connectors-kafka README, source options). */
    static final String SOURCE_RECEIVE_BUFFER = "-1";

    private final String bootstrapServers;

    KafkaClientsBench(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /** Writes input records {@code [firstId, firstId + count)}, each stamped when made. @return nanoseconds taken */
    long produce(String topic, long firstId, long count) {
        long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = producer(new Properties())) {
            SendFailure failure = new SendFailure();
            for (long id = firstId; id < firstId + count; id++) {
                producer.send(new ProducerRecord<>(topic, BenchRecords.inputBytes(id, System.currentTimeMillis())), failure);
            }
            producer.flush();
            failure.throwIfFailed(topic);
        }
        return System.nanoTime() - start;
    }

    /**
     * Writes input records {@code [firstId, firstId + count)} at {@code perSecond}, in steps of a
     * millisecond, each stamped when it is sent.
     */
    void producePaced(String topic, long firstId, long count, int perSecond) {
        try (KafkaProducer<byte[], byte[]> producer = producer(new Properties())) {
            SendFailure failure = new SendFailure();
            long start = System.nanoTime();
            for (long sent = 0; sent < count; sent++) {
                long due = start + sent * 1_000_000_000L / perSecond;
                long ahead = due - System.nanoTime();
                if (ahead > 1_000_000) {
                    LockSupport.parkNanos(ahead);
                }
                producer.send(new ProducerRecord<>(topic, BenchRecords.inputBytes(firstId + sent, System.currentTimeMillis())),
                        failure);
            }
            producer.flush();
            failure.throwIfFailed(topic);
        }
    }

    /**
     * Reads {@code count} records of {@code topic} from its start with a {@code read_committed} consumer.
     *
     * @return nanoseconds taken
     * @throws IllegalStateException if fewer arrive within {@code timeout}
     */
    long consume(String topic, long count, Duration timeout) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        long read = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(new Properties())) {
            assignFromStart(consumer, topic);
            while (read < count && System.nanoTime() < deadline) {
                read += consumer.poll(Duration.ofMillis(100)).count();
            }
        }
        if (read < count) {
            throw new IllegalStateException("read " + read + " of " + count + " records of '" + topic + "' within " + timeout);
        }
        return System.nanoTime() - start;
    }

    /**
     * Exactly-once with Kafka's own API on one thread: reads {@code count} records of {@code input}
     * read_committed, decodes each, applies the job's map, encodes it and sends it to {@code output}
     * in a transaction that also holds the consumed offsets (group {@code group}), committed every
     * second and at the end.
     *
     * @return nanoseconds from start until the last transaction committed
     */
    long transactionalLoop(String input, String output, String group, long count, Duration timeout) throws Exception {
        Properties producerConfig = new Properties();
        producerConfig.put("transactional.id", group + "-loop");
        Properties consumerConfig = new Properties();
        consumerConfig.put("group.id", group);
        var reader = BenchRecords.inputReader();
        var writer = BenchRecords.outputWriter();
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(consumerConfig);
                KafkaProducer<byte[], byte[]> producer = producer(producerConfig)) {
            assignFromStart(consumer, input);
            producer.initTransactions();
            producer.beginTransaction();
            long nextCommit = System.nanoTime() + 1_000_000_000L;
            long read = 0;
            SendFailure failure = new SendFailure();
            while (read < count) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the transactional loop read " + read + " of " + count + " records within "
                            + timeout);
                }
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    GenericRecord processed = BenchRecords.processed(reader.deserialize(record.value()), System.currentTimeMillis());
                    producer.send(new ProducerRecord<>(output, writer.serialize(processed)), failure);
                }
                read += records.count();
                if (read >= count || System.nanoTime() >= nextCommit) {
                    failure.throwIfFailed(output);
                    producer.sendOffsetsToTransaction(positions(consumer), consumer.groupMetadata());
                    producer.commitTransaction();
                    if (read < count) {
                        producer.beginTransaction();
                    }
                    nextCommit = System.nanoTime() + 1_000_000_000L;
                }
            }
        }
        return System.nanoTime() - start;
    }

    private static Map<TopicPartition, OffsetAndMetadata> positions(KafkaConsumer<byte[], byte[]> consumer) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : consumer.assignment()) {
            offsets.put(partition, new OffsetAndMetadata(consumer.position(partition)));
        }
        return offsets;
    }

    private static void assignFromStart(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
            partitions.add(new TopicPartition(topic, info.partition()));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    private KafkaProducer<byte[], byte[]> producer(Properties extra) {
        Properties config = new Properties();
        config.put("bootstrap.servers", bootstrapServers);
        config.put("acks", "all");
        config.put("batch.size", SINK_BATCH_SIZE);
        config.put("linger.ms", SINK_LINGER_MS);
        config.putAll(extra);
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private KafkaConsumer<byte[], byte[]> consumer(Properties extra) {
        Properties config = new Properties();
        config.put("bootstrap.servers", bootstrapServers);
        config.put("isolation.level", "read_committed");
        config.put("enable.auto.commit", "false");
        config.put("auto.offset.reset", "earliest");
        config.put("receive.buffer.bytes", SOURCE_RECEIVE_BUFFER);
        config.putAll(extra);
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Keeps the first failed send, reported after the flush. */
    private static final class SendFailure implements Callback {
        private final AtomicReference<Exception> first = new AtomicReference<>();

        @Override
        public void onCompletion(org.apache.kafka.clients.producer.RecordMetadata metadata, Exception exception) {
            if (exception != null) {
                first.compareAndSet(null, exception);
            }
        }

        void throwIfFailed(String topic) {
            if (first.get() != null) {
                throw new IllegalStateException("sending to '" + topic + "' failed: " + first.get(), first.get());
            }
        }
    }
}
