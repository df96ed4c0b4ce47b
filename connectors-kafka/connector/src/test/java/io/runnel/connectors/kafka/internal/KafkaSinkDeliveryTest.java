package io.runnel.connectors.kafka.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.api.stream.JobStatus;
import io.runnel.api.stream.Sources;
import io.runnel.connectors.basic.internal.DatagenSource;
import io.runnel.connectors.kafka.DeliveryGuarantee;
import io.runnel.connectors.kafka.KafkaSink;
import io.runnel.kafka.broker.KafkaBrokerExtension;
import io.runnel.runtime.internal.execution.LocalStreamEnvironment;
import io.runnel.runtime.internal.execution.MapConnectorRegistry;
import io.runnel.state.heap.HeapStateBackendFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The kafka sink's at-least-once and none guarantees, with keys, against a real broker. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KafkaSinkDeliveryTest {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @TempDir
    Path directory;

    private void run(DeliveryGuarantee guarantee, String topic) throws Exception {
        new KafkaTestTopics(KAFKA.bootstrapServers()).create(topic, 3);
        LocalStreamEnvironment env = new LocalStreamEnvironment(new MapConnectorRegistry().withStateBackend("heap", new HeapStateBackendFactory())
                .withSource(Sources.DATAGEN, new DatagenSource()).withSink("kafka", new KafkaSinkProvider()), 2);
        env.setParallelism(2);
        env.enableCheckpointing(Duration.ofMillis(100));
        env.getCheckpointConfig().setDirectory(directory.resolve(topic).toString());
        env.fromSource(Sources.generator(500, i -> i), "numbers")
                .sinkTo(KafkaSink.<Long>values(number -> ("v" + number).getBytes(StandardCharsets.UTF_8))
                        .keySerializer(number -> Long.toString(number % 7).getBytes(StandardCharsets.UTF_8))
                        .bootstrapServers(KAFKA.bootstrapServers()).topic(topic).deliveryGuarantee(guarantee).build(), "kafka");
        assertThat(env.executeAsync(topic).result().get(60, TimeUnit.SECONDS).status()).isEqualTo(JobStatus.FINISHED);
    }

    @Test
    void atLeastOnceWritesEveryRecordWithItsKey() throws Exception {
        run(DeliveryGuarantee.AT_LEAST_ONCE, "alo");
        List<ConsumerRecord<byte[], byte[]>> records = new KafkaTestTopics(KAFKA.bootstrapServers()).readCommitted("alo", 500);
        assertThat(records).hasSize(500);
        for (ConsumerRecord<byte[], byte[]> record : records) {
            long number = Long.parseLong(new String(record.value(), StandardCharsets.UTF_8).substring(1));
            assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(Long.toString(number % 7));
        }
        // One key, one partition: Kafka's partitioner keeps each key's records together.
        assertThat(records.stream().map(r -> new String(r.key(), StandardCharsets.UTF_8) + "@" + r.partition()).distinct())
                .hasSize(7);
    }

    @Test
    void noGuaranteeStillDeliversEveryRecordOfARunWithoutFailures() throws Exception {
        run(DeliveryGuarantee.NONE, "none");
        assertThat(new KafkaTestTopics(KAFKA.bootstrapServers()).readCommitted("none", 500)).hasSize(500);
    }
}
