package io.runnel.connectors.kafka.internal;

import java.time.Duration;
import java.util.Properties;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The one place where this bundle creates Kafka clients. kafka-clients resolves classes named in
 * its configuration (and initialises {@code ProducerConfig}, {@code ConsumerConfig} and friends)
 * through the thread context class loader; inside OSGi a task thread's context loader is not this
 * bundle's, and a failed static initialisation leaves the class unusable for the life of the bundle.
 * So every client is created with the context loader set to this bundle's loader, which holds the
 * embedded kafka-clients, and restored afterwards. Keys and values are always byte arrays: the
 * connector serializes itself with the job's {@code RecordSerializer}s.
 */
final class KafkaClients {

    private KafkaClients() {}

    static KafkaProducer<byte[], byte[]> producer(Properties config) {
        return withBundleLoader(() -> new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer()));
    }

    static KafkaConsumer<byte[], byte[]> consumer(Properties config) {
        return withBundleLoader(() -> new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer()));
    }

    static Admin admin(Properties config) {
        return withBundleLoader(() -> Admin.create(config));
    }

    /**
     * Closes a producer at once, without aborting its transaction, even on an interrupted thread
     * (a cancelled task's): the interrupt is put back afterwards, but {@code close} would otherwise
     * give up half-way and leave the producer's I/O thread running.
     */
    static void closeNow(KafkaProducer<?, ?> producer, Duration timeout) {
        boolean interrupted = Thread.interrupted();
        try {
            producer.close(timeout);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Closes a consumer within {@code timeout}, even on an interrupted thread (see {@link #closeNow(KafkaProducer, Duration)}). */
    static void closeNow(KafkaConsumer<?, ?> consumer, Duration timeout) {
        boolean interrupted = Thread.interrupted();
        try {
            consumer.close(CloseOptions.timeout(timeout));
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Runs {@code action} with this bundle's class loader as the thread's context class loader. */
    static <T> T withBundleLoader(Supplier<T> action) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(KafkaClients.class.getClassLoader());
        try {
            return action.get();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
