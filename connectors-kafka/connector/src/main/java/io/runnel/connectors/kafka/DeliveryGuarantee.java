package io.runnel.connectors.kafka;

import java.util.Locale;

/** What the Kafka sink promises about its output after failures. */
public enum DeliveryGuarantee {
    /** Records are sent and not waited for: a failure can lose what was not yet acknowledged. */
    NONE,
    /** Every record sent before a checkpoint is acknowledged at its barrier: nothing is lost, a restart may repeat records. */
    AT_LEAST_ONCE,
    /**
     * One Kafka transaction per subtask and checkpoint, committed when the checkpoint completes:
     * {@code read_committed} consumers see every record once. Needs checkpoints.
     */
    EXACTLY_ONCE;

    /** The option value: {@code none}, {@code at-least-once}, {@code exactly-once}. */
    public String optionValue() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * @throws IllegalArgumentException naming the value and the accepted ones
     */
    public static DeliveryGuarantee fromOption(String value) {
        for (DeliveryGuarantee guarantee : values()) {
            if (guarantee.optionValue().equalsIgnoreCase(value.trim()) || guarantee.name().equalsIgnoreCase(value.trim())) {
                return guarantee;
            }
        }
        throw new IllegalArgumentException("'" + KafkaOptions.DELIVERY_GUARANTEE + "' must be none, at-least-once or "
                + "exactly-once, but got '" + value + "'");
    }
}
