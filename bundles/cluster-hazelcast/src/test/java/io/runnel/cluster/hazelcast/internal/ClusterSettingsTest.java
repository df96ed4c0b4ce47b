package io.runnel.cluster.hazelcast.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.api.cluster.NodeRole;
import org.junit.jupiter.api.Test;

class ClusterSettingsTest {

    @Test
    void nodeIdDefaultsToTheEndpoint() {
        ClusterSettings settings = ClusterSettings.from(new TestConfig(5701));
        assertThat(settings.nodeId().value()).isEqualTo("127.0.0.1:5701");
        assertThat(settings.roles()).containsExactlyInAnyOrder(NodeRole.values());
    }

    @Test
    void badValuesNameTheKeyAndValue() {
        assertThatThrownBy(() -> ClusterSettings.from(new TestConfig(70000)))
                .hasMessageContaining("cluster.port").hasMessageContaining("70000");
        TestConfig badMember = new TestConfig(5701);
        badMember.members = new String[] {"127.0.0.1"};
        assertThatThrownBy(() -> ClusterSettings.from(badMember))
                .hasMessageContaining("cluster.members").hasMessageContaining("'127.0.0.1'");
        TestConfig badRole = new TestConfig(5701);
        badRole.role = "worker";
        assertThatThrownBy(() -> ClusterSettings.from(badRole))
                .hasMessageContaining("node.role").hasMessageContaining("'worker'");
        TestConfig badId = new TestConfig(5701);
        badId.nodeId = "has space";
        assertThatThrownBy(() -> ClusterSettings.from(badId))
                .hasMessageContaining("node.id").hasMessageContaining("'has space'");
    }
}
