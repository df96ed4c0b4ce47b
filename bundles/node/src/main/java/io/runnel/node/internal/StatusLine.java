package io.runnel.node.internal;

import io.runnel.api.cluster.NodeInfo;
import io.runnel.api.cluster.NodeRole;
import io.runnel.api.cluster.SlotInfo;
import io.runnel.api.cluster.SlotState;
import io.runnel.spi.cluster.ClusterMembership;
import io.runnel.spi.cluster.LeaderElection;
import io.runnel.spi.cluster.Leadership;
import io.runnel.spi.cluster.SlotRegistry;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * Prints one line on stdout whenever what this node sees changes: itself, the cluster, the leader and
 * the slots. Checked once a second; an unchanged picture prints nothing.
 *
 * <pre>
 * runnel status | node=127.0.0.1:5701 roles=jobmanager,taskmanager | cluster nodes=2 jobmanagers=1 taskmanagers=2 | leader=127.0.0.1:5701 epoch=1 (this node) | slots total=4 free=4 used=0
 * </pre>
 */
@Component(immediate = true, service = {})
public final class StatusLine {

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ClusterMembership membership;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile SlotRegistry slotRegistry;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile LeaderElection election;

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "runnel-status-line");
        thread.setDaemon(true);
        return thread;
    });
    private String lastPrinted;

    @Activate
    public StatusLine() {
        timer.scheduleWithFixedDelay(this::printIfChanged, 500, 1000, TimeUnit.MILLISECONDS);
    }

    @Deactivate
    void deactivate() {
        timer.shutdownNow();
    }

    private void printIfChanged() {
        String line;
        try {
            line = compose(membership, slotRegistry, election);
        } catch (RuntimeException e) {
            line = "runnel status | cluster unavailable: " + e.getMessage();
        }
        if (!line.equals(lastPrinted)) {
            lastPrinted = line;
            System.out.println(line);
        }
    }

    static String compose(ClusterMembership membership, SlotRegistry slots, LeaderElection election) {
        if (membership == null) {
            return "runnel status | node starting: not in a cluster yet";
        }
        NodeInfo self = membership.localNode();
        List<NodeInfo> nodes = membership.nodes();
        StringBuilder line = new StringBuilder("runnel status | node=").append(self.id())
                .append(" roles=").append(self.roles().stream().map(NodeRole::configName).sorted()
                        .collect(Collectors.joining(",")))
                .append(" | cluster nodes=").append(nodes.size())
                .append(" jobmanagers=").append(nodes.stream().filter(n -> n.hasRole(NodeRole.JOBMANAGER)).count())
                .append(" taskmanagers=").append(nodes.stream().filter(n -> n.hasRole(NodeRole.TASKMANAGER)).count());
        Optional<Leadership> leader = election == null ? Optional.empty() : election.currentLeader();
        line.append(" | leader=").append(leader.map(l -> l.leader().value() + " epoch=" + l.epoch()
                + (l.isHeldBy(self.id()) ? " (this node)" : "")).orElse("none"));
        if (slots != null) {
            List<SlotInfo> all = slots.slots();
            long free = all.stream().filter(s -> s.state() == SlotState.FREE).count();
            line.append(" | slots total=").append(all.size()).append(" free=").append(free)
                    .append(" used=").append(all.size() - free);
        }
        return line.toString();
    }
}
