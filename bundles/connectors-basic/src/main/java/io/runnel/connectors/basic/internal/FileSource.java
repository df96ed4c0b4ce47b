package io.runnel.connectors.basic.internal;

import io.runnel.api.functions.Collector;
import io.runnel.api.stream.SourceDescriptor;
import io.runnel.api.stream.Sources;
import io.runnel.spi.connector.SourceProvider;
import io.runnel.spi.connector.SourceReader;
import io.runnel.spi.connector.SubtaskInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.osgi.service.component.annotations.Component;

/**
 * Reads the lines of a file, or of every regular file in a directory (sorted by name), as strings.
 * Subtask i of P reads files i, i+P, ...; bounded. In a directory, files whose names start with
 * {@code .} or {@code _} are skipped: they are hidden or still being written (the file sink's
 * in-progress and pending files are such).
 *
 * <p>Checkpoints: each file a reader has not finished is a split, its path and the byte offset of
 * its next line ({@link FileSplit}); finished files are left out. A restored reader reads its splits
 * in turn, each from its offset, so it continues exactly after the last line emitted before the
 * checkpoint, at any parallelism. The files are those listed when the job first started; files added
 * to the directory later are not picked up by a restore.
 */
@Component(property = SourceProvider.CONNECTOR + "=" + Sources.FILE)
public final class FileSource implements SourceProvider {

    private static final int LINES_PER_POLL = 1024;

    @Override
    public void validate(SourceDescriptor<?> descriptor) {
        Object path = descriptor.parameters().get(Sources.PATH);
        if (!(path instanceof String text) || !Files.exists(Path.of(text))) {
            throw new IllegalArgumentException("the file source needs the parameter '" + Sources.PATH
                    + "' naming an existing file or directory, but got " + path);
        }
    }

    @Override
    public boolean isBounded(SourceDescriptor<?> descriptor) {
        return true;
    }

    @Override
    public <T> SourceReader<T> createReader(SourceDescriptor<T> descriptor, SubtaskInfo subtask) throws IOException {
        Path path = Path.of((String) descriptor.parameters().get(Sources.PATH)).toAbsolutePath();
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(path)) {
            try (Stream<Path> listing = Files.list(path)) {
                listing.filter(file -> !isHidden(file) && Files.isRegularFile(file)).sorted().forEach(files::add);
            }
        } else {
            files.add(path);
        }
        List<FileSplit> mine = new ArrayList<>();
        for (int i = subtask.subtaskIndex(); i < files.size(); i += subtask.parallelism()) {
            mine.add(new FileSplit(files.get(i), 0));
        }
        return new Reader<>(mine);
    }

    /**
     * Continues from the splits of earlier readers (any number: none reads nothing).
     *
     * @throws IllegalArgumentException if a split is not one of this source's
     * @throws IOException if a file is gone or changed so that its offset is no longer a line start
     */
    @Override
    public <T> SourceReader<T> restoreReader(SourceDescriptor<T> descriptor, SubtaskInfo subtask, List<byte[]> splits)
            throws IOException {
        List<FileSplit> restored = new ArrayList<>(splits.size());
        for (byte[] bytes : splits) {
            FileSplit split = FileSplit.fromBytes(bytes, subtask.operatorName());
            split.checkResumable();
            restored.add(split);
        }
        return new Reader<>(restored);
    }

    private static boolean isHidden(Path file) {
        String name = file.getFileName().toString();
        return name.startsWith(".") || name.startsWith("_");
    }

    /** Reads its splits one after the other, each from its offset. */
    private static final class Reader<T> implements SourceReader<T> {
        private final ArrayDeque<FileSplit> remaining;
        private Path currentFile;
        private LineReader current;

        Reader(List<FileSplit> splits) {
            this.remaining = new ArrayDeque<>(splits);
        }

        @SuppressWarnings("unchecked")
        @Override
        public Status poll(Collector<T> output) throws IOException {
            for (int lines = 0; lines < LINES_PER_POLL; lines++) {
                if (current == null) {
                    FileSplit next = remaining.poll();
                    if (next == null) {
                        return Status.END_OF_INPUT;
                    }
                    current = LineReader.open(next.file(), next.offset());
                    currentFile = next.file();
                }
                String line = current.readLine();
                if (line == null) {
                    current.close();
                    current = null;
                } else {
                    output.collect((T) line);
                }
            }
            return Status.MORE_AVAILABLE;
        }

        @Override
        public List<byte[]> snapshotSplits(long checkpointId) {
            List<byte[]> splits = new ArrayList<>(remaining.size() + 1);
            if (current != null) {
                splits.add(new FileSplit(currentFile, current.position()).toBytes());
            }
            for (FileSplit split : remaining) {
                splits.add(split.toBytes());
            }
            return splits;
        }

        @Override
        public void close() throws IOException {
            if (current != null) {
                current.close();
            }
        }
    }
}
