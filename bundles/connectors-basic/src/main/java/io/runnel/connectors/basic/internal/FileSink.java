package io.runnel.connectors.basic.internal;

import io.runnel.api.stream.SinkDescriptor;
import io.runnel.api.stream.Sinks;
import io.runnel.spi.connector.SinkProvider;
import io.runnel.spi.connector.SinkWriter;
import io.runnel.spi.connector.SubtaskInfo;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.osgi.service.component.annotations.Component;

/**
 * Writes each record's {@code toString()} as a line to {@code <path>/part-<subtask>.txt}, one file
 * per parallel subtask, replacing files of an earlier run. Lines are flushed as written so the files
 * can be followed while the job runs. Not transactional: after a failure a file may end mid-run
 * (exactly-once file output comes with checkpoints).
 */
@Component(property = io.runnel.spi.connector.SourceProvider.CONNECTOR + "=" + Sinks.FILE)
public final class FileSink implements SinkProvider {

    @Override
    public void validate(SinkDescriptor<?> descriptor) {
        Object path = descriptor.parameters().get(Sinks.PATH);
        if (!(path instanceof String text) || text.isBlank()) {
            throw new IllegalArgumentException("the file sink needs the parameter '" + Sinks.PATH
                    + "' naming an output directory, but got " + path);
        }
    }

    @Override
    public <T> SinkWriter<T> createWriter(SinkDescriptor<T> descriptor, SubtaskInfo subtask) throws IOException {
        Path directory = Path.of((String) descriptor.parameters().get(Sinks.PATH));
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new IOException("The file sink cannot create its output directory " + directory + ": " + e.getMessage(), e);
        }
        Path file = directory.resolve("part-" + subtask.subtaskIndex() + ".txt");
        BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        return new SinkWriter<>() {
            @Override
            public void write(T record) throws IOException {
                out.write(String.valueOf(record));
                out.newLine();
                out.flush();
            }

            @Override
            public void finish() throws IOException {
                out.flush();
            }

            @Override
            public void close() throws IOException {
                out.close();
            }
        };
    }
}
