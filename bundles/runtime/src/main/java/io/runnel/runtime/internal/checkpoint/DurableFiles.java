package io.runnel.runtime.internal.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The file-system steps that make checkpoint files durable, and that remove them safely. */
public final class DurableFiles {

    private static final Logger LOG = LoggerFactory.getLogger(DurableFiles.class);

    private DurableFiles() {
    }

    /**
     * Flushes a directory's entries (files created, renamed or deleted in it) to disk. Where a
     * directory cannot be opened or forced (Windows, some network file systems) this does nothing:
     * there the rename itself is the best the platform offers, as in Lucene's {@code IOUtils.fsync}.
     */
    static void fsyncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            LOG.debug("Cannot fsync directory {} on this platform: {}", directory, e.toString());
        }
    }

    /**
     * Writes {@code target} so that a reader sees either no file or the whole content, even after a
     * crash: the bytes go to a temporary sibling, which is forced to disk, atomically renamed to
     * {@code target}, and then the directory is forced so the rename itself survives a crash. On
     * failure the temporary file is removed and {@code target} does not exist.
     */
    static void writeAtomically(Path target, byte[] content) throws IOException {
        Path temporary = target.resolveSibling(target.getFileName() + ".inprogress");
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            // No fallback to a plain move: a non-atomic rename could leave a half-visible _metadata.
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            deleteQuietly(temporary);
            throw e;
        }
        fsyncDirectory(target.getParent());
    }

    /**
     * Deletes a checkpoint directory and everything in it. {@code _metadata} goes first, so a crash
     * halfway leaves an incomplete checkpoint (ignored on restore) rather than a complete-looking one
     * with files missing.
     */
    static void deleteCheckpointDirectory(Path directory) throws IOException {
        try {
            Files.deleteIfExists(directory.resolve(MetadataFormat.FILE_NAME));
        } catch (NoSuchFileException e) {
            return; // the directory itself is gone already
        }
        deleteRecursively(directory);
    }

    /** Deletes a directory tree; a tree that is already (partly) gone is not an error. */
    public static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path directory, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.deleteIfExists(directory);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.debug("Cannot delete {}: {}", file, e.toString());
        }
    }
}
