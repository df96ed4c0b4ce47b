package io.runnel.runtime.internal.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlacementTest {

    private static final String JOB = "0123456789abcdef0123456789abcdef";
    private static final Map<String, String> ADDRESSES = Map.of("tm-a", "10.0.0.1:6121", "tm-b", "[::1]:6122");

    @Test
    void subtaskIRunsOnTheNodeOfSlotI() {
        Placement placement = new Placement(JOB, 2, List.of("tm-a", "tm-b", "tm-a"), ADDRESSES);
        assertThat(placement.slots()).isEqualTo(3);
        assertThat(placement.slotsOf("tm-a")).containsExactly(0, 2);
        assertThat(placement.slotsOf("tm-b")).containsExactly(1);
        assertThat(placement.slotsOf("tm-c")).isEmpty();
        assertThat(placement.dataAddress("tm-a").getPort()).isEqualTo(6121);
        assertThat(placement.dataAddress("tm-b").getAddress().isLoopbackAddress()).isTrue();
    }

    @Test
    void everySlotNeedsANode() {
        assertThatThrownBy(() -> new Placement(JOB, 0, Arrays.asList("tm-a", null), ADDRESSES))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Slot 1 of job " + JOB + " has no node")
                .hasMessageContaining("every slot from 0 to 1");
        assertThatThrownBy(() -> new Placement(JOB, 0, List.of(), ADDRESSES))
                .hasMessageContaining("has no slots");
    }

    @Test
    void everyNodeNeedsADataAddressOfTheFormHostColonPort() {
        assertThatThrownBy(() -> new Placement(JOB, 0, List.of("tm-a", "tm-c"), ADDRESSES))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Node 'tm-c' hosts slot 1")
                .hasMessageContaining("has no data address");
        Map<String, String> noPort = new HashMap<>(ADDRESSES);
        noPort.put("tm-b", "10.0.0.2");
        assertThatThrownBy(() -> new Placement(JOB, 0, List.of("tm-a", "tm-b"), noPort))
                .hasMessageContaining("The data address '10.0.0.2' of node 'tm-b' is not host:port");
        noPort.put("tm-b", "10.0.0.2:70000");
        assertThatThrownBy(() -> new Placement(JOB, 0, List.of("tm-a", "tm-b"), noPort))
                .hasMessageContaining("port from 1 to 65535");
    }

    @Test
    void theJobIdAndAttemptAreChecked() {
        assertThatThrownBy(() -> new Placement("job-1", 0, List.of("tm-a"), ADDRESSES))
                .hasMessageContaining("needs the job's id (32 lower-case hexadecimal characters), but got 'job-1'");
        assertThatThrownBy(() -> new Placement(JOB, -1, List.of("tm-a"), ADDRESSES))
                .hasMessageContaining("must be 0 or more, but got -1");
    }
}
