package io.runnel.connectors.kafka.internal;

import io.runnel.api.serialization.RecordDeserializer;
import io.runnel.api.serialization.RecordSerializer;
import io.runnel.spi.format.RecordFormatFactory;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The formats a descriptor can name for keys and values ({@code key.format}, {@code value.format}):
 * {@code string} and {@code bytes} built in, and every {@link RecordFormatFactory} service the
 * providers were given ({@code avro} from the Avro bundle). A plugged format's options are the
 * descriptor's {@code <key|value>.<format>.*} parameters, passed without that prefix.
 *
 * <p>Thread-safe: formats come and go as their bundles do while jobs are submitted.
 */
final class Formats {

    static final String STRING = "string";
    static final String BYTES = "bytes";

    private final Map<String, RecordFormatFactory> plugged = new ConcurrentHashMap<>();

    /** The {@value RecordFormatFactory#FORMAT} property of a format service, lower case. */
    static String nameOf(Map<String, Object> properties) {
        return String.valueOf(properties.get(RecordFormatFactory.FORMAT)).trim().toLowerCase(Locale.ROOT);
    }

    void add(String name, RecordFormatFactory factory) {
        plugged.put(name, factory);
    }

    void remove(String name, RecordFormatFactory factory) {
        plugged.remove(name, factory);
    }

    /** The format a side uses, lower case, or {@code fallback} (which may be null) when none is named. */
    static String named(Parameters parameters, String formatOption, String fallback) {
        String name = parameters.string(formatOption, fallback);
        return name == null ? null : name.trim().toLowerCase(Locale.ROOT);
    }

    /** The option prefix of a plugged format on one side ({@code value.avro.}), or null for a built-in one. */
    static String optionPrefix(String side, String format) {
        return format == null || format.equals(STRING) || format.equals(BYTES) ? null : side + "." + format + ".";
    }

    RecordDeserializer<Object> deserializer(Parameters parameters, String side, String format) {
        return switch (format) {
            case STRING -> bytes -> bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
            case BYTES -> bytes -> bytes;
            default -> {
                RecordFormatFactory factory = factory(parameters, side, format);
                Map<String, String> options = options(parameters, side, format);
                factory.validateOptions(options);
                yield factory.createDeserializer(options);
            }
        };
    }

    RecordSerializer<Object> serializer(Parameters parameters, String side, String format) {
        return switch (format) {
            case STRING -> record -> record == null ? null : record.toString().getBytes(StandardCharsets.UTF_8);
            case BYTES -> record -> {
                if (record == null || record instanceof byte[]) {
                    return (byte[]) record;
                }
                throw new IllegalArgumentException("the bytes format writes byte[] records, but got a " + record.getClass().getName());
            };
            default -> {
                RecordFormatFactory factory = factory(parameters, side, format);
                Map<String, String> options = options(parameters, side, format);
                factory.validateOptions(options);
                yield factory.createSerializer(options);
            }
        };
    }

    private RecordFormatFactory factory(Parameters parameters, String side, String format) {
        RecordFormatFactory factory = plugged.get(format);
        if (factory == null) {
            Set<String> known = new TreeSet<>(plugged.keySet());
            known.add(STRING);
            known.add(BYTES);
            throw new IllegalArgumentException(parameters.role() + " has no format '" + format + "' for '" + side
                    + ".format'; the formats installed are " + known + ". A format comes from a bundle registering a "
                    + "RecordFormatFactory with " + RecordFormatFactory.FORMAT + "=" + format
                    + " (avro: the io.runnel.types.avro bundle)");
        }
        return factory;
    }

    private static Map<String, String> options(Parameters parameters, String side, String format) {
        Map<String, String> options = new HashMap<>();
        String prefix = optionPrefix(side, format);
        for (String key : parameters.keys()) {
            if (key.startsWith(prefix)) {
                options.put(key.substring(prefix.length()), parameters.string(key, null));
            }
        }
        return options;
    }
}
