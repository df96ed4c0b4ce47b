package io.runnel.cluster.hazelcast.internal;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import io.runnel.api.cluster.NodeId;
import io.runnel.spi.cluster.LeaderElection;
import io.runnel.spi.cluster.Leadership;
import io.runnel.spi.cluster.LeadershipListener;
import io.runnel.spi.cluster.Registration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JobManager leader election on two Hazelcast maps.
 *
 * <p>{@code runnel.leader.candidates} maps each running candidate's node id to its member's UUID.
 * {@code runnel.leadership} holds one record, {@code "<epoch> <node id> <member uuid>"}, naming the
 * leader. The leader is valid while its member is alive and its candidacy stands. When it is not,
 * the candidate on the oldest member (Hazelcast orders members by age, the same on every member)
 * replaces the record with a compare-and-set and an epoch one higher; only that candidate writes, so
 * the epoch grows by exactly one per change of leader. A valid leader is never deposed by a newer
 * candidate, so leadership stays put until its holder goes.
 *
 * <p>Everything but registration runs on the dispatch thread, on every cluster change and on a tick.
 */
final class HazelcastLeaderElection implements LeaderElection {

    static final String CANDIDATES_MAP = "runnel.leader.candidates";
    static final String LEADERSHIP_MAP = "runnel.leadership";
    private static final String KEY = "jobmanager";
    private static final Logger LOG = LoggerFactory.getLogger(HazelcastLeaderElection.class);

    private final HazelcastMembership membership;
    private final ListenerDispatch dispatch;
    private final IMap<String, String> candidates;
    private final IMap<String, String> leadership;
    private final UUID localMember;
    private final Map<NodeId, Candidate> localCandidates = new ConcurrentHashMap<>();
    private volatile Optional<Leadership> current = Optional.empty();
    /**
     * The highest epoch this member has seen. If the leader record is ever lost with the members
     * that held it, a successor still continues above every epoch it knew, so epochs never repeat.
     */
    private long highestEpochSeen;

    HazelcastLeaderElection(HazelcastInstance hazelcast, HazelcastMembership membership, ListenerDispatch dispatch) {
        this.membership = membership;
        this.dispatch = dispatch;
        this.candidates = hazelcast.getMap(CANDIDATES_MAP);
        this.leadership = hazelcast.getMap(LEADERSHIP_MAP);
        this.localMember = hazelcast.getCluster().getLocalMember().getUuid();
        candidates.addEntryListener(new RefreshOnChange(), false);
        leadership.addEntryListener(new RefreshOnChange(), false);
    }

    @Override
    public Registration runForLeader(NodeId node, LeadershipListener listener) {
        Objects.requireNonNull(listener, "listener");
        Candidate candidate = new Candidate(listener);
        if (localCandidates.putIfAbsent(node, candidate) != null) {
            throw new IllegalStateException("Node " + node + " is already running for leader");
        }
        candidates.put(node.value(), localMember.toString());
        LOG.info("JobManager on node {} runs for leader", node);
        refreshSoon();
        return () -> {
            if (localCandidates.remove(node, candidate)) {
                candidates.delete(node.value());
                LOG.info("JobManager on node {} withdrew from the leader election", node);
                refreshSoon();
            }
        };
    }

    @Override
    public Optional<Leadership> currentLeader() {
        return current;
    }

    void refreshSoon() {
        dispatch.submit("leader election", this::refresh);
    }

    /** Re-reads the leader record, takes over leadership if this member should, and tells listeners. */
    void refresh() {
        Map<UUID, Member> alive = new HashMap<>();
        for (Member member : membership.members()) {
            alive.put(member.getUuid(), member);
        }
        Map<String, String> running = new HashMap<>(candidates);
        // Entries can be lost with members that die together: put this member's candidacies back.
        for (NodeId node : localCandidates.keySet()) {
            if (!localMember.toString().equals(running.get(node.value()))) {
                candidates.put(node.value(), localMember.toString());
                running.put(node.value(), localMember.toString());
                LOG.warn("The candidacy of node {} was missing from the cluster (lost with failed members); registered it again",
                        node);
            }
        }
        String raw = leadership.get(KEY);
        LeaderRecord record = raw == null ? null : LeaderRecord.parse(raw);
        if (record != null) {
            highestEpochSeen = Math.max(highestEpochSeen, record.epoch());
        }
        boolean valid = record != null
                && alive.containsKey(record.member())
                && record.member().toString().equals(running.get(record.node().value()));
        if (!valid) {
            NodeId successor = oldestCandidate(running);
            if (successor != null && localCandidates.containsKey(successor)) {
                long previous = Math.max(highestEpochSeen, record == null ? 0 : record.epoch());
                LeaderRecord next = new LeaderRecord(previous + 1, successor, localMember);
                boolean won = raw == null
                        ? leadership.putIfAbsent(KEY, next.format()) == null
                        : leadership.replace(KEY, raw, next.format());
                if (won) {
                    record = next;
                    highestEpochSeen = next.epoch();
                    valid = true;
                    LOG.info("JobManager on node {} is now the leader (epoch {})", successor, next.epoch());
                }
            }
        }
        Optional<Leadership> now = valid ? Optional.of(new Leadership(record.node(), record.epoch())) : Optional.empty();
        current = now;
        for (Candidate candidate : localCandidates.values()) {
            candidate.tell(now);
        }
    }

    /** The candidate on the oldest live member, or null if nobody runs. */
    private NodeId oldestCandidate(Map<String, String> running) {
        for (Member member : membership.members()) {
            String uuid = member.getUuid().toString();
            for (Map.Entry<String, String> candidate : running.entrySet()) {
                if (candidate.getValue().equals(uuid)) {
                    return new NodeId(candidate.getKey());
                }
            }
        }
        return null;
    }

    /** Withdraws every candidacy of this member, so that a standby takes over at once. */
    void close() {
        for (NodeId node : localCandidates.keySet()) {
            try {
                candidates.delete(node.value());
            } catch (RuntimeException e) {
                LOG.debug("Could not withdraw candidacy of {} while shutting down", node, e);
            }
        }
        localCandidates.clear();
    }

    /** Any change of the candidates or the leader record prompts a refresh on the dispatch thread. */
    private final class RefreshOnChange implements EntryAddedListener<String, String>,
            EntryUpdatedListener<String, String>, EntryRemovedListener<String, String> {
        @Override
        public void entryAdded(EntryEvent<String, String> event) {
            refreshSoon();
        }

        @Override
        public void entryUpdated(EntryEvent<String, String> event) {
            refreshSoon();
        }

        @Override
        public void entryRemoved(EntryEvent<String, String> event) {
            refreshSoon();
        }
    }

    /** A local candidate and what it was last told, so it hears of each change once. */
    private static final class Candidate {
        private final LeadershipListener listener;
        private Optional<Leadership> told;

        Candidate(LeadershipListener listener) {
            this.listener = listener;
        }

        void tell(Optional<Leadership> now) {
            if (!now.equals(told)) {
                told = now;
                try {
                    listener.leaderChanged(now);
                } catch (RuntimeException e) {
                    LOG.warn("A leadership listener failed", e);
                }
            }
        }
    }

    /** The leader record as stored in the leadership map. */
    record LeaderRecord(long epoch, NodeId node, UUID member) {
        static LeaderRecord parse(String text) {
            String[] parts = text.split(" ");
            return new LeaderRecord(Long.parseLong(parts[0]), new NodeId(parts[1]), UUID.fromString(parts[2]));
        }

        String format() {
            return epoch + " " + node.value() + " " + member;
        }
    }
}
