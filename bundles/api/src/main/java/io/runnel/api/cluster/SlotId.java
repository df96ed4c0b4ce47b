package io.runnel.api.cluster;

import java.util.Objects;

/**
 * One task slot: the {@code index}-th slot of a TaskManager node. Written as {@code node#index}.
 *
 * @param node the TaskManager node offering the slot
 * @param index the slot's position on that node, from 0
 */
public record SlotId(NodeId node, int index) {

    public SlotId {
        Objects.requireNonNull(node, "node");
        if (index < 0) {
            throw new IllegalArgumentException("A slot index is 0 or more, but got " + index + " for node " + node);
        }
    }

    /**
     * Parses the {@code node#index} form produced by {@link #toString()}.
     *
     * @throws IllegalArgumentException if {@code text} is not of that form
     */
    public static SlotId parse(String text) {
        int hash = text == null ? -1 : text.lastIndexOf('#');
        if (hash <= 0 || hash == text.length() - 1) {
            throw new IllegalArgumentException("A slot id looks like 'node#index', but got '" + text + "'");
        }
        try {
            return new SlotId(new NodeId(text.substring(0, hash)), Integer.parseInt(text.substring(hash + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("A slot id looks like 'node#index', but got '" + text + "'", e);
        }
    }

    @Override
    public String toString() {
        return node.value() + "#" + index;
    }
}
