package io.runnel.runtime.internal.task;

import io.runnel.api.functions.KeySelector;

/**
 * How records of one edge are spread over the consumer's subtasks.
 *
 * @param kind the strategy
 * @param keySelector the key of each record, for {@link Kind#HASH} only
 */
public record Partitioning(Kind kind, KeySelector<Object, Object> keySelector) {

    /** The strategies. */
    public enum Kind {
        /** Subtask i to subtask i; needs equal parallelism; lets operators chain. */
        FORWARD,
        /** Round-robin over all consumers. */
        REBALANCE,
        /** Every record to every consumer. */
        BROADCAST,
        /** By key group of the record's key. */
        HASH
    }

    public static final Partitioning FORWARD = new Partitioning(Kind.FORWARD, null);
    public static final Partitioning REBALANCE = new Partitioning(Kind.REBALANCE, null);
    public static final Partitioning BROADCAST = new Partitioning(Kind.BROADCAST, null);

    @SuppressWarnings("unchecked")
    public static Partitioning hash(KeySelector<?, ?> keySelector) {
        return new Partitioning(Kind.HASH, (KeySelector<Object, Object>) keySelector);
    }
}
