/**
 * The Kafka connector's public API: builders that make the {@code kafka} source and sink
 * descriptors ({@link io.runnel.connectors.kafka.KafkaSource}, {@link io.runnel.connectors.kafka.KafkaSink}),
 * the names of their options for descriptors given by name ({@link io.runnel.connectors.kafka.KafkaOptions}), and
 * the record type of a source that emits keys and metadata ({@link io.runnel.connectors.kafka.KafkaRecord}).
 * No Kafka class appears here: kafka-clients is private to the bundle.
 */
@Export
@Version("1.0.0")
package io.runnel.connectors.kafka;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
