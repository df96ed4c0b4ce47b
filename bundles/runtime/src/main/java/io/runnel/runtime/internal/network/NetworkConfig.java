package io.runnel.runtime.internal.network;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Settings of a TaskManager's data plane ({@link DataServer} and {@link DataClient}). The keys are
 * documented in the runtime's README; {@link #fromMap} reads them, {@link #defaults()} is what an
 * empty map gives.
 *
 * @param bindHost the address the data server listens on
 * @param port the data server's port; 0 picks a free one (see {@link DataServer#port()})
 * @param serverThreads network threads of the data server (accepting and reading connections)
 * @param clientThreads network threads of the data client (writing and reading credits)
 * @param connectTimeout how long one attempt to connect to another TaskManager may take
 * @param connectAttempts how often the client tries to connect before it gives up
 * @param connectRetryDelay the pause between two attempts
 * @param maxFrameBytes the largest frame (one serialized buffer of up to 512 records, plus a few
 *     bytes of header) either side accepts
 * @param shutdownTimeout how long closing a server or client waits for its threads to end
 */
public record NetworkConfig(String bindHost, int port, int serverThreads, int clientThreads, Duration connectTimeout,
        int connectAttempts, Duration connectRetryDelay, int maxFrameBytes, Duration shutdownTimeout) {

    public static final String BIND_HOST = "taskmanager.data.bind-host";
    public static final String PORT = "taskmanager.data.port";
    public static final String SERVER_THREADS = "taskmanager.network.netty.server.numThreads";
    public static final String CLIENT_THREADS = "taskmanager.network.netty.client.numThreads";
    public static final String CONNECT_TIMEOUT = "taskmanager.network.netty.client.connect-timeout";
    public static final String CONNECT_ATTEMPTS = "taskmanager.network.netty.client.connect-attempts";
    public static final String CONNECT_RETRY_DELAY = "taskmanager.network.netty.client.connect-retry-delay";
    public static final String MAX_FRAME_SIZE = "taskmanager.network.netty.max-frame-size";
    public static final String SHUTDOWN_TIMEOUT = "taskmanager.network.netty.shutdown-timeout";

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|min)?");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|kb|mb)?");

    public NetworkConfig {
        require(bindHost != null && !bindHost.isBlank(), BIND_HOST, bindHost, "a host name or address");
        require(port >= 0 && port <= 65535, PORT, port, "a port from 0 (any free port) to 65535");
        require(serverThreads >= 1, SERVER_THREADS, serverThreads, "at least 1");
        require(clientThreads >= 1, CLIENT_THREADS, clientThreads, "at least 1");
        require(connectTimeout != null && !connectTimeout.isNegative() && !connectTimeout.isZero(), CONNECT_TIMEOUT, connectTimeout, "positive");
        require(connectAttempts >= 1, CONNECT_ATTEMPTS, connectAttempts, "at least 1");
        require(connectRetryDelay != null && !connectRetryDelay.isNegative(), CONNECT_RETRY_DELAY, connectRetryDelay, "zero or positive");
        // A frame must at least hold an event buffer; anything smaller cannot carry a channel.
        require(maxFrameBytes >= 1024, MAX_FRAME_SIZE, maxFrameBytes, "at least 1 kb");
        require(shutdownTimeout != null && !shutdownTimeout.isNegative(), SHUTDOWN_TIMEOUT, shutdownTimeout, "zero or positive");
    }

    /** Loopback, any free port, one thread each way, five connection attempts 200 ms apart. */
    public static NetworkConfig defaults() {
        return fromMap(Map.of());
    }

    /**
     * Reads the data plane's keys; keys that are absent take their default, other keys are ignored.
     * Durations are a number with {@code ms}, {@code s} or {@code min} (milliseconds without a unit);
     * sizes a number with {@code b}, {@code kb} or {@code mb}.
     *
     * @throws IllegalArgumentException naming the key and the value that is wrong
     */
    public static NetworkConfig fromMap(Map<String, String> settings) {
        return new NetworkConfig(
                settings.getOrDefault(BIND_HOST, "127.0.0.1"),
                integer(settings, PORT, 0),
                integer(settings, SERVER_THREADS, 1),
                integer(settings, CLIENT_THREADS, 1),
                duration(settings, CONNECT_TIMEOUT, "10 s"),
                integer(settings, CONNECT_ATTEMPTS, 5),
                duration(settings, CONNECT_RETRY_DELAY, "200 ms"),
                size(settings, MAX_FRAME_SIZE, "64 mb"),
                duration(settings, SHUTDOWN_TIMEOUT, "5 s"));
    }

    /** The same settings with another port, for a deployer that has picked one. */
    public NetworkConfig withPort(int otherPort) {
        return new NetworkConfig(bindHost, otherPort, serverThreads, clientThreads, connectTimeout, connectAttempts,
                connectRetryDelay, maxFrameBytes, shutdownTimeout);
    }

    private static int integer(Map<String, String> settings, String key, int defaultValue) {
        String value = settings.get(key);
        if (value == null) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, not '" + value + "'");
        }
    }

    private static Duration duration(Map<String, String> settings, String key, String defaultValue) {
        String value = settings.getOrDefault(key, defaultValue);
        Matcher matcher = DURATION.matcher(value.trim().toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw new IllegalArgumentException(key + " must be a duration such as '500 ms', '10 s' or '1 min', not '"
                    + value + "'");
        }
        long amount = Long.parseLong(matcher.group(1));
        String unit = matcher.group(2) == null ? "ms" : matcher.group(2);
        return switch (unit) {
            case "s" -> Duration.ofSeconds(amount);
            case "min" -> Duration.ofMinutes(amount);
            default -> Duration.ofMillis(amount);
        };
    }

    private static int size(Map<String, String> settings, String key, String defaultValue) {
        String value = settings.getOrDefault(key, defaultValue);
        Matcher matcher = SIZE.matcher(value.trim().toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw new IllegalArgumentException(key + " must be a size such as '65536 b', '512 kb' or '64 mb', not '"
                    + value + "'");
        }
        long amount = Long.parseLong(matcher.group(1));
        String unit = matcher.group(2) == null ? "b" : matcher.group(2);
        long bytes = switch (unit) {
            case "kb" -> amount * 1024;
            case "mb" -> amount * 1024 * 1024;
            default -> amount;
        };
        if (bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(key + " must be below 2 GB (a frame is one byte array), not '" + value + "'");
        }
        return (int) bytes;
    }

    private static void require(boolean valid, String key, Object value, String expected) {
        if (!valid) {
            throw new IllegalArgumentException(key + " must be " + expected + ", not '" + value + "'");
        }
    }
}
