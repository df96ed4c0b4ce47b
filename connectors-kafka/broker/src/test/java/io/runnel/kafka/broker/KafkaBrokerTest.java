package io.runnel.kafka.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class KafkaBrokerTest {

    @Test
    void startsServesTransactionsAndDeletesItsDataOnClose() throws Exception {
        Path directory;
        try (KafkaBroker broker = KafkaBroker.builder().start()) {
            directory = broker.directory();
            assertThat(broker.bootstrapServers()).startsWith("127.0.0.1:");
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic("words", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
            Properties producerConfig = new Properties();
            producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            producerConfig.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "broker-test");
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig, new StringSerializer(),
                    new StringSerializer())) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("words", "k", "committed"));
                producer.commitTransaction();
            }
            Properties consumerConfig = new Properties();
            consumerConfig.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, "broker-test");
            consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(),
                    new StringDeserializer())) {
                consumer.subscribe(List.of("words"));
                String value = null;
                for (int attempt = 0; attempt < 60 && value == null; attempt++) {
                    ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(500));
                    if (!records.isEmpty()) {
                        value = records.iterator().next().value();
                    }
                }
                assertThat(value).isEqualTo("committed");
            }
        }
        assertThat(Files.exists(directory)).isFalse();
    }

    @Test
    void answersTellsARunningBrokerFromAClosedPort() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        assertThat(KafkaBroker.answers("127.0.0.1:" + closed, Duration.ofSeconds(2))).isFalse();
        try (KafkaBroker broker = KafkaBroker.start()) {
            assertThat(KafkaBroker.answers(broker.bootstrapServers(), Duration.ofSeconds(10))).isTrue();
        }
    }

    @Test
    void refusesATakenPortByNumber() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> KafkaBroker.builder().port(taken.getLocalPort()).start())
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("Port " + taken.getLocalPort() + " on 127.0.0.1 is taken");
        }
    }

    @Test
    void clusterIdsAreSixteenBytesOfUrlSafeBase64() {
        String id = KafkaBroker.clusterId();
        assertThat(id).hasSize(22).doesNotStartWith("-").matches("[A-Za-z0-9_-]+");
    }
}
