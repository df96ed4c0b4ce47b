package io.runnel.connectors.kafka.internal;

import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * The callback of every send of one writer: remembers the first failure, which the writer throws
 * on its next call on the task thread (Kafka calls back on its I/O thread).
 */
final class SendErrors implements Callback {

    private final String subtask;
    private final String topic;
    private volatile Exception first;

    SendErrors(String subtask, String topic) {
        this.subtask = subtask;
        this.topic = topic;
    }

    @Override
    public void onCompletion(RecordMetadata metadata, Exception exception) {
        if (exception != null && first == null) {
            first = exception;
        }
    }

    void throwIfFailed() {
        Exception failure = first;
        if (failure != null) {
            throw new IllegalStateException(subtask + ": writing to Kafka topic '" + topic + "' failed: " + failure.getMessage(),
                    failure);
        }
    }
}
