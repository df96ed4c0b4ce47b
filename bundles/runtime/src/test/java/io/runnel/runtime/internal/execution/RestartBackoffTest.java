package io.runnel.runtime.internal.execution;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.api.stream.RestartStrategy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RestartBackoffTest {

    @Test
    void fixedDelayGrantsItsAttemptsThenGivesUp() {
        RestartBackoff backoff = new RestartBackoff(RestartStrategy.fixedDelay(2, Duration.ofMillis(300)));
        assertThat(backoff.onFailure(1_000, 0)).isEqualTo(300);
        assertThat(backoff.onFailure(2_000, 1_300)).isEqualTo(300);
        assertThat(backoff.onFailure(3_000, 2_300)).isEqualTo(-1);
        assertThat(backoff.restarts()).isEqualTo(2);
    }

    @Test
    void exponentialDelayGrowsToItsMaximumAndStartsOverAfterALongRun() {
        RestartBackoff backoff = new RestartBackoff(RestartStrategy.exponentialDelay(Duration.ofMillis(100),
                Duration.ofMillis(350), 2, Duration.ofSeconds(10), Integer.MAX_VALUE));
        assertThat(backoff.onFailure(1_000, 900)).isEqualTo(100);
        assertThat(backoff.onFailure(2_000, 1_900)).isEqualTo(200);
        assertThat(backoff.onFailure(3_000, 2_900)).isEqualTo(350);
        assertThat(backoff.onFailure(4_000, 3_900)).isEqualTo(350);
        assertThat(backoff.onFailure(60_000, 4_000)).as("ran longer than the reset threshold").isEqualTo(100);
    }

    @Test
    void failureRateAllowsItsFailuresPerIntervalOnly() {
        RestartBackoff backoff = new RestartBackoff(RestartStrategy.failureRate(2, Duration.ofSeconds(10), Duration.ofMillis(50)));
        assertThat(backoff.onFailure(1_000, 0)).isEqualTo(50);
        assertThat(backoff.onFailure(2_000, 1_050)).isEqualTo(50);
        assertThat(backoff.onFailure(3_000, 2_050)).as("a third failure within 10 s").isEqualTo(-1);
        RestartBackoff spread = new RestartBackoff(RestartStrategy.failureRate(2, Duration.ofSeconds(10), Duration.ofMillis(50)));
        assertThat(spread.onFailure(1_000, 0)).isEqualTo(50);
        assertThat(spread.onFailure(8_000, 1_050)).isEqualTo(50);
        assertThat(spread.onFailure(12_000, 8_050)).as("the first failure left the window").isEqualTo(50);
    }

    @Test
    void noneNeverRestarts() {
        assertThat(new RestartBackoff(RestartStrategy.none()).onFailure(1, 0)).isEqualTo(-1);
    }
}
