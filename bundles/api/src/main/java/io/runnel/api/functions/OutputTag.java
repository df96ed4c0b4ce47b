package io.runnel.api.functions;

import java.util.Objects;

/**
 * Names a side output: records a function emits beside its main output, selected downstream with
 * {@code getSideOutput(tag)}. Two tags are the same side output when their ids are equal.
 *
 * @param id the side output's name, unique within the operator
 * @param type the type of its records (for documentation and serializers)
 */
public record OutputTag<T>(String id, Class<T> type) {

    public OutputTag {
        Objects.requireNonNull(id, "id");
        if (id.isBlank()) {
            throw new IllegalArgumentException("An output tag needs a non-blank id");
        }
    }
}
