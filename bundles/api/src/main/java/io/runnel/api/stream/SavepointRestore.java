package io.runnel.api.stream;

import java.util.Objects;

/**
 * Where a job starts from: a savepoint or a retained checkpoint directory. State is matched to
 * operators by uid. If the savepoint holds state for a uid the job has no operator for, the job is
 * refused, unless {@code allowNonRestoredState} says that state may be dropped.
 *
 * @param path the savepoint's directory (the one holding {@code _metadata})
 * @param allowNonRestoredState whether state without a matching operator may be dropped
 */
public record SavepointRestore(String path, boolean allowNonRestoredState) {

    public SavepointRestore {
        Objects.requireNonNull(path, "path");
        if (path.isBlank()) {
            throw new IllegalArgumentException("A savepoint path must not be blank");
        }
    }
}
