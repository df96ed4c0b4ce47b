package io.runnel.api;

import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Identifies one job for its whole life, across restarts and JobManager fail-overs.
 *
 * <p>The value is 32 lower-case hexadecimal characters, the form Flink users know from job ids.
 *
 * @param value the 32 hexadecimal characters
 */
public record JobId(String value) {

    private static final Pattern HEX32 = Pattern.compile("[0-9a-f]{32}");

    /**
     * @throws IllegalArgumentException if {@code value} is not 32 lower-case hexadecimal characters
     */
    public JobId {
        Objects.requireNonNull(value, "value");
        if (!HEX32.matcher(value).matches()) {
            throw new IllegalArgumentException(
                    "A job id is 32 lower-case hexadecimal characters, but got '" + value + "'");
        }
    }

    /** Returns a new random job id. */
    public static JobId generate() {
        UUID uuid = UUID.randomUUID();
        return new JobId(String.format("%016x%016x", uuid.getMostSignificantBits(), uuid.getLeastSignificantBits()));
    }

    @Override
    public String toString() {
        return value;
    }
}
