package io.runnel.spi.control;

import io.runnel.api.JobId;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * How one node's share of a job attempt ended (or, sent to a TaskManager, that it should stop).
 *
 * @param failure what failed, for {@link TaskExecutor.Outcome#FAILED}; else null
 */
public record TaskReport(JobId jobId, int attempt, TaskExecutor.Outcome outcome, String failure) {

    public TaskReport {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(outcome, "outcome");
    }

    /** The message form, for {@link io.runnel.spi.cluster.ClusterMessaging}. */
    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(jobId.value());
            out.writeInt(attempt);
            out.writeUTF(outcome.name());
            out.writeBoolean(failure != null);
            if (failure != null) {
                // writeUTF holds 64 KB at most; a failure message longer than that is cut.
                out.writeUTF(failure.length() > 16_000 ? failure.substring(0, 16_000) + "..." : failure);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array stream does not fail
        }
        return bytes.toByteArray();
    }

    /**
     * Reads the message form.
     *
     * @throws IllegalArgumentException if the bytes are not a task report
     */
    public static TaskReport decode(byte[] message) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(message))) {
            JobId jobId = new JobId(in.readUTF());
            int attempt = in.readInt();
            TaskExecutor.Outcome outcome = TaskExecutor.Outcome.valueOf(in.readUTF());
            String failure = in.readBoolean() ? in.readUTF() : null;
            return new TaskReport(jobId, attempt, outcome, failure);
        } catch (IOException e) {
            throw new IllegalArgumentException("A task report message of " + message.length + " bytes is cut short", e);
        }
    }
}
