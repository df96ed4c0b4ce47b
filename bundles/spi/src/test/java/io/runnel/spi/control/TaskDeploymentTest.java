package io.runnel.spi.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.api.JobId;
import io.runnel.api.cluster.NodeId;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskDeploymentTest {

    private static final NodeId A = new NodeId("a:5701");
    private static final NodeId B = new NodeId("b:5701");

    @Test
    void survivesItsMessageFormAndKnowsEachNodesSlots() {
        TaskDeployment deployment = new TaskDeployment(JobId.generate(), 2, "clicks", "clickstream", 4,
                Map.of("rate", "100", "unbounded", "true"), List.of(A, B, A, B), Map.of(A, "127.0.0.1:4001", B, "127.0.0.1:4002"));
        TaskDeployment back = TaskDeployment.decode(deployment.encode());
        assertThat(back).isEqualTo(deployment);
        assertThat(back.slotsOf(A)).containsExactly(0, 2);
        assertThat(back.slotsOf(B)).containsExactly(1, 3);
        assertThat(back.slotsOf(new NodeId("c:1"))).isEmpty();
    }

    @Test
    void aRestartCarriesTheCheckpointItRestoresFrom() {
        TaskDeployment restart = new TaskDeployment(JobId.generate(), 3, "clicks", "clickstream", 2, Map.of(), List.of(B, B),
                Map.of(B, "127.0.0.1:4002"), "/data/checkpoints/job/chk-12");
        assertThat(TaskDeployment.decode(restart.encode())).isEqualTo(restart);
        assertThat(TaskDeployment.decode(restart.encode()).restorePath()).isEqualTo("/data/checkpoints/job/chk-12");
    }

    @Test
    void aSlotOnANodeWithoutDataAddressIsRefused() {
        assertThatThrownBy(() -> new TaskDeployment(JobId.generate(), 0, "j", "j", 1, Map.of(), List.of(A, B),
                Map.of(A, "127.0.0.1:1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Node b:5701 hosts slots of job 'j' but has no data address");
    }

    @Test
    void aTruncatedOrForeignMessageIsRefusedClearly() {
        byte[] message = new TaskDeployment(JobId.generate(), 0, "j", "j", 1, Map.of(), List.of(A), Map.of(A, "h:1")).encode();
        assertThatThrownBy(() -> TaskDeployment.decode(Arrays.copyOf(message, message.length - 3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cut short");
        message[0] = 9;
        assertThatThrownBy(() -> TaskDeployment.decode(message))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("format 9");
    }

    @Test
    void taskReportsSurviveTheirMessageForm() {
        TaskReport failed = new TaskReport(JobId.generate(), 3, TaskExecutor.Outcome.FAILED, "Operator 'map' (1/2) failed: boom");
        assertThat(TaskReport.decode(failed.encode())).isEqualTo(failed);
        TaskReport finished = new TaskReport(JobId.generate(), 0, TaskExecutor.Outcome.FINISHED, null);
        assertThat(TaskReport.decode(finished.encode())).isEqualTo(finished);
    }
}
