package io.runnel.spi.cluster;

import java.util.Optional;
import org.osgi.annotation.versioning.ConsumerType;

/** Told who leads whenever that changes; see the package notes on threading. */
@ConsumerType
public interface LeadershipListener {

    /**
     * The leader is now {@code leader}, or nobody while an election is under way. Compare with
     * {@link Leadership#isHeldBy} to learn whether this candidate leads.
     */
    void leaderChanged(Optional<Leadership> leader);
}
