package io.runnel.connectors.kafka.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.api.stream.SinkDescriptor;
import io.runnel.api.stream.SourceDescriptor;
import io.runnel.connectors.kafka.DeliveryGuarantee;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Options given by name as plain strings, and the errors bad ones get. */
class SettingsTest {

    @Test
    void aSourceFromPlainStringsPassesSecurityPropertiesThroughUntouched() {
        SourceSettings settings = source(new SourceDescriptor<>("kafka", Map.of("bootstrap.servers", "h:9092",
                "topics", "a, b", "group.id", "g", "scan.startup.mode", "latest-offset",
                "scan.topic-partition-discovery.interval", "10s", "properties.security.protocol", "SASL_SSL",
                "properties.sasl.jaas.config", "x required;")));
        assertThat(settings.topics()).containsExactly("a", "b");
        assertThat(settings.startupMode()).isEqualTo("latest-offset");
        assertThat(settings.discoveryInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.commitOffsets()).isTrue();
        assertThat(settings.consumerProperties()).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.jaas.config", "x required;").containsEntry("group.id", "g")
                .containsEntry("enable.auto.commit", "false").containsEntry("isolation.level", "read_committed");
    }

    @Test
    void badSourceOptionsAreNamedWithTheirValues() {
        assertThatThrownBy(() -> source(new SourceDescriptor<>("kafka", Map.of("bootstrap.servers", "h:9092",
                "topics", "a", "scan.startup.mode", "newest")))).hasMessageContaining("'scan.startup.mode', but got 'newest'");
        assertThatThrownBy(() -> source(new SourceDescriptor<>("kafka", Map.of("bootstrap.servers", "h:9092"))))
                .hasMessageContaining("exactly one of 'topics'");
        assertThatThrownBy(() -> source(new SourceDescriptor<>("kafka", Map.of("bootstrap.servers", "h:9092",
                "topics", "a", "deserialization.failure", "dead-letter")))).hasMessageContaining("needs 'dead-letter.topic'");
        assertThatThrownBy(() -> source(new SourceDescriptor<>("kafka", Map.of("bootstrap.servers", "h:9092",
                "topics", "a", "scan.startup.mode", "group-offsets")))).hasMessageContaining("needs 'group.id'");
        assertThatThrownBy(() -> source(new SourceDescriptor<>("kafka", Map.of("bootstrap.servers", "h:9092",
                "topics", "a", "topic", "b")))).hasMessageContaining("has no option 'topic'");
    }

    @Test
    void aSinkFromPlainStrings() {
        SinkSettings settings = sink(new SinkDescriptor<>("kafka", Map.of("bootstrap.servers", "h:9092",
                "topic", "out", "sink.delivery-guarantee", "exactly-once", "sink.transactional-id-prefix", "job-1",
                "sink.transaction-timeout", "10min", "properties.compression.type", "lz4")));
        assertThat(settings.guarantee()).isEqualTo(DeliveryGuarantee.EXACTLY_ONCE);
        assertThat(settings.transactionTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(settings.transactionalProperties("job-1-2-0-1")).containsEntry("transactional.id", "job-1-2-0-1")
                .containsEntry("transaction.timeout.ms", "600000").containsEntry("compression.type", "lz4");
    }

    @Test
    void exactlyOnceProducersBatchMoreUnlessTheJobSaysOtherwise() {
        SinkSettings defaults = sink(new SinkDescriptor<>("kafka", Map.of("bootstrap.servers", "h:9092",
                "topic", "out", "sink.delivery-guarantee", "exactly-once", "sink.transactional-id-prefix", "job-1")));
        assertThat(defaults.transactionalProperties("job-1-1-0-0")).containsEntry("batch.size", "262144")
                .containsEntry("linger.ms", "20");
        assertThat(defaults.producerProperties()).doesNotContainKeys("batch.size", "linger.ms");

        SinkSettings own = sink(new SinkDescriptor<>("kafka", Map.of("bootstrap.servers", "h:9092",
                "topic", "out", "sink.delivery-guarantee", "exactly-once", "sink.transactional-id-prefix", "job-1",
                "properties.batch.size", "16384", "properties.linger.ms", "0")));
        assertThat(own.transactionalProperties("job-1-1-0-0")).containsEntry("batch.size", "16384")
                .containsEntry("linger.ms", "0");
    }

    @Test
    void badSinkOptionsAreNamedWithTheirValues() {
        assertThatThrownBy(() -> sink(new SinkDescriptor<>("kafka", Map.of("bootstrap.servers", "h:9092",
                "topic", "out", "sink.delivery-guarantee", "exactly-once")))).hasMessageContaining("needs 'sink.transactional-id-prefix'");
        assertThatThrownBy(() -> sink(new SinkDescriptor<>("kafka", Map.of("bootstrap.servers", "h:9092",
                "topic", "out", "sink.delivery-guarantee", "twice")))).hasMessageContaining("but got 'twice'");
        assertThatThrownBy(() -> sink(new SinkDescriptor<>("kafka", Map.of("bootstrap.servers", "h:9092",
                "topic", "out", "properties.transactional.id", "mine")))).hasMessageContaining("sets 'transactional.id' itself");
        assertThatThrownBy(() -> sink(new SinkDescriptor<>("kafka", Map.of("bootstrap.servers", "h:9092",
                "topic", "out", "sink.transactional-id-pool-size", "1")))).hasMessageContaining("at least 2, but got 1");
    }

    /** The source's settings with the built-in formats only. */
    private static SourceSettings source(SourceDescriptor<?> descriptor) {
        return SourceSettings.of(descriptor, new Formats());
    }

    /** The sink's settings with the built-in formats only. */
    private static SinkSettings sink(SinkDescriptor<?> descriptor) {
        return SinkSettings.of(descriptor, new Formats());
    }
}
