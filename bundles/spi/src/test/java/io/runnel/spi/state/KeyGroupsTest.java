package io.runnel.spi.state;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeyGroupsTest {

    @ParameterizedTest
    @CsvSource({"128,1", "128,2", "128,3", "128,4", "128,7", "128,128", "10,3", "32768,5"})
    void everyKeyGroupHasExactlyOneOwnerAndRangesAreContiguous(int maxParallelism, int parallelism) {
        int expectedFirst = 0;
        for (int subtask = 0; subtask < parallelism; subtask++) {
            int first = KeyGroups.firstKeyGroup(subtask, maxParallelism, parallelism);
            int last = KeyGroups.lastKeyGroup(subtask, maxParallelism, parallelism);
            assertThat(first).isEqualTo(expectedFirst);
            for (int keyGroup = first; keyGroup <= last; keyGroup++) {
                assertThat(KeyGroups.subtaskFor(keyGroup, maxParallelism, parallelism)).isEqualTo(subtask);
            }
            expectedFirst = last + 1;
        }
        assertThat(expectedFirst).isEqualTo(maxParallelism);
    }

    @Test
    void sequentialKeysSpreadOverKeyGroups() {
        int[] perGroup = new int[128];
        for (int key = 0; key < 128_000; key++) {
            perGroup[KeyGroups.keyGroupFor(key, 128)]++;
        }
        for (int count : perGroup) {
            assertThat(count).isBetween(800, 1200);
        }
    }
}
