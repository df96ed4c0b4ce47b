package io.runnel.api.cluster;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The name of one Runnel node (one process) in a cluster, unique within the cluster.
 *
 * <p>Allowed characters are letters, digits, {@code . _ : -}; by default a node is named after the
 * address its cluster endpoint listens on, for example {@code 127.0.0.1:5701}.
 *
 * @param value the node's name
 */
public record NodeId(String value) {

    private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9._:\\-]{1,128}");

    /**
     * @throws IllegalArgumentException if {@code value} is empty, longer than 128 characters or holds
     *     a character other than letters, digits and {@code . _ : -}
     */
    public NodeId {
        Objects.requireNonNull(value, "value");
        if (!ALLOWED.matcher(value).matches()) {
            throw new IllegalArgumentException("A node id is 1 to 128 letters, digits or '.', '_', ':', '-', but got '"
                    + value + "'");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
