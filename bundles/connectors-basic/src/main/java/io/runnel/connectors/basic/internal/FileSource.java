package io.runnel.connectors.basic.internal;

import io.runnel.api.functions.Collector;
import io.runnel.api.stream.SourceDescriptor;
import io.runnel.api.stream.Sources;
import io.runnel.spi.connector.SourceProvider;
import io.runnel.spi.connector.SourceReader;
import io.runnel.spi.connector.SubtaskInfo;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.osgi.service.component.annotations.Component;

/**
 * Reads the lines of a file, or of every regular file in a directory (sorted by name), as strings.
 * Subtask i of P reads files i, i+P, ...; bounded.
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
        Path path = Path.of((String) descriptor.parameters().get(Sources.PATH));
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(path)) {
            try (Stream<Path> listing = Files.list(path)) {
                listing.filter(Files::isRegularFile).sorted().forEach(files::add);
            }
        } else {
            files.add(path);
        }
        List<Path> mine = new ArrayList<>();
        for (int i = subtask.subtaskIndex(); i < files.size(); i += subtask.parallelism()) {
            mine.add(files.get(i));
        }
        return new Reader<>(mine);
    }

    /** Reads its files one after the other. */
    private static final class Reader<T> implements SourceReader<T> {
        private final List<Path> files;
        private int nextFile;
        private BufferedReader current;

        Reader(List<Path> files) {
            this.files = files;
        }

        @SuppressWarnings("unchecked")
        @Override
        public Status poll(Collector<T> output) throws IOException {
            for (int lines = 0; lines < LINES_PER_POLL; lines++) {
                if (current == null) {
                    if (nextFile == files.size()) {
                        return Status.END_OF_INPUT;
                    }
                    current = Files.newBufferedReader(files.get(nextFile++), StandardCharsets.UTF_8);
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
        public void close() throws IOException {
            if (current != null) {
                current.close();
            }
        }
    }
}
