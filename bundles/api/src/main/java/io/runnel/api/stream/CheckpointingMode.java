package io.runnel.api.stream;

/** What a checkpoint guarantees about the state it restores. */
public enum CheckpointingMode {
    /**
     * Barriers are aligned (or, with unaligned checkpoints, in-flight records are saved with the
     * snapshot): after a restore every record has affected the state exactly once.
     */
    EXACTLY_ONCE,
    /**
     * Barriers are not aligned and channels never wait: checkpoints disturb processing less, but
     * after a restore some records that arrived before a barrier on one input and after it on another
     * affect the state twice.
     */
    AT_LEAST_ONCE
}
