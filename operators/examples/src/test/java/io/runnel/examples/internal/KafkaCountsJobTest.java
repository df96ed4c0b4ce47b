package io.runnel.examples.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.api.stream.JobClient;
import io.runnel.api.stream.RestartStrategy;
import io.runnel.connectors.kafka.internal.KafkaSinkProvider;
import io.runnel.connectors.kafka.internal.KafkaSourceProvider;
import io.runnel.kafka.broker.KafkaBrokerExtension;
import io.runnel.runtime.internal.execution.LocalStreamEnvironment;
import io.runnel.runtime.internal.execution.MapConnectorRegistry;
import io.runnel.state.heap.HeapStateBackendFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kafka-counts job in one JVM against a real broker: every key's running counts reach the
 * output once each, read back {@code read_committed}; bad parameters are refused by name.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class KafkaCountsJobTest {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    private static final int RECORDS = 20_000;
    private static final int KEYS = 37;

    @TempDir
    Path directory;

    @Test
    void everyKeysRunningCountsReachTheOutputExactlyOnce() throws Exception {
        String bootstrap = KAFKA.bootstrapServers();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic("counts-in", 4, (short) 1), new NewTopic("counts-out", 2, (short) 1)))
                    .all().get(30, TimeUnit.SECONDS);
        }
        Map<String, Long> expected = new TreeMap<>();
        Properties config = new Properties();
        config.put("bootstrap.servers", bootstrap);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < RECORDS; i++) {
                // Skewed: low keys get more records than high ones.
                String key = "k" + (i % (1 + i % KEYS));
                expected.merge(key, 1L, Long::sum);
                producer.send(new ProducerRecord<>("counts-in", key, key + "," + i));
            }
            producer.flush();
        }

        MapConnectorRegistry connectors = new MapConnectorRegistry().withStateBackend("heap", new HeapStateBackendFactory())
                .withSource("kafka", new KafkaSourceProvider()).withSink("kafka", new KafkaSinkProvider());
        LocalStreamEnvironment env = new LocalStreamEnvironment(connectors, 4);
        env.setParallelism(2);
        env.enableCheckpointing(Duration.ofMillis(200));
        env.getCheckpointConfig().setDirectory(directory.resolve("checkpoints").toString());
        env.setRestartStrategy(RestartStrategy.fixedDelay(3, Duration.ofMillis(100)));
        new KafkaCountsJob().build(env, Map.of("bootstrap", bootstrap, "input", "counts-in", "output", "counts-out",
                "transaction-timeout", "5min"));
        JobClient job = env.executeAsync("kafka-counts");
        Map<String, List<Long>> seen;
        try {
            seen = readCounts(bootstrap, "counts-out", expected, Duration.ofSeconds(120));
        } finally {
            job.cancel();
            job.result().get(60, TimeUnit.SECONDS);
        }

        assertThat(seen.keySet()).isEqualTo(expected.keySet());
        for (Map.Entry<String, Long> key : expected.entrySet()) {
            List<Long> counts = new ArrayList<>(seen.get(key.getKey()));
            counts.sort(null); // a key's counts may be spread over the output's partitions
            List<Long> oneToN = new ArrayList<>();
            for (long n = 1; n <= key.getValue(); n++) {
                oneToN.add(n);
            }
            assertThat(counts).as("counts of key %s", key.getKey()).isEqualTo(oneToN);
        }
    }

    @Test
    void missingAndUnknownParametersAreRefusedByName() {
        LocalStreamEnvironment env = new LocalStreamEnvironment(new MapConnectorRegistry(), 1);
        KafkaCountsJob job = new KafkaCountsJob();
        assertThatThrownBy(() -> job.build(env, Map.of("bootstrap", "127.0.0.1:9092", "input", "in")))
                .hasMessageContaining("[output]").hasMessageContaining("-p output=");
        assertThatThrownBy(() -> job.build(env, Map.of("bootstrap", "b:1", "input", "in", "output", "out", "topic", "x")))
                .hasMessageContaining("unknown parameter(s) [topic]").hasMessageContaining("transactional-id-prefix");
        assertThatThrownBy(() -> job.build(env, Map.of("bootstrap", "b:1", "input", "in", "output", "out",
                "transactional-id-prefix", "a b"))).hasMessageContaining("'a b'");
    }

    @Test
    void theKeyIsTheValueUpToTheFirstComma() {
        assertThat(KafkaCountsJob.keyOf("user-7,click,42")).isEqualTo("user-7");
        assertThat(KafkaCountsJob.keyOf("user-7")).isEqualTo("user-7");
        assertThat(KafkaCountsJob.keyOf(",x")).isEmpty();
    }

    /**
     * Reads {@code topic} read_committed from the start until every key's highest count is its
     * expected total (plus one quiet second so repeats written after it show), or {@code within} passes.
     * Returns the counts seen of each key.
     */
    static Map<String, List<Long>> readCounts(String bootstrap, String topic, Map<String, Long> expected, Duration within) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Map<String, List<Long>> seen = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + within.toNanos();
            long quietUntil = Long.MAX_VALUE;
            int complete = 0;
            while (System.nanoTime() < deadline && System.nanoTime() < quietUntil) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    String value = record.value();
                    int comma = value.lastIndexOf(',');
                    String key = value.substring(0, comma);
                    long count = Long.parseLong(value.substring(comma + 1));
                    seen.computeIfAbsent(key, k -> new ArrayList<>()).add(count);
                    if (expected.containsKey(key) && count == expected.get(key)) {
                        complete++;
                    }
                }
                if (complete >= expected.size() && quietUntil == Long.MAX_VALUE) {
                    quietUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
                }
            }
        }
        return seen;
    }
}
