package io.runnel.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.CoreOptions.workingDirectory;

import io.runnel.api.stream.Sinks;
import io.runnel.api.stream.StreamJob;
import io.runnel.connectors.kafka.KafkaSink;
import io.runnel.connectors.kafka.KafkaSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.inject.Inject;
import org.apache.felix.service.command.CommandProcessor;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.ops4j.pax.exam.util.Filter;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * The kafka connector inside a Runnel node: its bundle (kafka-clients embedded) resolves and is
 * active in Felix with the node's bundles from runnel.jar, and a kafka-to-kafka job with the
 * exactly-once sink, run from the shell with checkpoints, copies every record of a real broker's
 * topic once (read back by a second job with the kafka source, which reads read_committed).
 *
 * <p>The broker (a JVM of its own) is started by {@link #config()} in the test JVM through
 * {@link KafkaItBroker}, which also writes the input; it is killed when the test JVM exits (its
 * shutdown hook), as Pax Exam offers no hook after the last test that runs outside the framework.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class KafkaInFelixIT {

    private static final long WAIT_MILLIS = 60_000;
    private static final int RECORDS = 500;
    private static final String BOOTSTRAP = "runnel.it.kafka.bootstrap";
    private static String bootstrap;

    @Inject
    private BundleContext context;

    @Inject
    @Filter(timeout = WAIT_MILLIS)
    private CommandProcessor commands;

    private NodeShell shell;

    @Before
    public void openShell() {
        shell = new NodeShell(commands, WAIT_MILLIS);
    }

    @Configuration
    public Option[] config() throws Exception {
        if (bootstrap == null) {
            bootstrap = KafkaItBroker.startWithInput(RECORDS);
        }
        Path work = Path.of(System.getProperty("runnel.itests.work", "target/it-work")).toAbsolutePath().resolve("paxexam-kafka");
        List<Option> options = new ArrayList<>();
        for (NodeBundles.Entry entry : NodeBundles.extract(Path.of(System.getProperty("runnel.launcher.jar")), work.resolve("bundles"))) {
            options.add(bundle(entry.url()).startLevel(entry.startLevel() > 0 && entry.startLevel() < 10 ? 1 : 4));
        }
        options.add(junitBundles());
        options.add(systemProperty(BOOTSTRAP).value(bootstrap));
        options.add(systemProperty("runnel.home").value(work.resolve("home").toString()));
        options.add(systemProperty("felix.fileinstall.dir").value(work.resolve("deploy").toString()));
        options.add(systemProperty("felix.fileinstall.log.level").value("0"));
        options.add(systemProperty("runnel.set.cluster.port").value(Integer.toString(NodeShell.freePort())));
        options.add(systemProperty("runnel.set.cluster.name").value("paxexam-kafka-" + ProcessHandle.current().pid()));
        options.add(systemProperty("runnel.set.node.id").value("paxexam-kafka-node"));
        options.add(systemProperty("runnel.set.taskmanager.numberOfTaskSlots").value("3"));
        options.add(systemProperty("gosh.args").value("--nointeractive"));
        options.add(systemProperty("hazelcast.logging.type").value("slf4j"));
        options.add(systemProperty("org.slf4j.simpleLogger.log.com.hazelcast").value("warn"));
        options.add(systemProperty("org.slf4j.simpleLogger.log.org.apache.kafka").value("warn"));
        options.add(workingDirectory(work.resolve("felix").toString()));
        return options.toArray(new Option[0]);
    }

    /** Copies felix-in to felix-out exactly once. */
    static final class CopyJob implements StreamJob {
        @Override
        public void build(io.runnel.api.stream.StreamEnvironment env, Map<String, String> parameters) {
            String bootstrap = parameters.get("bootstrap");
            env.fromSource(KafkaSource.strings().bootstrapServers(bootstrap).topics("felix-in").groupId("felix-copy")
                    .startFromEarliest().bounded().build(), "in")
                    .map(value -> value.toUpperCase(java.util.Locale.ROOT))
                    .sinkTo(KafkaSink.<String>strings().bootstrapServers(bootstrap).topic("felix-out")
                            .exactlyOnce("felix-copy").transactionTimeout(Duration.ofMinutes(5)).build(), "out");
        }
    }

    /** Reads felix-out (read_committed) into part files of a directory. */
    static final class CheckJob implements StreamJob {
        @Override
        public void build(io.runnel.api.stream.StreamEnvironment env, Map<String, String> parameters) {
            env.fromSource(KafkaSource.strings().bootstrapServers(parameters.get("bootstrap")).topics("felix-out")
                    .startFromEarliest().bounded().build(), "out")
                    .sinkTo(Sinks.files(parameters.get("output")), "files");
        }
    }

    private static final String LINE_SCHEMA = """
            {"type": "record", "name": "Line", "namespace": "io.runnel.itests", "fields": [{"name": "text", "type": "string"}]}""";

    /** Writes felix-in as Avro records to felix-avro, the format named by option only. */
    static final class ToAvroJob implements StreamJob {
        @Override
        public void build(io.runnel.api.stream.StreamEnvironment env, Map<String, String> parameters) {
            String bootstrap = parameters.get("bootstrap");
            String schemaFile = parameters.get("schema");
            org.apache.avro.Schema schema = new org.apache.avro.Schema.Parser().parse(LINE_SCHEMA);
            env.fromSource(KafkaSource.strings().bootstrapServers(bootstrap).topics("felix-in").startFromEarliest().bounded()
                            .build(), "in")
                    .map(value -> (Object) new org.apache.avro.generic.GenericRecordBuilder(schema).set("text", value).build())
                    .sinkTo(new io.runnel.api.stream.SinkDescriptor<>("kafka", Map.of("bootstrap.servers", bootstrap,
                            "topic", "felix-avro", "sink.delivery-guarantee", "exactly-once",
                            "sink.transactional-id-prefix", "felix-avro", "sink.transaction-timeout", "5min",
                            "value.format", "avro", "value.avro.schema-file", schemaFile)), "out");
        }
    }

    /** Reads felix-avro by name with the avro format into part files (the records' text field). */
    static final class FromAvroJob implements StreamJob {
        @Override
        public void build(io.runnel.api.stream.StreamEnvironment env, Map<String, String> parameters) {
            env.<Object>fromSource(new io.runnel.api.stream.SourceDescriptor<>("kafka", Map.of(
                            "bootstrap.servers", parameters.get("bootstrap"), "topics", "felix-avro",
                            "scan.startup.mode", "earliest-offset", "scan.bounded.mode", "latest-offset",
                            "value.format", "avro", "value.avro.schema-file", parameters.get("schema"))), "avro")
                    .map(record -> ((org.apache.avro.generic.GenericRecord) record).get("text").toString())
                    .sinkTo(Sinks.files(parameters.get("output")), "files");
        }
    }

    /**
     * The Avro bundle's {@code avro} format service reaches the kafka connector through DS, with no
     * import between the two bundles: a job names the format in its options only.
     */
    @Test
    public void avroByNameGoesThroughTheFormatService() throws Exception {
        shell.await("the avro record format service", () -> {
            try {
                return context.getServiceReferences("io.runnel.spi.format.RecordFormatFactory", "(runnel.format=avro)") != null;
            } catch (org.osgi.framework.InvalidSyntaxException e) {
                throw new AssertionError(e);
            }
        });
        String bootstrap = System.getProperty(BOOTSTRAP);
        Path schema = Files.createTempFile("runnel-it-line", ".avsc");
        Files.writeString(schema, LINE_SCHEMA);
        List<ServiceRegistration<?>> jobs = new ArrayList<>();
        jobs.add(context.registerService(StreamJob.class, new ToAvroJob(), new Hashtable<>(Map.of(StreamJob.NAME, "to-avro"))));
        jobs.add(context.registerService(StreamJob.class, new FromAvroJob(), new Hashtable<>(Map.of(StreamJob.NAME, "from-avro"))));
        try {
            shell.awaitFinished(NodeShell.startedJob(shell.run("runnel:run to-avro 1 bootstrap=" + bootstrap + " schema=" + schema
                    + " execution.checkpointing.interval=200ms")));
            Path output = Files.createTempDirectory("runnel-it-avro");
            shell.awaitFinished(NodeShell.startedJob(shell.run("runnel:run from-avro 1 bootstrap=" + bootstrap + " schema=" + schema
                    + " output=" + output)));
            assertEquals(inputWith("f"), sortedLines(output));
        } finally {
            jobs.forEach(ServiceRegistration::unregister);
        }
    }

    @Test
    public void theKafkaBundleIsActiveWithItsSourceAndSink() {
        Bundle kafka = Stream.of(context.getBundles()).filter(b -> "io.runnel.connectors.kafka".equals(b.getSymbolicName()))
                .findFirst().orElseThrow(() -> new AssertionError("io.runnel.connectors.kafka is not installed"));
        assertEquals(Bundle.ACTIVE, kafka.getState());
        shell.await("the kafka source and sink services", () -> {
            try {
                return context.getServiceReferences("io.runnel.spi.connector.SourceProvider", "(runnel.connector=kafka)") != null
                        && context.getServiceReferences("io.runnel.spi.connector.SinkProvider", "(runnel.connector=kafka)") != null;
            } catch (org.osgi.framework.InvalidSyntaxException e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    public void aKafkaToKafkaJobWithCheckpointsCopiesEveryRecordOnce() throws Exception {
        String bootstrap = System.getProperty(BOOTSTRAP);
        List<ServiceRegistration<?>> jobs = new ArrayList<>();
        jobs.add(context.registerService(StreamJob.class, new CopyJob(), new Hashtable<>(Map.of(StreamJob.NAME, "kafka-copy"))));
        jobs.add(context.registerService(StreamJob.class, new CheckJob(), new Hashtable<>(Map.of(StreamJob.NAME, "kafka-check"))));
        try {
            String copy = NodeShell.startedJob(shell.run("runnel:run kafka-copy 2 bootstrap=" + bootstrap
                    + " execution.checkpointing.interval=200ms"));
            shell.awaitFinished(copy);
            Path output = Files.createTempDirectory("runnel-it-kafka");
            String check = NodeShell.startedJob(shell.run("runnel:run kafka-check 1 bootstrap=" + bootstrap + " output=" + output));
            shell.awaitFinished(check);
            assertEquals(inputWith("F"), sortedLines(output));
        } finally {
            jobs.forEach(ServiceRegistration::unregister);
        }
    }

    /** The lines of the part files a file sink wrote into {@code output}, sorted. */
    private static List<String> sortedLines(Path output) throws java.io.IOException {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> files = Files.list(output)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("part-")).toList()) {
                lines.addAll(Files.readAllLines(file, StandardCharsets.UTF_8));
            }
        }
        lines.sort(null);
        return lines;
    }

    /** The input's values ({@code f0}, {@code f1}, ...) with {@code prefix} for their f, sorted. */
    private static List<String> inputWith(String prefix) {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < RECORDS; i++) {
            expected.add(prefix + i);
        }
        expected.sort(null);
        return expected;
    }
}
