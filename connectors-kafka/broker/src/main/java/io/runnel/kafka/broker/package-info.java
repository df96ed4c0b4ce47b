/**
 * A real Kafka broker for tests and demos: {@link io.runnel.kafka.broker.KafkaBroker} starts one
 * (KRaft, one node, 127.0.0.1, its own JVM), {@link io.runnel.kafka.broker.KafkaBrokerExtension}
 * gives a JUnit 5 test class one, and {@link io.runnel.kafka.broker.KafkaDevBroker} is
 * {@code ./runnel kafka-dev}.
 */
package io.runnel.kafka.broker;
