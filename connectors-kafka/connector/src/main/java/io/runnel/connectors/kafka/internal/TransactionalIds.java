package io.runnel.connectors.kafka.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The transactional ids of one exactly-once sink: {@code <prefix>-<parallelism>-<subtask>-<n>} with
 * {@code n} below the pool size. Each subtask of a run owns the namespace {@code <prefix>-<P>-<i>};
 * putting the run's parallelism in it means that after a rescale the new subtasks write under ids
 * no old subtask used, so cleaning up the old run's namespaces (which the old state's holders do)
 * can never fence a new writer.
 *
 * @param prefix the sink's transactional-id prefix
 * @param parallelism the parallelism of the run that owns the namespace
 * @param subtask the owning subtask's index
 * @param poolSize ids in the namespace
 */
record TransactionalIds(String prefix, int parallelism, int subtask, int poolSize) {

    private static final Pattern ID = Pattern.compile("(.+)-(\\d+)-(\\d+)-(\\d+)");

    String id(int index) {
        return prefix + "-" + parallelism + "-" + subtask + "-" + index;
    }

    /** The namespace an id belongs to, with a pool of at least its index + 1; null if it is not an id of {@code prefix}. */
    static TransactionalIds namespaceOf(String transactionalId, String prefix) {
        Matcher matcher = ID.matcher(transactionalId);
        if (!matcher.matches() || !matcher.group(1).equals(prefix)) {
            return null;
        }
        try {
            return new TransactionalIds(prefix, Integer.parseInt(matcher.group(2)), Integer.parseInt(matcher.group(3)),
                    Integer.parseInt(matcher.group(4)) + 1);
        } catch (NumberFormatException tooLong) {
            return null;
        }
    }

    @Override
    public String toString() {
        return prefix + "-" + parallelism + "-" + subtask + "-[0.." + (poolSize - 1) + "]";
    }
}
