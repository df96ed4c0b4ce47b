package io.runnel.state.rocksdb.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Deleting directory trees the backend owns (instance and local checkpoint directories). */
final class FileTrees {

    private FileTrees() {}

    static void delete(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** Deletes what it can: used on close, where a leftover file must not hide the close itself. */
    static void deleteQuietly(Path root) {
        try {
            delete(root);
        } catch (IOException e) {
            // Left for the next start of the same subtask, which empties its directory first.
        }
    }
}
