package io.runnel.runtime.internal.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NetworkConfigTest {

    @Test
    void defaultsListenOnLoopbackOnAnyFreePort() {
        NetworkConfig config = NetworkConfig.defaults();
        assertThat(config.bindHost()).isEqualTo("127.0.0.1");
        assertThat(config.port()).isZero();
        assertThat(config.connectAttempts()).isEqualTo(5);
        assertThat(config.connectRetryDelay()).isEqualTo(Duration.ofMillis(200));
        assertThat(config.maxFrameBytes()).isEqualTo(64 * 1024 * 1024);
    }

    @Test
    void keysAreReadWithTheirUnits() {
        NetworkConfig config = NetworkConfig.fromMap(Map.of(
                NetworkConfig.BIND_HOST, "0.0.0.0",
                NetworkConfig.PORT, "6121",
                NetworkConfig.SERVER_THREADS, "3",
                NetworkConfig.CONNECT_TIMEOUT, "2 min",
                NetworkConfig.CONNECT_RETRY_DELAY, "50",
                NetworkConfig.MAX_FRAME_SIZE, "512 kb",
                NetworkConfig.SHUTDOWN_TIMEOUT, "3 s"));
        assertThat(config.bindHost()).isEqualTo("0.0.0.0");
        assertThat(config.port()).isEqualTo(6121);
        assertThat(config.serverThreads()).isEqualTo(3);
        assertThat(config.connectTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.connectRetryDelay()).isEqualTo(Duration.ofMillis(50));
        assertThat(config.maxFrameBytes()).isEqualTo(512 * 1024);
        assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(config.withPort(7000).port()).isEqualTo(7000);
    }

    @Test
    void aBadValueIsNamedWithItsKey() {
        assertThatThrownBy(() -> NetworkConfig.fromMap(Map.of(NetworkConfig.PORT, "70000")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("taskmanager.data.port must be a port from 0 (any free port) to 65535, not '70000'");
        assertThatThrownBy(() -> NetworkConfig.fromMap(Map.of(NetworkConfig.CONNECT_TIMEOUT, "soon")))
                .hasMessageContaining(NetworkConfig.CONNECT_TIMEOUT).hasMessageContaining("'soon'");
        assertThatThrownBy(() -> NetworkConfig.fromMap(Map.of(NetworkConfig.CONNECT_ATTEMPTS, "0")))
                .hasMessageContaining(NetworkConfig.CONNECT_ATTEMPTS).hasMessageContaining("at least 1");
    }
}
