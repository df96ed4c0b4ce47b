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
        /** Round-robin over this producer's share of the consumers. */
        RESCALE,
        /** Every record to every consumer. */
        BROADCAST,
        /** By key group of the record's key. */
        HASH
    }

    public static final Partitioning FORWARD = new Partitioning(Kind.FORWARD, null);
    public static final Partitioning REBALANCE = new Partitioning(Kind.REBALANCE, null);
    public static final Partitioning RESCALE = new Partitioning(Kind.RESCALE, null);
    public static final Partitioning BROADCAST = new Partitioning(Kind.BROADCAST, null);

    /**
     * For RESCALE: the consumers producer {@code producer} of {@code producers} feeds, as a range
     * [first, last]. Consumers are split into contiguous groups, one per producer when there are more
     * consumers, and producers share a consumer when there are fewer.
     */
    public static int[] rescaleRange(int producer, int producers, int consumers) {
        if (consumers >= producers) {
            int first = (int) ((long) producer * consumers / producers);
            int last = (int) ((long) (producer + 1) * consumers / producers) - 1;
            return new int[] {first, last};
        }
        int consumer = (int) ((long) producer * consumers / producers);
        return new int[] {consumer, consumer};
    }

    @SuppressWarnings("unchecked")
    public static Partitioning hash(KeySelector<?, ?> keySelector) {
        return new Partitioning(Kind.HASH, (KeySelector<Object, Object>) keySelector);
    }
}
