package io.runnel.itests;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One Runnel node started as its own process through the {@code runnel} script, as a user would.
 * Its output is kept in memory for assertions and copied to {@code <work>/<name>.log}.
 * Every wait is bounded; {@link #close()} kills the process if it still runs.
 */
final class NodeProcess implements AutoCloseable {

    /** Node JVM options of the tests: small heaps; kafka-clients logs every client's whole configuration at INFO, so only its warnings. */
    private static final String JAVA_OPTIONS = "-Xmx256m -XX:+UseSerialGC -Dorg.slf4j.simpleLogger.log.org.apache.kafka=warn";

    private final String name;
    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Thread reader;

    private NodeProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.reader = new Thread(() -> copyOutput(log), "output-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    /** Runs {@code ./runnel start <args>} with the node's data and deploy directories under {@code work}. */
    static NodeProcess start(String name, Path work, String... args) throws IOException {
        Path nodeDir = work.resolve(name);
        Files.createDirectories(nodeDir.resolve("deploy"));
        List<String> all = new ArrayList<>(List.of("start", "--data", nodeDir.resolve("data").toString(),
                "--deploy", nodeDir.resolve("deploy").toString()));
        all.addAll(List.of(args));
        return command(name, work, all.toArray(new String[0]));
    }

    /** Runs {@code ./runnel <args>} (any command), its output kept under {@code work}. */
    static NodeProcess command(String name, Path work, String... args) throws IOException {
        return commandWithJavaOptions(name, work, JAVA_OPTIONS, args);
    }

    /**
     * Like {@link #start}, with the node's Gogo shell reading the commands {@link #shell} sends
     * (the script turns the shell off without a terminal; a later {@code -Dgosh.args} wins).
     */
    static NodeProcess startWithShell(String name, Path work, String... args) throws IOException {
        Path nodeDir = work.resolve(name);
        Files.createDirectories(nodeDir.resolve("deploy"));
        List<String> all = new ArrayList<>(List.of("start", "--data", nodeDir.resolve("data").toString(),
                "--deploy", nodeDir.resolve("deploy").toString()));
        all.addAll(List.of(args));
        return commandWithJavaOptions(name, work, JAVA_OPTIONS + " -Dgosh.args=--noshutdown", all.toArray(new String[0]));
    }

    /** Sends one command line to the node's shell (see {@link #startWithShell}). */
    void shell(String command) throws IOException {
        process.getOutputStream().write((command + "\n").getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().flush();
    }

    /** Like {@link #command}, with the node JVM's options ({@code RUNNEL_JAVA_OPTS}) given. */
    static NodeProcess commandWithJavaOptions(String name, Path work, String javaOptions, String... args) throws IOException {
        Path root = Path.of(System.getProperty("runnel.root", "../..")).toAbsolutePath().normalize();
        Files.createDirectories(work);
        List<String> command = new ArrayList<>(List.of("bash", root.resolve("runnel").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("RUNNEL_NO_BUILD", "1");
        builder.environment().put("RUNNEL_JAVA_OPTS", javaOptions);
        return new NodeProcess(name, builder.start(), work.resolve(name + ".log"));
    }

    String name() {
        return name;
    }

    Path deployDir(Path work) {
        return work.resolve(name).resolve("deploy");
    }

    /** Waits until some output line matches; fails with the node's recent output otherwise. */
    String awaitLine(String what, Predicate<String> matching, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        int checked = 0;
        while (System.nanoTime() < deadline) {
            List<String> snapshot = List.copyOf(lines);
            for (int i = checked; i < snapshot.size(); i++) {
                if (matching.test(snapshot.get(i))) {
                    return snapshot.get(i);
                }
            }
            checked = snapshot.size();
            if (!process.isAlive() && checked == lines.size()) {
                throw new AssertionError(name + " exited with status " + process.exitValue() + " before " + what
                        + "\n" + tail());
            }
            sleep(100);
        }
        throw new AssertionError(name + ": no " + what + " within " + within.toSeconds() + " s\n" + tail());
    }

    /** Waits until the node's latest status line satisfies {@code condition}. */
    String awaitStatus(String what, Predicate<String> condition, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<String> status = latestStatus();
            if (status.isPresent() && condition.test(status.get())) {
                return status.get();
            }
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with status " + process.exitValue() + " before " + what + "\n" + tail());
            }
            sleep(100);
        }
        throw new AssertionError(name + ": status never showed " + what + " within " + within.toSeconds() + " s\n" + tail());
    }

    Optional<String> latestStatus() {
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (lines.get(i).startsWith("runnel status |")) {
                return Optional.of(lines.get(i));
            }
        }
        return Optional.empty();
    }

    boolean contains(String text) {
        return lines.stream().anyMatch(l -> l.contains(text));
    }

    /** SIGKILL: no shutdown hook runs, the node just vanishes from the cluster. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Waits for the process to end by itself and returns its exit status. */
    int awaitExit(Duration within) throws InterruptedException {
        if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(name + " still runs after " + within.toSeconds() + " s\n" + tail());
        }
        reader.join(5000);
        return process.exitValue();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String output() {
        return String.join("\n", lines);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }

    private String tail() {
        List<String> snapshot = List.copyOf(lines);
        return "--- last output of " + name + " ---\n"
                + String.join("\n", snapshot.subList(Math.max(0, snapshot.size() - 40), snapshot.size()));
    }

    private void copyOutput(Path log) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true)) {
            String line;
            while ((line = in.readLine()) != null) {
                lines.add(line);
                out.println(line);
            }
        } catch (IOException e) {
            lines.add("(output of " + name + " could not be read further: " + e + ")");
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
