package io.runnel.connectors.kafka.internal;

import io.runnel.api.serialization.RecordDeserializer;
import io.runnel.api.serialization.RecordSerializer;
import java.nio.charset.StandardCharsets;

/** The formats a descriptor can name ({@code string}, {@code bytes}) as serializers and deserializers. */
final class Formats {

    private Formats() {}

    static RecordDeserializer<?> deserializer(String format) {
        return switch (format) {
            case "string" -> bytes -> bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
            case "bytes" -> bytes -> bytes;
            default -> throw new IllegalArgumentException("unknown format '" + format + "'");
        };
    }

    static RecordSerializer<Object> serializer(String format) {
        return switch (format) {
            case "string" -> record -> record == null ? null : record.toString().getBytes(StandardCharsets.UTF_8);
            case "bytes" -> record -> {
                if (record == null || record instanceof byte[]) {
                    return (byte[]) record;
                }
                throw new IllegalArgumentException("the bytes format writes byte[] records, but got a " + record.getClass().getName());
            };
            default -> throw new IllegalArgumentException("unknown format '" + format + "'");
        };
    }
}
