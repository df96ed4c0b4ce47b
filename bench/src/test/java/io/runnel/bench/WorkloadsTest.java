package io.runnel.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The harness computes what it claims: correctness only, never speed. */
class WorkloadsTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void windowCountsSumToTheEventCount(int parallelism) throws Exception {
        long events = 250_000;
        assertThat(Workloads.runRunnel("window", events, parallelism)[0]).isEqualTo(events);
        assertThat(Workloads.runBaseline("window", events)[0]).isEqualTo(events);
    }

    @Test
    void windowOnRocksDbWithCheckpointsCountsEveryEvent() throws Exception {
        long events = 250_000;
        Workloads.Run run = Workloads.measure("window-rocksdb", events, 1);
        assertThat(run.checksum()).isEqualTo(events);
        assertThat(Workloads.runBaseline("window-rocksdb", events)[0]).isEqualTo(events);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void passthroughDropsExactlyTheEventsOfKeyZero(int parallelism) throws Exception {
        long events = 300_000;
        long keyZero = 0;
        for (long c = 0; c < events; c++) {
            if (Event.keyOf(c) == 0) {
                keyZero++;
            }
        }
        assertThat(keyZero).isPositive();
        assertThat(Workloads.runRunnel("passthrough", events, parallelism)[0]).isEqualTo(events - keyZero);
        assertThat(Workloads.runBaseline("passthrough", events)[0]).isEqualTo(events - keyZero);
    }

    @Test
    void keysFollowTheSpecifiedMix() {
        long h = 12345L * 0x9E3779B97F4A7C15L;
        h ^= h >>> 32;
        assertThat(Event.keyOf(12345)).isEqualTo(Long.remainderUnsigned(h, 10_000)).isBetween(0L, 9_999L);
    }
}
