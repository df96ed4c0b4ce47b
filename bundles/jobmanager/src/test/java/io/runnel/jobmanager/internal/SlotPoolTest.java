package io.runnel.jobmanager.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.api.JobId;
import io.runnel.api.cluster.NodeId;
import io.runnel.api.cluster.SlotId;
import io.runnel.api.cluster.SlotInfo;
import io.runnel.spi.cluster.Registration;
import io.runnel.spi.cluster.SlotListener;
import io.runnel.spi.cluster.SlotRegistry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SlotPoolTest {

    @Test
    void followsTheRegistryAndStopsListeningWhenClosed() {
        SlotId a0 = new SlotId(new NodeId("a"), 0);
        SlotId b0 = new SlotId(new NodeId("b"), 0);
        SlotId a1 = new SlotId(new NodeId("a"), 1);
        ScriptedRegistry registry = new ScriptedRegistry(List.of(SlotInfo.free(b0), SlotInfo.free(a1)));
        SlotPool pool = new SlotPool(registry, () -> {});
        assertThat(pool.slots()).extracting(SlotInfo::id).containsExactly(a1, b0);

        registry.listeners.forEach(l -> l.slotUpdated(SlotInfo.free(a0)));
        JobId job = JobId.generate();
        registry.listeners.forEach(l -> l.slotUpdated(SlotInfo.allocated(b0, job)));
        assertThat(pool.slots()).containsExactly(SlotInfo.free(a0), SlotInfo.free(a1), SlotInfo.allocated(b0, job));

        registry.listeners.forEach(l -> l.slotRemoved(a1));
        assertThat(pool.slots()).extracting(SlotInfo::id).containsExactly(a0, b0);

        pool.close();
        assertThat(registry.listeners).isEmpty();
    }

    /** A registry whose table is fixed and whose events the test fires by hand. */
    private static final class ScriptedRegistry implements SlotRegistry {
        final List<SlotListener> listeners = new ArrayList<>();
        private final List<SlotInfo> table;

        ScriptedRegistry(List<SlotInfo> table) {
            this.table = table;
        }

        @Override
        public void offerSlots(NodeId node, int count) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void withdrawSlots(NodeId node) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<SlotInfo> slots() {
            return table;
        }

        @Override
        public boolean allocate(SlotId slot, JobId job) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean release(SlotId slot, JobId job) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Registration addListener(SlotListener listener) {
            listeners.add(listener);
            return () -> listeners.remove(listener);
        }
    }
}
