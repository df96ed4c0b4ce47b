package io.runnel.connectors.basic.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntPredicate;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The file sink's output directory: lists the sink's part files, deletes the ones a subtask is
 * responsible for, and syncs the directory so renames survive a crash.
 *
 * <p>Thread safety: instances hold no mutable state; the subtasks of one sink each use their own.
 * They may run at the same time, which is why {@link #nextCounter} lists twice.
 */
final class PartFileDirectory {

    private final Path path;

    private PartFileDirectory(Path path) {
        this.path = path;
    }

    /** The directory, created if missing. */
    static PartFileDirectory open(Path path) throws IOException {
        try {
            Files.createDirectories(path);
        } catch (IOException e) {
            throw new IOException("The file sink cannot create its output directory " + path + ": " + e, e);
        }
        return new PartFileDirectory(path);
    }

    Path path() {
        return path;
    }

    Path resolve(String fileName) {
        return path.resolve(fileName);
    }

    /** The sink's files in the directory, by name; other files are left out. */
    TreeMap<String, PartFileName> list() throws IOException {
        TreeMap<String, PartFileName> files = new TreeMap<>();
        try (Stream<Path> listing = Files.list(path)) {
            for (Path file : (Iterable<Path>) listing::iterator) {
                String name = file.getFileName().toString();
                PartFileName parsed = PartFileName.parse(name);
                if (parsed != null) {
                    files.put(name, parsed);
                }
            }
        } catch (IOException e) {
            throw new IOException("The file sink cannot list its output directory " + path + ": " + e, e);
        }
        return files;
    }

    /**
     * One more than the highest counter any file of {@code subtask}'s namespace has, in any stage; 0
     * if there is none. Other subtasks may be committing files of this namespace meanwhile (after a
     * rescale), and a listing may miss a file renamed while it runs; each file is renamed at most once
     * here, so of two listings one after the other at least one sees it under one of its names.
     */
    long nextCounter(int subtask) throws IOException {
        long next = 0;
        for (int listing = 0; listing < 2; listing++) {
            for (PartFileName file : list().values()) {
                if (file.subtask() == subtask && file.kind() != PartFileName.Kind.LEGACY) {
                    next = Math.max(next, file.counter() + 1);
                }
            }
        }
        return next;
    }

    /**
     * Deletes the sink's files that {@code which} selects and whose namespace {@code owned} accepts,
     * except the names in {@code keep}.
     *
     * @return the names deleted
     * @throws IOException naming the file that could not be deleted
     */
    List<String> delete(IntPredicate owned, Predicate<PartFileName> which, Set<String> keep) throws IOException {
        List<String> deleted = new ArrayList<>();
        for (var file : list().entrySet()) {
            PartFileName name = file.getValue();
            if (which.test(name) && owned.test(name.subtask()) && !keep.contains(file.getKey())) {
                Path target = path.resolve(file.getKey());
                try {
                    if (Files.deleteIfExists(target)) {
                        deleted.add(file.getKey());
                    }
                } catch (IOException e) {
                    throw new IOException("The file sink cannot delete " + target + ", a leftover of an earlier run: "
                            + e, e);
                }
            }
        }
        return deleted;
    }

    /**
     * Makes renames and deletions in the directory durable (fsync of the directory). Platforms that
     * cannot open a directory for this are skipped, as there renames are made durable by the file
     * system itself or not at all.
     *
     * @throws IOException naming the directory if the sync itself fails
     */
    void sync() throws IOException {
        FileChannel channel;
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ);
        } catch (IOException | UnsupportedOperationException e) {
            return; // e.g. Windows: a directory cannot be opened as a channel
        }
        try (channel) {
            channel.force(true);
        } catch (IOException e) {
            throw new IOException("The file sink cannot sync its output directory " + path
                    + ", so renamed part files may not survive a crash: " + e, e);
        }
    }
}
