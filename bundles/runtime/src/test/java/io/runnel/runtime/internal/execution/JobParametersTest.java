package io.runnel.runtime.internal.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.api.stream.ExecutionOptions;
import io.runnel.api.stream.JobSubmissionException;
import io.runnel.api.stream.RestartStrategy;
import io.runnel.api.stream.SavepointRestore;
import io.runnel.api.stream.StreamJob;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The parameters given to {@code runnel:run NAME P k=v ...} and {@code ./runnel run NAME -p k=v}
 * reach {@link LocalStreamEnvironment#build} unchanged (through the JobManager and the job executor):
 * here the Runnel options among them must configure the environment and only the rest reach the job.
 */
class JobParametersTest {

    private final LocalStreamEnvironment env = new LocalStreamEnvironment(new MapConnectorRegistry().withStateBackend("heap", new io.runnel.state.heap.HeapStateBackendFactory()), 1);
    private final AtomicReference<Map<String, String>> jobSaw = new AtomicReference<>();
    private final StreamJob job = (environment, parameters) -> jobSaw.set(parameters);

    @Test
    void runnelOptionsConfigureTheEnvironmentAndTheOthersReachTheJob() throws Exception {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("events", "3000");
        parameters.put(ExecutionOptions.CHECKPOINTING_INTERVAL, "1s");
        parameters.put(ExecutionOptions.SAVEPOINTS_DIRECTORY, "/data/savepoints");
        parameters.put(ExecutionOptions.SAVEPOINT_PATH, "/data/savepoints/savepoint-0a1b2c-1f");
        parameters.put(ExecutionOptions.RESTART_STRATEGY, "fixed-delay");
        parameters.put(ExecutionOptions.FIXED_DELAY_ATTEMPTS, "5");
        parameters.put("output", "/data/out");

        env.build(job, "clickstream", parameters);

        assertThat(jobSaw.get()).containsOnly(Map.entry("events", "3000"), Map.entry("output", "/data/out"));
        assertThat(env.getCheckpointConfig().isEnabled()).isTrue();
        assertThat(env.getCheckpointConfig().getInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(env.getCheckpointConfig().getSavepointDirectory()).isEqualTo("/data/savepoints");
        assertThat(env.getSavepointRestore()).isEqualTo(new SavepointRestore("/data/savepoints/savepoint-0a1b2c-1f", false));
        assertThat(env.getRestartStrategy().kind()).isEqualTo(RestartStrategy.Kind.FIXED_DELAY);
        assertThat(env.getRestartStrategy().attempts()).isEqualTo(5);
    }

    @Test
    void withoutRunnelOptionsTheJobRunsWithoutCheckpointsOrASavepoint() throws Exception {
        env.build(job, "clickstream", Map.of("events", "10"));

        assertThat(jobSaw.get()).isEqualTo(Map.of("events", "10"));
        assertThat(env.getCheckpointConfig().isEnabled()).isFalse();
        assertThat(env.getSavepointRestore()).isNull();
    }

    @Test
    void unclaimedStateIsAllowedOnlyWithASavepoint() throws Exception {
        env.build(job, "clickstream", Map.of(ExecutionOptions.SAVEPOINT_PATH, "sp",
                ExecutionOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE, "true"));
        assertThat(env.getSavepointRestore()).isEqualTo(new SavepointRestore("sp", true));

        assertThatThrownBy(() -> new LocalStreamEnvironment(new MapConnectorRegistry().withStateBackend("heap", new io.runnel.state.heap.HeapStateBackendFactory()), 1).build(job, "clickstream",
                Map.of(ExecutionOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE, "true")))
                .isInstanceOf(JobSubmissionException.class)
                .hasMessageContaining("execution.savepoint.path is not");
    }

    @Test
    void anUnknownRunnelOptionIsRefusedWithTheKnownOnesAndTheJobIsNotBuilt() {
        assertThatThrownBy(() -> env.build(job, "clickstream", Map.of("execution.checkpointing.intervall", "1s")))
                .isInstanceOf(JobSubmissionException.class)
                .hasMessageStartingWith("Job 'clickstream' could not be built: Unknown option "
                        + "'execution.checkpointing.intervall'. Known options: [")
                .hasMessageContaining(ExecutionOptions.CHECKPOINTING_INTERVAL)
                .hasMessageContaining(ExecutionOptions.SAVEPOINT_PATH);
        assertThatThrownBy(() -> env.build(job, "clickstream", Map.of("state.savepoint.dir", "/sp")))
                .hasMessageContaining("Unknown option 'state.savepoint.dir'");
        assertThat(jobSaw.get()).as("the job was never built").isNull();
    }

    @Test
    void aBadValueIsRefusedNamingTheKeyAndTheValue() {
        assertThatThrownBy(() -> env.build(job, "clickstream", Map.of(ExecutionOptions.CHECKPOINTING_INTERVAL, "soon")))
                .isInstanceOf(JobSubmissionException.class)
                .hasMessage("Job 'clickstream' could not be built: execution.checkpointing.interval: 'soon' is not a "
                        + "duration; write e.g. 500ms, 10s, 2min, 1h or PT10S");
    }
}
