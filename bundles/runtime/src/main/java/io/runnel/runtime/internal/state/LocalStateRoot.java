package io.runnel.runtime.internal.state;

import io.runnel.runtime.internal.checkpoint.DurableFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This process's part of a node's local state directory ({@code <data-dir>/state-local}): keyed state
 * backends make their working directories (RocksDB instances) in {@code proc-<pid>-<n>/} beneath it.
 *
 * <p>Why a part per process: a node that is SIGKILLed never deletes its working directories, and
 * several node processes on one machine may share a data directory. The process holds an OS file lock
 * on {@code proc-*}{@code /.owner} while it runs, which the OS drops when the process dies however it
 * dies. When a process claims the base, it deletes every other {@code proc-*} directory whose lock it
 * can take and whose process is gone: that is what a dead process left behind. Directories of another
 * layout are left alone.
 *
 * <p>Both of a node's executors (local jobs and placed shares) claim the same base; they share one
 * part, counted, and the last {@link Claim#close} releases the lock. A closed part is deleted when
 * it is empty (backends delete their own directories when disposed); otherwise the next start cleans it.
 */
public final class LocalStateRoot {

    private static final Logger LOG = LoggerFactory.getLogger(LocalStateRoot.class);
    static final String PREFIX = "proc-";
    static final String OWNER = ".owner";
    private static final Map<Path, Part> PARTS = new HashMap<>();

    private LocalStateRoot() {}

    /**
     * Claims this process's part of {@code base}, cleaning what dead processes left there first.
     *
     * @throws IOException if the base or the part cannot be created or locked (the message names the path)
     */
    public static synchronized Claim claim(Path base) throws IOException {
        Path key = base.toAbsolutePath().normalize();
        Part part = PARTS.get(key);
        if (part == null) {
            try {
                Files.createDirectories(key);
            } catch (IOException e) {
                throw new IOException("cannot create the local state directory " + key + " (" + e
                        + "); set the node's data directory (--data) to a writable place", e);
            }
            cleanLeftovers(key);
            part = Part.create(key);
            PARTS.put(key, part);
        }
        part.claims++;
        return new Claim(key, part);
    }

    /** Deletes the {@code proc-*} directories of processes that are gone. */
    static void cleanLeftovers(Path base) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(base, PREFIX + "*")) {
            for (Path entry : entries) {
                if (Files.isDirectory(entry) && abandoned(entry)) {
                    LOG.info("Deleting the local state {} of a node process that is gone", entry);
                    deleteTree(entry);
                }
            }
        } catch (IOException e) {
            LOG.warn("Could not look for local state left by dead processes in {}: {}", base, e.toString());
        }
    }

    private static boolean abandoned(Path part) {
        Long pid = pidOf(part.getFileName().toString());
        if (pid == null || pid == ProcessHandle.current().pid() || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            return false;
        }
        Path owner = part.resolve(OWNER);
        if (!Files.exists(owner)) {
            return true;
        }
        try (FileChannel channel = FileChannel.open(owner, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                return false;
            }
            lock.release();
            return true;
        } catch (OverlappingFileLockException e) {
            return false;
        } catch (IOException e) {
            LOG.warn("Could not check whether {} is still in use: {}", part, e.toString());
            return false;
        }
    }

    /** The pid in {@code proc-<pid>-<n>}, or null if the name is not of that form. */
    static Long pidOf(String name) {
        if (!name.startsWith(PREFIX)) {
            return null;
        }
        int end = name.indexOf('-', PREFIX.length());
        try {
            return Long.parseLong(end < 0 ? name.substring(PREFIX.length()) : name.substring(PREFIX.length(), end));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static void deleteTree(Path root) {
        try {
            DurableFiles.deleteRecursively(root);
        } catch (IOException e) {
            LOG.warn("Could not delete all of {}: {}", root, e.toString());
        }
    }

    private static synchronized void release(Path key, Part part) {
        if (--part.claims > 0) {
            return;
        }
        PARTS.remove(key, part);
        part.unlock();
    }

    /** One process's locked directory. */
    private static final class Part {
        final Path directory;
        final FileChannel channel;
        final FileLock lock;
        int claims;

        private Part(Path directory, FileChannel channel, FileLock lock) {
            this.directory = directory;
            this.channel = channel;
            this.lock = lock;
        }

        static Part create(Path base) throws IOException {
            Path directory = base.resolve(PREFIX + ProcessHandle.current().pid() + "-"
                    + Integer.toUnsignedString(ThreadLocalRandom.current().nextInt(), 36));
            Files.createDirectories(directory);
            FileChannel channel = FileChannel.open(directory.resolve(OWNER), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            try {
                FileLock lock = channel.tryLock();
                if (lock == null) {
                    throw new IOException("the new local state directory " + directory + " is locked by another process");
                }
                return new Part(directory, channel, lock);
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        }

        void unlock() {
            try {
                lock.release();
                channel.close();
                Files.deleteIfExists(directory.resolve(OWNER));
                Files.deleteIfExists(directory);
            } catch (java.nio.file.DirectoryNotEmptyException e) {
                LOG.info("Local state remains in {}; the next node started on this data directory deletes it", directory);
            } catch (IOException e) {
                LOG.warn("Could not release the local state directory {}: {}", directory, e.toString());
            }
        }
    }

    /** A use of this process's part; close it when the component using it stops. */
    public static final class Claim implements AutoCloseable {
        private final Path key;
        private final Part part;
        private boolean closed;

        private Claim(Path key, Part part) {
            this.key = key;
            this.part = part;
        }

        /** Where this process's backends make their working directories. */
        public Path directory() {
            return part.directory;
        }

        @Override
        public void close() {
            synchronized (LocalStateRoot.class) {
                if (closed) {
                    return;
                }
                closed = true;
            }
            release(key, part);
        }
    }
}
