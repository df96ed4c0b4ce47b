package io.runnel.api.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExecutionOptionsTest {

    @Test
    void durationsTakeUnitsIsoAndBareMilliseconds() {
        assertThat(ExecutionOptions.parseDuration("k", "500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(ExecutionOptions.parseDuration("k", "10s")).isEqualTo(Duration.ofSeconds(10));
        assertThat(ExecutionOptions.parseDuration("k", "2 min")).isEqualTo(Duration.ofMinutes(2));
        assertThat(ExecutionOptions.parseDuration("k", "1h")).isEqualTo(Duration.ofHours(1));
        assertThat(ExecutionOptions.parseDuration("k", "PT3S")).isEqualTo(Duration.ofSeconds(3));
        assertThat(ExecutionOptions.parseDuration("k", "250")).isEqualTo(Duration.ofMillis(250));
        assertThatThrownBy(() -> ExecutionOptions.parseDuration("execution.checkpointing.interval", "soon"))
                .hasMessageContaining("execution.checkpointing.interval").hasMessageContaining("'soon'");
        assertThatThrownBy(() -> ExecutionOptions.parseDuration("k", "-5s")).hasMessageContaining("'-5s'");
    }

    @Test
    void checkpointOptionsConfigureTheCheckpointConfig() {
        CheckpointConfig config = new CheckpointConfig().configure(Map.of(
                ExecutionOptions.CHECKPOINTING_INTERVAL, "1s",
                ExecutionOptions.CHECKPOINTING_MODE, "at-least-once",
                ExecutionOptions.CHECKPOINTING_TIMEOUT, "30s",
                ExecutionOptions.CHECKPOINTING_TOLERABLE_FAILURES, "2",
                ExecutionOptions.CHECKPOINTING_UNALIGNED, "true",
                ExecutionOptions.CHECKPOINTS_DIRECTORY, "/tmp/c",
                ExecutionOptions.CHECKPOINTS_NUM_RETAINED, "3",
                "my.job.parameter", "ignored"));
        assertThat(config.isEnabled()).isTrue();
        assertThat(config.getInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.getMode()).isEqualTo(CheckpointingMode.AT_LEAST_ONCE);
        assertThat(config.getTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.getTolerableFailures()).isEqualTo(2);
        assertThat(config.isUnaligned()).isTrue();
        assertThat(config.getDirectory()).isEqualTo("/tmp/c");
        assertThat(config.getNumRetained()).isEqualTo(3);
        assertThat(new CheckpointConfig().configure(Map.of(ExecutionOptions.CHECKPOINTING_INTERVAL, "off")).isEnabled()).isFalse();
        assertThatThrownBy(() -> new CheckpointConfig().configure(Map.of(ExecutionOptions.CHECKPOINTS_NUM_RETAINED, "0")))
                .hasMessageContaining("state.checkpoints.num-retained").hasMessageContaining("'0'");
        assertThatThrownBy(() -> new CheckpointConfig().setInterval(Duration.ofMillis(5))).hasMessageContaining("10 ms");
    }

    @Test
    void checkpointStorageKeysAreReadWithOneRetainedByDefault() {
        CheckpointConfig config = new CheckpointConfig().configure(Map.of(
                "state.checkpoints.dir", "/var/lib/runnel/checkpoints", "state.checkpoints.num-retained", "3"));
        assertThat(config.getDirectory()).isEqualTo("/var/lib/runnel/checkpoints");
        assertThat(config.getNumRetained()).isEqualTo(3);
        assertThat(new CheckpointConfig().configure(Map.of("state.checkpoints.dir", "/tmp/c")).getNumRetained()).isEqualTo(1);
        assertThatThrownBy(() -> new CheckpointConfig().configure(Map.of("state.checkpoints.dir", " ")))
                .hasMessageContaining("state.checkpoints.dir: a directory is needed");
        assertThatThrownBy(() -> new CheckpointConfig().configure(Map.of("state.checkpoints.dir", "/tmp/c\u0000x")))
                .hasMessageContaining("state.checkpoints.dir").hasMessageContaining("not a valid path");
        assertThatThrownBy(() -> new CheckpointConfig().configure(Map.of("state.checkpoints.num-retained", "many")))
                .hasMessageContaining("state.checkpoints.num-retained: 'many' is not a whole number");
    }

    @Test
    void restartOptionsBuildTheNamedStrategyAndRefuseStrayKeys() {
        RestartStrategy fixed = RestartStrategy.fromSettings(Map.of(ExecutionOptions.RESTART_STRATEGY, "fixed-delay",
                ExecutionOptions.FIXED_DELAY_ATTEMPTS, "4", ExecutionOptions.FIXED_DELAY_DELAY, "2s"));
        assertThat(fixed.kind()).isEqualTo(RestartStrategy.Kind.FIXED_DELAY);
        assertThat(fixed.attempts()).isEqualTo(4);
        assertThat(fixed.delay()).isEqualTo(Duration.ofSeconds(2));
        RestartStrategy rate = RestartStrategy.fromSettings(Map.of(ExecutionOptions.RESTART_STRATEGY, "failure-rate",
                ExecutionOptions.FAILURE_RATE_MAX_FAILURES, "3", ExecutionOptions.FAILURE_RATE_INTERVAL, "5min"));
        assertThat(rate.attempts()).isEqualTo(3);
        assertThat(rate.interval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(RestartStrategy.fromSettings(Map.of(ExecutionOptions.RESTART_STRATEGY, "none")).kind())
                .isEqualTo(RestartStrategy.Kind.NONE);
        assertThat(RestartStrategy.fromSettings(Map.of("other", "x"))).isNull();
        assertThatThrownBy(() -> RestartStrategy.fromSettings(Map.of(ExecutionOptions.RESTART_STRATEGY, "sometimes")))
                .hasMessageContaining("'sometimes'");
        assertThatThrownBy(() -> RestartStrategy.fromSettings(Map.of(ExecutionOptions.RESTART_STRATEGY, "none",
                ExecutionOptions.FIXED_DELAY_ATTEMPTS, "3"))).hasMessageContaining("does not apply");
        assertThatThrownBy(() -> RestartStrategy.fromSettings(Map.of(ExecutionOptions.FIXED_DELAY_ATTEMPTS, "3")))
                .hasMessageContaining(ExecutionOptions.RESTART_STRATEGY);
        assertThatThrownBy(() -> RestartStrategy.exponentialDelay(Duration.ofSeconds(5), Duration.ofSeconds(1), 2,
                Duration.ofHours(1), 3)).hasMessageContaining("below the initial");
    }

    @Test
    void unknownRunnelKeysAreRefusedWithTheKnownOnes() {
        assertThat(ExecutionOptions.isExecutionOption("execution.checkpointing.interval")).isTrue();
        assertThat(ExecutionOptions.isExecutionOption("clicks")).isFalse();
        assertThatThrownBy(() -> ExecutionOptions.checkKnown(Map.of("execution.checkpointing.intervall", "1s")))
                .hasMessageContaining("Unknown option 'execution.checkpointing.intervall'")
                .hasMessageContaining(ExecutionOptions.CHECKPOINTING_INTERVAL);
    }
}
