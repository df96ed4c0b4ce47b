package io.runnel.spi.control;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * The fencing token of the JobManager leader on whose behalf something is written that a successor
 * relies on: checkpoint metadata and job records. A leader that was deposed (its process paused, or
 * cut off from the cluster while another node took over) must not complete a checkpoint after its
 * successor restored from an older one, or it would commit output twice.
 *
 * <p>The JobManager implements it over its job store, where every new leader records its epoch
 * before it takes jobs over; {@link #check} compares this leader's epoch with the newest recorded.
 *
 * <p>Thread safety: both methods may be called from any thread; {@link #check} may read a small
 * file and should not be called per record.
 */
@ConsumerType
public interface LeaderFence {

    /** A fence for code that runs without a leader (tests, tools): epoch 0, never fenced. */
    LeaderFence NONE = new LeaderFence() {
        @Override
        public long epoch() {
            return 0;
        }

        @Override
        public void check() {}
    };

    /** The epoch of the leader writing; goes into checkpoint metadata. */
    long epoch();

    /**
     * Call right before writing: passes if no leader with a higher epoch has taken over.
     *
     * @throws LeaderFencedException naming both epochs if one has
     */
    void check() throws LeaderFencedException;
}
