package io.runnel.api.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.api.JobId;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class ClusterTypesTest {

    @Test
    void slotIdRoundTripsThroughItsTextForm() {
        SlotId slot = new SlotId(new NodeId("127.0.0.1:5701"), 3);
        assertThat(slot.toString()).isEqualTo("127.0.0.1:5701#3");
        assertThat(SlotId.parse(slot.toString())).isEqualTo(slot);
    }

    @Test
    void malformedSlotIdsNameTheValue() {
        assertThatThrownBy(() -> SlotId.parse("node-without-index")).hasMessageContaining("'node-without-index'");
        assertThatThrownBy(() -> SlotId.parse("node#x")).hasMessageContaining("'node#x'");
        assertThatThrownBy(() -> SlotId.parse("#1")).hasMessageContaining("'#1'");
        assertThatThrownBy(() -> new SlotId(new NodeId("n"), -1)).hasMessageContaining("-1");
    }

    @Test
    void nodeIdsRejectSpacesAndSlotSeparator() {
        assertThatThrownBy(() -> new NodeId("a b")).hasMessageContaining("'a b'");
        assertThatThrownBy(() -> new NodeId("a#1")).hasMessageContaining("'a#1'");
        assertThatThrownBy(() -> new NodeId("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rolesParseFromConfiguration() {
        assertThat(NodeRole.parseRoles("both")).containsExactlyInAnyOrder(NodeRole.values());
        assertThat(NodeRole.parseRoles(" TaskManager ")).containsExactly(NodeRole.TASKMANAGER);
        assertThatThrownBy(() -> NodeRole.parseRoles("worker"))
                .hasMessageContaining("'worker'")
                .hasMessageContaining("jobmanager, taskmanager or both");
    }

    @Test
    void slotInfoTiesJobToState() {
        SlotId id = new SlotId(new NodeId("n1"), 0);
        JobId job = JobId.generate();
        assertThat(SlotInfo.free(id).allocatedTo()).isEmpty();
        assertThat(SlotInfo.allocated(id, job).allocatedTo()).contains(job);
        assertThatThrownBy(() -> new SlotInfo(id, SlotState.FREE, job)).hasMessageContaining(job.value());
        assertThatThrownBy(() -> new SlotInfo(id, SlotState.ALLOCATED, null)).hasMessageContaining("without a job");
    }

    @Test
    void nodeInfoNeedsARole() {
        assertThatThrownBy(() -> new NodeInfo(new NodeId("n1"), "127.0.0.1", 5701, EnumSet.noneOf(NodeRole.class)))
                .hasMessageContaining("n1");
        NodeInfo node = new NodeInfo(new NodeId("n1"), "127.0.0.1", 5701, EnumSet.of(NodeRole.TASKMANAGER));
        assertThat(node.address()).isEqualTo("127.0.0.1:5701");
        assertThat(node.hasRole(NodeRole.JOBMANAGER)).isFalse();
    }

    @Test
    void jobIdsAreThirtyTwoHexCharacters() {
        assertThat(JobId.generate().value()).matches("[0-9a-f]{32}");
        assertThatThrownBy(() -> new JobId("xyz")).hasMessageContaining("'xyz'");
    }
}
