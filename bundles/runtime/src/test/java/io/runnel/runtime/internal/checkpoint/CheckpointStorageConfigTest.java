package io.runnel.runtime.internal.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CheckpointStorageConfigTest {

    @Test
    void readsFlinksKeys() {
        CheckpointStorageConfig config = CheckpointStorageConfig.fromMap(Map.of(
                "state.checkpoints.dir", "/var/lib/runnel/checkpoints", "state.checkpoints.num-retained", "3"));

        assertThat(config).isEqualTo(new CheckpointStorageConfig(Path.of("/var/lib/runnel/checkpoints"), 3));
    }

    @Test
    void retainsOneByDefault() {
        assertThat(CheckpointStorageConfig.fromMap(Map.of("state.checkpoints.dir", "/tmp/c")).numRetained()).isEqualTo(1);
    }

    @Test
    void wrongValuesNameTheKey() {
        assertThatThrownBy(() -> CheckpointStorageConfig.fromMap(Map.of()))
                .hasMessageContaining("state.checkpoints.dir is not set");
        assertThatThrownBy(() -> CheckpointStorageConfig.fromMap(Map.of(
                "state.checkpoints.dir", "/tmp/c", "state.checkpoints.num-retained", "0")))
                .hasMessageContaining("state.checkpoints.num-retained must be at least 1, was 0");
        assertThatThrownBy(() -> CheckpointStorageConfig.fromMap(Map.of(
                "state.checkpoints.dir", "/tmp/c", "state.checkpoints.num-retained", "many")))
                .hasMessageContaining("state.checkpoints.num-retained must be a whole number, was 'many'");
    }
}
