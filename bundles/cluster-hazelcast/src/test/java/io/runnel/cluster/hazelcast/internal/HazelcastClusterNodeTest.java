package io.runnel.cluster.hazelcast.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;

import io.runnel.api.JobId;
import io.runnel.api.cluster.NodeId;
import io.runnel.api.cluster.NodeRole;
import io.runnel.api.cluster.SlotId;
import io.runnel.api.cluster.SlotInfo;
import io.runnel.api.cluster.SlotState;
import io.runnel.spi.cluster.Leadership;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two and three real Hazelcast members in this JVM, on loopback ports picked free for the test. */
class HazelcastClusterNodeTest {

    private static final Duration WITHIN = Duration.ofSeconds(20);
    private final List<HazelcastClusterNode> started = new ArrayList<>();

    @AfterEach
    void stopAll() {
        for (HazelcastClusterNode node : started) {
            try {
                node.deactivate();
            } catch (RuntimeException e) {
                // already stopped by the test
            }
        }
    }

    @Test
    void slotsOfferedOnOneNodeAreSeenByAllAndVanishWhenItLeaves() throws IOException {
        HazelcastClusterNode first = start(null, "both");
        HazelcastClusterNode second = start(first, "taskmanager");
        NodeId secondId = second.localNode().id();

        await().atMost(WITHIN).until(() -> first.nodes().size() == 2);
        assertThat(first.nodes().get(1).roles()).containsExactly(NodeRole.TASKMANAGER);

        second.offerSlots(secondId, 3);
        await().atMost(WITHIN).until(() -> first.slots().size() == 3);
        assertThat(first.slots()).allMatch(s -> s.state() == SlotState.FREE && s.id().node().equals(secondId));

        JobId job = JobId.generate();
        SlotId slot = new SlotId(secondId, 1);
        assertThat(first.allocate(slot, job)).isTrue();
        assertThat(second.allocate(slot, JobId.generate())).as("a slot is given to one job only").isFalse();
        await().atMost(WITHIN).until(() -> second.slots().contains(SlotInfo.allocated(slot, job)));
        assertThat(first.release(slot, JobId.generate())).as("only the holder releases").isFalse();
        assertThat(first.release(slot, job)).isTrue();

        second.deactivate();
        await().atMost(WITHIN).until(() -> first.slots().isEmpty() && first.nodes().size() == 1);
    }

    @Test
    void oneLeaderAtATimeAndAStandbyTakesOverWithAHigherEpoch() throws IOException {
        HazelcastClusterNode first = start(null, "both");
        HazelcastClusterNode second = start(first, "jobmanager");
        List<Optional<Leadership>> heardBySecond = new CopyOnWriteArrayList<>();
        List<Optional<Leadership>> heardByFirst = new CopyOnWriteArrayList<>();
        first.runForLeader(first.localNode().id(), heardByFirst::add);
        await().atMost(WITHIN).until(() -> first.currentLeader().isPresent());
        second.runForLeader(second.localNode().id(), heardBySecond::add);

        Leadership initial = first.currentLeader().orElseThrow();
        assertThat(initial.leader()).isEqualTo(first.localNode().id());
        await().atMost(WITHIN).until(() -> heardBySecond.contains(Optional.of(initial)));
        assertThat(heardByFirst).contains(Optional.of(initial));

        first.deactivate();
        await().atMost(WITHIN).until(() -> second.currentLeader()
                .filter(l -> l.isHeldBy(second.localNode().id())).isPresent());
        assertThat(second.currentLeader().orElseThrow().epoch()).isEqualTo(initial.epoch() + 1);
    }

    @Test
    void epochsNeverRepeatAndCandidaciesComeBackIfTheirEntriesAreLost() throws IOException {
        HazelcastClusterNode first = start(null, "both");
        HazelcastClusterNode second = start(first, "jobmanager");
        first.runForLeader(first.localNode().id(), leader -> {});
        second.runForLeader(second.localNode().id(), leader -> {});
        await().atMost(WITHIN).until(() -> second.currentLeader().map(Leadership::epoch).orElse(0L) == 1L);
        first.deactivate();
        await().atMost(WITHIN).until(() -> second.currentLeader().filter(l -> l.isHeldBy(second.localNode().id())).isPresent());
        long epochBeforeLoss = second.currentLeader().orElseThrow().epoch();

        // What losing the partitions of failed members looks like to a survivor: the leader record
        // and its own candidacy are gone. Without re-registration nobody would lead; without the
        // highest epoch seen, the new record would start again at 1.
        var hazelcast = com.hazelcast.core.Hazelcast.getHazelcastInstanceByName("runnel-" + second.localNode().address());
        hazelcast.getMap(HazelcastLeaderElection.LEADERSHIP_MAP).delete("jobmanager");
        hazelcast.getMap(HazelcastLeaderElection.CANDIDATES_MAP).delete(second.localNode().id().value());

        await().atMost(WITHIN).until(() -> second.currentLeader()
                .filter(l -> l.isHeldBy(second.localNode().id()) && l.epoch() > epochBeforeLoss).isPresent());
        assertThat(second.currentLeader().orElseThrow().epoch()).as("above every epoch seen before").isGreaterThan(1);
        assertThat(hazelcast.getMap(HazelcastLeaderElection.CANDIDATES_MAP).containsKey(second.localNode().id().value()))
                .as("the candidacy is registered again").isTrue();
    }

    @Test
    void aSecondNodeWithTheSameIdIsRefused() throws IOException {
        HazelcastClusterNode first = start(null, "both");
        TestConfig clash = new TestConfig(freePort());
        clash.members = new String[] {first.localNode().address()};
        clash.nodeId = first.localNode().id().value();
        assertThatThrownBy(() -> started.add(new HazelcastClusterNode(clash)))
                .hasMessageContaining("node.id '" + clash.nodeId + "' is already used");
    }

    @Test
    void aTakenPortIsReportedWithTheAddress() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            TestConfig config = new TestConfig(taken.getLocalPort());
            assertThatThrownBy(() -> started.add(new HazelcastClusterNode(config)))
                    .hasMessageContaining("127.0.0.1:" + taken.getLocalPort())
                    .hasMessageContaining("port is free");
        }
    }

    @Test
    void messagesReachOnlyTheirTargetInTheOrderSent() throws IOException {
        HazelcastClusterNode first = start(null, "both");
        HazelcastClusterNode second = start(first, "taskmanager");
        await().atMost(WITHIN).until(() -> first.nodes().size() == 2 && second.nodes().size() == 2);
        NodeId firstId = first.localNode().id();
        NodeId secondId = second.localNode().id();

        List<String> atSecond = new CopyOnWriteArrayList<>();
        List<String> atFirst = new CopyOnWriteArrayList<>();
        List<String> otherTopic = new CopyOnWriteArrayList<>();
        second.listen("deploy", (sender, payload) -> atSecond.add(sender.value() + ":" + new String(payload, UTF_8)));
        first.listen("deploy", (sender, payload) -> atFirst.add(sender.value() + ":" + new String(payload, UTF_8)));
        var registration = second.listen("status", (sender, payload) -> otherTopic.add(new String(payload, UTF_8)));

        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            first.send(secondId, "deploy", ("m" + i).getBytes(UTF_8));
            expected.add(firstId.value() + ":m" + i);
        }
        second.send(secondId, "deploy", "to myself".getBytes(UTF_8));
        first.send(secondId, "status", "s1".getBytes(UTF_8));

        await().atMost(WITHIN).until(() -> atSecond.size() == 201 && otherTopic.size() == 1);
        assertThat(atSecond.stream().filter(m -> m.startsWith(firstId.value() + ":")).toList())
                .as("one sender's messages keep their order").containsExactlyElementsOf(expected);
        assertThat(atSecond).contains(secondId.value() + ":to myself");
        assertThat(atFirst).as("nothing was addressed to the first node").isEmpty();

        registration.close();
        first.send(secondId, "status", "s2".getBytes(UTF_8));
        first.send(firstId, "deploy", "marker".getBytes(UTF_8));
        await().atMost(WITHIN).until(() -> atFirst.size() == 1);
        assertThat(otherTopic).as("a closed registration hears nothing more").containsExactly("s1");

        assertThatThrownBy(() -> first.send(secondId, " ", new byte[0]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not be blank");
        // A message to a node that is not a member is dropped, not an error.
        first.send(new NodeId("nobody"), "deploy", new byte[] {1});
    }

    private HazelcastClusterNode start(HazelcastClusterNode join, String role) throws IOException {
        TestConfig config = new TestConfig(freePort());
        config.role = role;
        if (join != null) {
            config.members = new String[] {join.localNode().address()};
        }
        HazelcastClusterNode node = new HazelcastClusterNode(config);
        started.add(node);
        return node;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
