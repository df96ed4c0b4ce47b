package io.runnel.kafka.broker;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The broker JVM's classpath: the jars of {@code org.apache.kafka:kafka_2.13} as this module's build
 * resolved them ({@code kafka-classpath.txt}). When the build's local Maven repository is not where
 * the jars are now (the module is used from another machine or repository), each path is re-rooted
 * on {@code runnel.kafka.repository}, else {@code maven.repo.local}, else {@code ~/.m2/repository}.
 */
final class BrokerClasspath {

    /** System property: a complete classpath for the broker JVM, used as is. */
    static final String CLASSPATH_PROPERTY = "runnel.kafka.classpath";
    /** System property: the local Maven repository holding the broker's jars. */
    static final String REPOSITORY_PROPERTY = "runnel.kafka.repository";

    private BrokerClasspath() {}

    static String resolve() throws IOException {
        String given = System.getProperty(CLASSPATH_PROPERTY);
        if (given != null && !given.isBlank()) {
            return given;
        }
        Properties build = new Properties();
        try (InputStream in = KafkaBroker.resource("kafka-broker.properties")) {
            if (in == null) {
                throw new IOException("kafka-broker.properties is missing from the broker jar: rebuild io.runnel.kafka.broker");
            }
            build.load(in);
        }
        String text;
        try (InputStream in = KafkaBroker.resource("kafka-classpath.txt")) {
            if (in == null) {
                throw new IOException("kafka-classpath.txt is missing from the broker jar: rebuild io.runnel.kafka.broker "
                        + "with Maven (its maven-dependency-plugin writes it)");
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
        Path buildRepository = Path.of(build.getProperty("build.repository"));
        Path repository = localRepository();
        List<String> jars = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String entry : text.split(File.pathSeparator)) {
            Path jar = Path.of(entry);
            if (!Files.exists(jar) && jar.startsWith(buildRepository)) {
                jar = repository.resolve(buildRepository.relativize(jar));
            }
            if (Files.exists(jar)) {
                jars.add(jar.toString());
            } else {
                missing.add(jar.toString());
            }
        }
        if (!missing.isEmpty()) {
            throw new IOException("The Kafka broker's classpath has " + missing.size() + " missing jar(s), first " + missing.get(0)
                    + ". Fetch them with: mvn dependency:get -Dartifact=org.apache.kafka:kafka_2.13:"
                    + build.getProperty("kafka.version") + " (or set -D" + REPOSITORY_PROPERTY
                    + "=<local Maven repository> if they are elsewhere)");
        }
        return String.join(File.pathSeparator, jars);
    }

    private static Path localRepository() {
        for (String property : new String[] {REPOSITORY_PROPERTY, "maven.repo.local"}) {
            String value = System.getProperty(property);
            if (value != null && !value.isBlank()) {
                return Path.of(value);
            }
        }
        return Path.of(System.getProperty("user.home"), ".m2", "repository");
    }
}
