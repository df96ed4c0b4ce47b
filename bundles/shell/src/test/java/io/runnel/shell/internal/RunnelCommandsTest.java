package io.runnel.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.api.JobId;
import io.runnel.api.cluster.NodeId;
import io.runnel.api.cluster.NodeInfo;
import io.runnel.api.cluster.NodeRole;
import io.runnel.api.cluster.SlotId;
import io.runnel.api.cluster.SlotInfo;
import io.runnel.spi.cluster.Leadership;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RunnelCommandsTest {

    private static final NodeId JM = new NodeId("jm");
    private static final NodeId TM = new NodeId("tm");

    @Test
    void nodesShowRolesLeaderAndSelf() {
        String text = RunnelCommands.formatNodes(List.of(
                new NodeInfo(JM, "127.0.0.1", 5701, EnumSet.allOf(NodeRole.class)),
                new NodeInfo(new NodeId("jm2"), "127.0.0.1", 5703, EnumSet.of(NodeRole.JOBMANAGER)),
                new NodeInfo(TM, "127.0.0.1", 5702, EnumSet.of(NodeRole.TASKMANAGER))),
                TM, Optional.of(new Leadership(JM, 2)));
        assertThat(text.lines()).containsExactly(
                "NODE  ADDRESS         ROLES                   NOTES",
                "jm    127.0.0.1:5701  jobmanager,taskmanager  leader (epoch 2)",
                "jm2   127.0.0.1:5703  jobmanager              standby",
                "tm    127.0.0.1:5702  taskmanager             this node");
    }

    @Test
    void slotsShowStateJobAndTotals() {
        JobId job = JobId.generate();
        String text = RunnelCommands.formatSlots(List.of(
                SlotInfo.free(new SlotId(TM, 0)), SlotInfo.allocated(new SlotId(TM, 1), job)));
        assertThat(text.lines()).containsExactly(
                "SLOT  STATE      JOB",
                "tm#0  FREE",
                "tm#1  ALLOCATED  " + job,
                "2 slot(s): 1 free, 1 used");
    }

    @Test
    void deployedBundlesAreRecognisedWhateverTheUrlSpelling() {
        java.nio.file.Path dir = java.nio.file.Path.of("/opt/runnel/deploy");
        assertThat(RunnelCommands.fileIn(dir, "file:/opt/runnel/deploy/a.jar")).hasToString("a.jar");
        assertThat(RunnelCommands.fileIn(dir, "file:///opt/runnel/deploy/sub/b.jar")).hasToString("sub/b.jar");
        assertThat(RunnelCommands.fileIn(dir, "file:/opt/other/c.jar")).isNull();
        assertThat(RunnelCommands.fileIn(dir, "mvn:io.runnel/x/1")).isNull();
    }
}
