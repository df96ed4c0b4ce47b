package io.runnel.jobmanager.internal;

import io.runnel.api.JobId;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;

/**
 * What a successor JobManager needs to run a job again: which job code (its {@code runnel.job}
 * name), with which parameters and parallelism, under which id (its checkpoints live under it), and
 * the attempt it reached. Stored as a properties file by the {@link JobStore}.
 *
 * @param jobId the job's id
 * @param jobName the job's display name
 * @param jobKey the {@code runnel.job} name of the StreamJob service that builds it
 * @param parallelism its default parallelism
 * @param parameters its parameters, Runnel's options ({@code state.checkpoints.dir}, ...) among them
 * @param attempt the newest attempt deployed; a successor deploys the next one
 * @param runMode whether {@code ./runnel run} started it (such a node adopts it again, see {@link RunMode})
 * @param leaderEpoch the epoch of the leader that wrote the record
 */
record JobRecord(JobId jobId, String jobName, String jobKey, int parallelism, Map<String, String> parameters,
        int attempt, boolean runMode, long leaderEpoch) {

    private static final int FORMAT = 1;
    private static final String PARAMETER = "parameter.";

    JobRecord {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(jobName, "jobName");
        Objects.requireNonNull(jobKey, "jobKey");
        parameters = Map.copyOf(parameters);
    }

    /** The same record for attempt {@code next}, written by the leader of {@code epoch}. */
    JobRecord withAttempt(int next, long epoch) {
        return new JobRecord(jobId, jobName, jobKey, parallelism, parameters, next, runMode, epoch);
    }

    /** Where the job's checkpoints go, as its parameters say; the node's default otherwise. */
    String checkpointDirectory() {
        return parameters.getOrDefault("state.checkpoints.dir", "(the node's default, <node.data-dir>/checkpoints)");
    }

    String encode() {
        Properties properties = new Properties();
        properties.setProperty("format", Integer.toString(FORMAT));
        properties.setProperty("job.id", jobId.value());
        properties.setProperty("job.name", jobName);
        properties.setProperty("job.key", jobKey);
        properties.setProperty("parallelism", Integer.toString(parallelism));
        properties.setProperty("attempt", Integer.toString(attempt));
        properties.setProperty("run-mode", Boolean.toString(runMode));
        properties.setProperty("leader.epoch", Long.toString(leaderEpoch));
        properties.setProperty("checkpoints", checkpointDirectory());
        parameters.forEach((key, value) -> properties.setProperty(PARAMETER + key, value));
        StringWriter text = new StringWriter();
        try {
            properties.store(text, "Runnel job record: the JobManager leader resumes this job from its checkpoints");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // a StringWriter does not fail
        }
        return text.toString();
    }

    /**
     * Reads a record.
     *
     * @throws IllegalArgumentException saying which field is missing or wrong
     */
    static JobRecord decode(String text) {
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(text));
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("it is not a properties file (" + e.getMessage() + ")");
        }
        String format = required(properties, "format");
        if (!format.equals(Integer.toString(FORMAT))) {
            throw new IllegalArgumentException("its format is " + format + " but this JobManager reads format " + FORMAT
                    + ": run the same Runnel version on every JobManager node");
        }
        Map<String, String> parameters = new TreeMap<>();
        for (String key : properties.stringPropertyNames()) {
            if (key.startsWith(PARAMETER)) {
                parameters.put(key.substring(PARAMETER.length()), properties.getProperty(key));
            }
        }
        try {
            return new JobRecord(new JobId(required(properties, "job.id")), required(properties, "job.name"),
                    required(properties, "job.key"), number(properties, "parallelism"), parameters,
                    number(properties, "attempt"), Boolean.parseBoolean(required(properties, "run-mode")),
                    Long.parseLong(required(properties, "leader.epoch")));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("leader.epoch is not a number: " + e.getMessage());
        }
    }

    private static String required(Properties properties, String key) {
        String value = properties.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("it has no '" + key + "'");
        }
        return value.trim();
    }

    private static int number(Properties properties, String key) {
        String value = required(properties, key);
        try {
            int number = Integer.parseInt(value);
            if (number < 0) {
                throw new NumberFormatException();
            }
            return number;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + key + "' is '" + value + "', not a whole number >= 0");
        }
    }
}
