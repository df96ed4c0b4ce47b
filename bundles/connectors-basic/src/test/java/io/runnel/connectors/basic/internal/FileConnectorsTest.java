package io.runnel.connectors.basic.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.api.stream.Sinks;
import io.runnel.api.stream.Sources;
import io.runnel.spi.connector.SinkWriter;
import io.runnel.spi.connector.SourceReader;
import io.runnel.spi.connector.SubtaskInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileConnectorsTest {

    @TempDir
    Path dir;

    @Test
    void linesWrittenBySubtasksAreReadBackBySubtasks() throws Exception {
        FileSink sink = new FileSink();
        for (int subtask = 0; subtask < 2; subtask++) {
            try (SinkWriter<String> writer = sink.createWriter(Sinks.files(dir.toString()), new SubtaskInfo("out", subtask, 2))) {
                for (int i = 0; i < 3; i++) {
                    writer.write("s" + subtask + "-" + i);
                }
                FileSinkTest.endOfInputWithoutCheckpoint(writer);
            }
        }
        assertThat(Files.readAllLines(dir.resolve("part-1-0.txt"))).containsExactly("s1-0", "s1-1", "s1-2");

        FileSource source = new FileSource();
        List<String> read = new ArrayList<>();
        for (int subtask = 0; subtask < 2; subtask++) {
            SourceReader<String> reader = source.createReader(Sources.lines(dir.toString()), new SubtaskInfo("in", subtask, 2));
            for (int polls = 0; polls < 10 && reader.poll(read::add) != SourceReader.Status.END_OF_INPUT; polls++) {
                // a few polls read two three-line files
            }
            reader.close();
        }
        assertThat(read).containsExactly("s0-0", "s0-1", "s0-2", "s1-0", "s1-1", "s1-2");
    }

    @Test
    void missingPathsAreNamed() {
        assertThatThrownBy(() -> new FileSource().validate(Sources.lines(dir.resolve("nope").toString())))
                .hasMessageContaining("'path'").hasMessageContaining("nope");
    }
}
