package io.runnel.runtime.internal.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.runtime.internal.task.CheckpointType;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The checkpoint messages between the JobManager and the nodes of a placed job. */
class CheckpointMessagesTest {

    @Test
    void everyMessageSurvivesItsBytes() {
        var trigger = new CheckpointMessages.Trigger("job-1", 2, 17, CheckpointType.SAVEPOINT_DRAIN, "/sp/savepoint-x");
        assertThat(CheckpointMessages.Trigger.decode(trigger.encode())).isEqualTo(trigger);

        var ack = new CheckpointMessages.Ack("job-1", 2, 17, List.of(
                new OperatorState("windows", 4, 128, Map.of(1, new StateHandle("op-windows-1.state", 4096, 0xcafe),
                        3, new StateHandle("op-windows-3.state", 12, -1))),
                new OperatorState("source", 4, 4, Map.of())));
        assertThat(CheckpointMessages.Ack.decode(ack.encode())).isEqualTo(ack);

        var decline = new CheckpointMessages.Notice("job-1", 2, 17, "disk full writing op-windows-1.state");
        assertThat(CheckpointMessages.Notice.decode(decline.encode())).isEqualTo(decline);
        var completion = new CheckpointMessages.Notice("job-1", 2, 17, null);
        assertThat(CheckpointMessages.Notice.decode(completion.encode())).isEqualTo(completion);
    }

    @Test
    void aMessageOfAnotherFormatOrCutShortIsRefusedWithWhatItWas() {
        byte[] trigger = new CheckpointMessages.Trigger("job-1", 0, 1, CheckpointType.CHECKPOINT, "/c").encode();
        byte[] newer = trigger.clone();
        newer[0] = 9;
        assertThatThrownBy(() -> CheckpointMessages.Trigger.decode(newer)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("format 9").hasMessageContaining("same Runnel version on every node");
        assertThatThrownBy(() -> CheckpointMessages.Trigger.decode(Arrays.copyOf(trigger, 6)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("checkpoint trigger message of 6 bytes");
    }
}
