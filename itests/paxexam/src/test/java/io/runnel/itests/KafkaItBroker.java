package io.runnel.itests;

import io.runnel.kafka.broker.KafkaBroker;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The part of {@link KafkaInFelixIT} that runs in the test JVM, outside the framework: a class of
 * its own, because the test class is loaded in the Pax Exam probe too, where kafka-clients is not
 * visible (it is private to the connector bundle).
 */
final class KafkaItBroker {

    private static KafkaBroker broker;

    private KafkaItBroker() {}

    /** Starts the broker (once per JVM) with topics felix-in (records f0..) and felix-out; returns its address. */
    static synchronized String startWithInput(int records) throws Exception {
        if (broker != null) {
            return broker.bootstrapServers();
        }
        broker = KafkaBroker.builder().start();
        String bootstrap = broker.bootstrapServers();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic("felix-in", 2, (short) 1), new NewTopic("felix-out", 2, (short) 1),
                    new NewTopic("felix-avro", 1, (short) 1)))
                    .all().get(30, TimeUnit.SECONDS);
        }
        Properties config = new Properties();
        config.put("bootstrap.servers", bootstrap);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>("felix-in", "k" + i, "f" + i));
            }
            producer.flush();
        }
        return bootstrap;
    }
}
