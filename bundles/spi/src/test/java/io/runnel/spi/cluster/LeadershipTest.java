package io.runnel.spi.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.api.cluster.NodeId;
import org.junit.jupiter.api.Test;

class LeadershipTest {

    @Test
    void epochsStartAtOne() {
        assertThatThrownBy(() -> new Leadership(new NodeId("jm-1"), 0)).hasMessageContaining("got 0");
    }

    @Test
    void tellsWhoLeads() {
        Leadership leadership = new Leadership(new NodeId("jm-1"), 3);
        assertThat(leadership.isHeldBy(new NodeId("jm-1"))).isTrue();
        assertThat(leadership.isHeldBy(new NodeId("jm-2"))).isFalse();
    }
}
