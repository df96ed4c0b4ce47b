package io.runnel.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PercentilesTest {

    @Test
    void nearestRankOverTheFirstCountValues() {
        long[] values = {50, 10, 40, 20, 30, 1000, 999};
        Percentiles percentiles = new Percentiles(values, 5);

        assertThat(percentiles.count()).isEqualTo(5);
        assertThat(percentiles.at(0.0)).isEqualTo(10);
        assertThat(percentiles.at(0.2)).isEqualTo(10);
        assertThat(percentiles.at(0.21)).isEqualTo(20);
        assertThat(percentiles.at(0.5)).isEqualTo(30);
        assertThat(percentiles.at(0.99)).isEqualTo(50);
        assertThat(percentiles.at(1.0)).isEqualTo(50);
        assertThat(values).as("the input is left alone").containsExactly(50, 10, 40, 20, 30, 1000, 999);
    }

    @Test
    void p99OfAHundredValuesIsTheNinetyNinth() {
        long[] values = new long[100];
        for (int i = 0; i < values.length; i++) {
            values[i] = 100 - i;
        }
        assertThat(new Percentiles(values, 100).at(0.99)).isEqualTo(99);
        assertThat(new Percentiles(values, 100).at(0.50)).isEqualTo(50);
    }

    @Test
    void refusesNoValuesAndBadFractions() {
        assertThatThrownBy(() -> new Percentiles(new long[3], 0).at(0.5)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new Percentiles(new long[3], 4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("count 4");
        assertThatThrownBy(() -> new Percentiles(new long[3], 3).at(1.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1.5");
    }
}
