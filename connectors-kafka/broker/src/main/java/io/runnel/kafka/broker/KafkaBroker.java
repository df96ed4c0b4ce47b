package io.runnel.kafka.broker;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * A real single-node Kafka broker (KRaft, broker and controller in one process) listening on
 * 127.0.0.1, run in a JVM of its own from the {@code org.apache.kafka:kafka_2.13} classpath that
 * this module resolved at build time. Its data lives in a temporary directory that {@link #close()}
 * deletes after killing the process.
 *
 * <pre>
 * try (KafkaBroker broker = KafkaBroker.builder().start()) {
 *     String bootstrap = broker.bootstrapServers(); // "127.0.0.1:PORT"
 * }
 * </pre>
 *
 * <p>Replication factors and minimum in-sync replicas of Kafka's internal topics are 1, so
 * transactions and consumer groups work on this one node. Every wait is bounded: {@link
 * Builder#start()} gives up after {@link Builder#startTimeout} with the tail of the broker's log.
 * A JVM shutdown hook kills the broker if the caller never closes it.
 *
 * <p>Thread safety: {@link #close()} may be called from any thread, more than once.
 */
public final class KafkaBroker implements AutoCloseable {

    /** Heap of the broker JVM: enough for tests and a demo, small enough for a 2-core CI machine. */
    public static final String DEFAULT_HEAP = "512m";

    private final Process process;
    private final Path directory;
    private final int port;
    private final Thread shutdownHook;
    private volatile boolean closed;

    private KafkaBroker(Process process, Path directory, int port) {
        this.process = process;
        this.directory = directory;
        this.port = port;
        this.shutdownHook = new Thread(this::stopQuietly, "kafka-broker-stop-" + port);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts a broker on a free port with the defaults. */
    public static KafkaBroker start() throws IOException {
        return builder().start();
    }

    /**
     * Whether a Kafka broker answers at {@code bootstrapServers} within {@code timeout} (an AdminClient
     * sees at least one node), for tools that use a running broker (such as {@code ./runnel kafka-dev}'s
     * on 127.0.0.1:9092) when there is one and start their own otherwise.
     */
    public static boolean answers(String bootstrapServers, Duration timeout) {
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(timeout.toMillis()));
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(timeout.toMillis()));
        // One attempt: a closed port must not make the client retry its connection for long.
        config.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "1000");
        try (Admin admin = Admin.create(config)) {
            return !admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis())).nodes()
                    .get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS).isEmpty();
        } catch (Exception notThere) {
            return false;
        }
    }

    /** {@code 127.0.0.1:PORT}, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** The broker's working directory (configuration, data, log); deleted on {@link #close()}. */
    public Path directory() {
        return directory;
    }

    /** The broker's own log (stdout and stderr of its JVM), for messages of failing tests. */
    public String logTail(int lines) {
        return tail(directory.resolve("broker.log"), lines);
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    /**
     * Kills the broker process (SIGKILL, after up to 5 s for a clean shutdown) and deletes its
     * directory.
     */
    @Override
    public void close() {
        stopQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running or has run: it stops the broker either way.
        }
    }

    private synchronized void stopQuietly() {
        if (closed) {
            return;
        }
        closed = true;
        stopProcess(process, Duration.ofSeconds(5));
        deleteRecursively(directory);
    }

    private static void stopProcess(Process process, Duration grace) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Configures and starts a broker. */
    public static final class Builder {
        private int port;
        private String heap = DEFAULT_HEAP;
        private boolean longRunning;
        private Duration startTimeout = Duration.ofSeconds(90);
        private Path parentDirectory;
        private final Map<String, String> properties = new LinkedHashMap<>();

        private Builder() {}

        /** The client port on 127.0.0.1; 0 (the default) picks a free one. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("A broker port must be 0 (any free port) or 1-65535, but got " + port);
            }
            this.port = port;
            return this;
        }

        /** A broker setting of {@code server.properties}, e.g. {@code transaction.max.timeout.ms}; overrides the defaults. */
        public Builder brokerProperty(String key, String value) {
            properties.put(key, value);
            return this;
        }

        /** Maximum heap of the broker JVM ({@code -Xmx}), default {@value KafkaBroker#DEFAULT_HEAP}. */
        public Builder heap(String heap) {
            this.heap = heap;
            return this;
        }

        /**
         * Tunes the broker JVM for a long run instead of a fast start: both JIT compilers and G1, as
         * a production broker runs. The default (C1 only, serial GC) starts a second or two faster
         * and uses less CPU while starting, which suits tests; under sustained load it spends
         * several times the CPU per record, so benchmarks and the {@code kafka-dev} broker use this.
         */
        public Builder longRunning() {
            this.longRunning = true;
            return this;
        }

        /** How long {@link #start()} waits for the broker to answer, default 90 s. */
        public Builder startTimeout(Duration timeout) {
            this.startTimeout = timeout;
            return this;
        }

        /** Where the temporary broker directory is made; default the system's temporary directory. */
        public Builder parentDirectory(Path parent) {
            this.parentDirectory = parent;
            return this;
        }

        /**
         * Formats the storage, starts the broker and waits until an AdminClient sees it.
         *
         * @throws IOException if the port is taken, a jar of the broker's classpath is missing, or the broker
         *     does not come up within the start timeout (the message holds the tail of its log)
         */
        public KafkaBroker start() throws IOException {
            int clientPort = port == 0 ? freePort() : checkFree(port);
            int controllerPort = freePort();
            Path dir = parentDirectory == null ? Files.createTempDirectory("runnel-kafka-")
                    : Files.createTempDirectory(Files.createDirectories(parentDirectory), "runnel-kafka-");
            Process process = null;
            boolean started = false;
            try {
                String classpath = BrokerClasspath.resolve();
                Path config = writeConfig(dir, clientPort, controllerPort);
                format(dir, classpath, config);
                process = java(dir, classpath, longRunning, "kafka.Kafka", config.toString())
                        .redirectOutput(dir.resolve("broker.log").toFile())
                        .start();
                awaitReady(process, dir, clientPort);
                started = true;
                return new KafkaBroker(process, dir, clientPort);
            } finally {
                if (!started) {
                    if (process != null) {
                        stopProcess(process, Duration.ofSeconds(2));
                    }
                    deleteRecursively(dir);
                }
            }
        }

        private Path writeConfig(Path dir, int clientPort, int controllerPort) throws IOException {
            Map<String, String> config = new LinkedHashMap<>();
            config.put("process.roles", "broker,controller");
            config.put("node.id", "1");
            config.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
            config.put("listeners", "PLAINTEXT://127.0.0.1:" + clientPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
            config.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + clientPort);
            config.put("controller.listener.names", "CONTROLLER");
            config.put("inter.broker.listener.name", "PLAINTEXT");
            config.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
            config.put("log.dirs", dir.resolve("data").toString());
            config.put("num.partitions", "1");
            // One node: every internal topic has one replica.
            config.put("offsets.topic.replication.factor", "1");
            config.put("transaction.state.log.replication.factor", "1");
            config.put("transaction.state.log.min.isr", "1");
            config.put("share.coordinator.state.topic.replication.factor", "1");
            config.put("share.coordinator.state.topic.min.isr", "1");
            // Tests start consumer groups often; waiting for more members only slows them down.
            config.put("group.initial.rebalance.delay.ms", "0");
            config.putAll(properties);
            StringBuilder text = new StringBuilder("# Written by io.runnel.kafka.broker.KafkaBroker\n");
            config.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
            Path file = dir.resolve("server.properties");
            Files.writeString(file, text.toString());
            Files.writeString(dir.resolve("log4j2.properties"), """
                    rootLogger.level = WARN
                    rootLogger.appenderRef.out.ref = out
                    appender.out.type = Console
                    appender.out.name = out
                    appender.out.layout.type = PatternLayout
                    appender.out.layout.pattern = [%d] %p %m (%c)%n
                    logger.kafka.name = kafka.server.KafkaRaftServer
                    logger.kafka.level = INFO
                    """);
            return file;
        }

        private void format(Path dir, String classpath, Path config) throws IOException {
            Path log = dir.resolve("format.log");
            Process format = java(dir, classpath, false, "kafka.tools.StorageTool", "format", "-t", clusterId(), "-c",
                    config.toString()).redirectOutput(log.toFile()).start();
            try {
                if (!format.waitFor(startTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    format.destroyForcibly();
                    throw new IOException("Formatting the Kafka storage in " + dir + " took more than " + startTimeout
                            + ":\n" + tail(log, 30));
                }
            } catch (InterruptedException e) {
                format.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("Interrupted while formatting the Kafka storage", e);
            }
            if (format.exitValue() != 0) {
                throw new IOException("Formatting the Kafka storage failed (exit " + format.exitValue() + "):\n" + tail(log, 30));
            }
        }

        private ProcessBuilder java(Path dir, String classpath, boolean tuned, String mainClass, String... arguments) {
            List<String> command = new ArrayList<>();
            command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
            command.add("-Xmx" + heap);
            command.add("-Xms64m");
            if (!tuned) {
                command.add("-XX:+UseSerialGC"); // one GC thread: CI machines have 2 cores
                command.add("-XX:TieredStopAtLevel=1"); // starts faster; a test broker never runs long
            }
            command.add("-Dlog4j2.configurationFile=" + dir.resolve("log4j2.properties").toUri());
            command.add("-cp");
            command.add(classpath);
            command.add(mainClass);
            command.addAll(List.of(arguments));
            return new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        }

        private void awaitReady(Process process, Path dir, int clientPort) throws IOException {
            long deadline = System.nanoTime() + startTimeout.toNanos();
            // First the port: an AdminClient made earlier would only log connection failures meanwhile.
            while (!accepts(clientPort)) {
                checkAlive(process, dir);
                if (System.nanoTime() > deadline) {
                    throw new IOException("The Kafka broker did not listen on 127.0.0.1:" + clientPort + " within " + startTimeout
                            + ":\n" + tail(dir.resolve("broker.log"), 40));
                }
                sleep(200);
            }
            Properties config = new Properties();
            config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + clientPort);
            config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
            config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "2000");
            Exception last = null;
            try (Admin admin = Admin.create(config)) {
                while (System.nanoTime() < deadline) {
                    checkAlive(process, dir);
                    try {
                        if (!admin.describeCluster(new DescribeClusterOptions().timeoutMs(2000)).nodes()
                                .get(3, TimeUnit.SECONDS).isEmpty()) {
                            return;
                        }
                    } catch (Exception notYet) {
                        last = notYet;
                    }
                    sleep(200);
                }
            }
            throw new IOException("The Kafka broker on 127.0.0.1:" + clientPort + " did not answer within " + startTimeout
                    + " (last error: " + last + "):\n" + tail(dir.resolve("broker.log"), 40));
        }

        private static void checkAlive(Process process, Path dir) throws IOException {
            if (!process.isAlive()) {
                throw new IOException("The Kafka broker exited with status " + process.exitValue() + " while starting:\n"
                        + tail(dir.resolve("broker.log"), 40));
            }
        }
    }

    /** A random cluster id as Kafka writes them: 16 bytes, URL-safe Base64 without padding, not starting with '-'. */
    static String clusterId() {
        while (true) {
            UUID uuid = UUID.randomUUID();
            byte[] bytes = new byte[16];
            for (int i = 0; i < 8; i++) {
                bytes[i] = (byte) (uuid.getMostSignificantBits() >>> (56 - 8 * i));
                bytes[8 + i] = (byte) (uuid.getLeastSignificantBits() >>> (56 - 8 * i));
            }
            String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            if (!id.startsWith("-")) {
                return id;
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    private static int checkFree(int port) throws IOException {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return port;
        } catch (IOException e) {
            throw new IOException("Port " + port + " on 127.0.0.1 is taken (is a Kafka broker running there already?): "
                    + "stop what uses it, or pick another port", e);
        }
    }

    private static boolean accepts(int port) {
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while waiting for the Kafka broker", e);
        }
    }

    static String tail(Path file, int lines) {
        try {
            if (!Files.exists(file)) {
                return "(no log at " + file + ")";
            }
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }

    static void deleteRecursively(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (IOException e) {
            System.err.println("Could not delete the Kafka broker directory " + directory + ": " + e);
        }
    }

    /** Loads a resource of this package, for {@link BrokerClasspath}. */
    static InputStream resource(String name) {
        return KafkaBroker.class.getResourceAsStream(name);
    }
}
