package io.runnel.spi.control;

/**
 * A deposed JobManager leader tried to write (checkpoint metadata, a job record) after a leader with
 * a higher epoch took over; nothing was written.
 */
public class LeaderFencedException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final long epoch;
    private final long newerEpoch;

    public LeaderFencedException(long epoch, long newerEpoch, String what) {
        super("Refused to write " + what + ": this JobManager leads with epoch " + epoch + " but a leader with epoch "
                + newerEpoch + " has taken over since; the newer leader runs the job now");
        this.epoch = epoch;
        this.newerEpoch = newerEpoch;
    }

    /** The epoch of the leader that was refused. */
    public long epoch() {
        return epoch;
    }

    /** The newest epoch recorded when it was refused. */
    public long newerEpoch() {
        return newerEpoch;
    }
}
