/**
 * The Kafka source and sink: DS components registered as the {@code kafka} connector, readers and
 * writers over the embedded kafka-clients, and the transaction bookkeeping of the exactly-once sink.
 * Every Kafka client is made by {@link io.runnel.connectors.kafka.internal.KafkaClients}.
 */
package io.runnel.connectors.kafka.internal;
