package io.runnel.api.serialization;

/**
 * Bytes that are not a record of the expected format. The message says what was wrong, in terms a
 * user can check against the producer (the bytes' first values, the schema fingerprint found).
 */
public class MalformedRecordException extends Exception {

    private static final long serialVersionUID = 1L;

    public MalformedRecordException(String message) {
        super(message);
    }

    public MalformedRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
