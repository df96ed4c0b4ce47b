package io.runnel.taskmanager.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.api.JobId;
import io.runnel.api.cluster.NodeId;
import io.runnel.api.cluster.NodeInfo;
import io.runnel.api.cluster.NodeRole;
import io.runnel.api.cluster.SlotId;
import io.runnel.api.cluster.SlotInfo;
import io.runnel.spi.cluster.ClusterMembership;
import io.runnel.spi.cluster.MembershipListener;
import io.runnel.spi.cluster.Registration;
import io.runnel.spi.cluster.SlotListener;
import io.runnel.spi.cluster.SlotRegistry;
import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskManagerTest {

    private static final NodeInfo NODE = new NodeInfo(new NodeId("tm-1"), "127.0.0.1", 5701, EnumSet.of(NodeRole.TASKMANAGER));

    @Test
    void offersItsSlotsWhileActiveAndWithdrawsThemAfter() {
        FakeRegistry registry = new FakeRegistry();
        TaskManager taskManager = new TaskManager(new FakeMembership(), registry, config(3));
        assertThat(registry.slots()).hasSize(3).allMatch(s -> s.id().node().equals(NODE.id()));
        taskManager.deactivate();
        assertThat(registry.slots()).isEmpty();
    }

    @Test
    void zeroSlotsMeansOnePerCore() {
        assertThat(TaskManager.slotCount(0, 2)).isEqualTo(2);
        assertThat(TaskManager.slotCount(5, 2)).isEqualTo(5);
        assertThatThrownBy(() -> TaskManager.slotCount(-1, 2))
                .hasMessageContaining("taskmanager.numberOfTaskSlots is -1");
    }

    private static TaskManager.Config config(int slots) {
        return new TaskManager.Config() {
            @Override
            public int taskmanager_numberOfTaskSlots() {
                return slots;
            }

            @Override
            public Class<? extends Annotation> annotationType() {
                return TaskManager.Config.class;
            }
        };
    }

    private static final class FakeMembership implements ClusterMembership {
        @Override
        public NodeInfo localNode() {
            return NODE;
        }

        @Override
        public List<NodeInfo> nodes() {
            return List.of(NODE);
        }

        @Override
        public Registration addListener(MembershipListener listener) {
            return () -> {};
        }
    }

    private static final class FakeRegistry implements SlotRegistry {
        private final List<SlotInfo> slots = new ArrayList<>();

        @Override
        public void offerSlots(NodeId node, int count) {
            withdrawSlots(node);
            for (int i = 0; i < count; i++) {
                slots.add(SlotInfo.free(new SlotId(node, i)));
            }
        }

        @Override
        public void withdrawSlots(NodeId node) {
            slots.removeIf(s -> s.id().node().equals(node));
        }

        @Override
        public List<SlotInfo> slots() {
            return List.copyOf(slots);
        }

        @Override
        public boolean allocate(SlotId slot, JobId job) {
            return false;
        }

        @Override
        public boolean release(SlotId slot, JobId job) {
            return false;
        }

        @Override
        public Registration addListener(SlotListener listener) {
            return () -> {};
        }
    }
}
