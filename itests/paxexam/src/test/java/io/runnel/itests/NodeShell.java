package io.runnel.itests;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;

/**
 * The node's {@code runnel:*} Gogo commands as a test inside the framework runs them, and bounded
 * waits on what they answer. {@link #freePort} also serves the test's configuration, outside.
 */
final class NodeShell {

    private static final List<String> ENDED = List.of("FINISHED", "CANCELED", "FAILED");

    private final CommandProcessor commands;
    private final long waitMillis;

    /** @param waitMillis the longest any {@link #await} waits */
    NodeShell(CommandProcessor commands, long waitMillis) {
        this.commands = commands;
        this.waitMillis = waitMillis;
    }

    /** Runs {@code command} and returns what it printed followed by its result. */
    String run(String command) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CommandSession session = commands.createSession(new ByteArrayInputStream(new byte[0]), out, out);
        try {
            Object result = session.execute(command);
            return out.toString(StandardCharsets.UTF_8) + (result == null ? "" : result.toString());
        } finally {
            session.close();
        }
    }

    /**
     * The job id in runnel:run's answer. The answer may follow lines the job printed already: threads
     * a command starts inherit its session's output.
     */
    static String startedJob(String output) {
        return output.lines().filter(line -> line.startsWith("started job ")).findFirst()
                .map(line -> line.split(" ")[2])
                .orElseThrow(() -> new AssertionError("runnel:run did not start a job: " + output));
    }

    /** The STATUS column of {@code job}'s row in runnel:jobs, or null if it has none. */
    String statusOf(String job) {
        try {
            return run("runnel:jobs").lines().filter(line -> line.startsWith(job + " ")).findFirst()
                    .map(line -> line.trim().split("\\s+")[2]).orElse(null);
        } catch (Exception e) {
            throw new AssertionError("runnel:jobs failed", e);
        }
    }

    /** Waits for {@code job} to end and returns its final status. */
    String awaitEnd(String job) {
        await("job " + job + " to end", () -> {
            String status = statusOf(job);
            return status != null && ENDED.contains(status);
        });
        return statusOf(job);
    }

    /** Waits for {@code job} to end; fails with the jobs table unless it finished. */
    void awaitFinished(String job) throws Exception {
        String status = awaitEnd(job);
        if (!"FINISHED".equals(status)) {
            throw new AssertionError("job " + job + " ended " + status + ":\n" + run("runnel:jobs"));
        }
    }

    /** Polls {@code condition} every 100 ms until it holds; fails after the wait this shell allows. */
    void await(String what, BooleanSupplier condition) {
        long deadline = System.currentTimeMillis() + waitMillis;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("Timed out after " + waitMillis + " ms waiting for " + what);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("Interrupted waiting for " + what, e);
            }
        }
    }

    /** A port free on 127.0.0.1 right now. */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }
}
