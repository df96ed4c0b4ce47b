package io.runnel.connectors.basic.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.api.stream.SourceDescriptor;
import io.runnel.api.stream.Sources;
import io.runnel.spi.connector.SourceReader;
import io.runnel.spi.connector.SubtaskInfo;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSourceTest {

    @TempDir
    Path dir;

    private final FileSource source = new FileSource();

    /** Text whose lines end in every way, with lines and characters that straddle the 64 KiB read buffer. */
    private static String awkwardText() {
        StringBuilder text = new StringBuilder();
        text.append("first\nsecond\r\nthird\rfourth\n\n\r\n");
        text.append("x".repeat(65_536 - text.length() - 1)).append("\r\n"); // \r the last byte of the buffer, \n the first of the next
        text.append("é".repeat(40_000)).append('\n'); // two-byte characters across the next boundary
        text.append("long ").append("y".repeat(200_000)).append('\n'); // a line longer than the buffer
        text.append("no ending at the end");
        return text.toString();
    }

    @Test
    void linesEndAsBufferedReaderSeesThemAndTheReaderCanStopAndGoOnAtEveryLine() throws IOException {
        String text = awkwardText();
        Path file = Files.writeString(dir.resolve("awkward.txt"), text, StandardCharsets.UTF_8);
        List<String> expected = new BufferedReader(new StringReader(text)).lines().toList();

        List<String> all = new ArrayList<>();
        try (LineReader reader = LineReader.open(file, 0)) {
            for (String line; (line = reader.readLine()) != null; ) {
                all.add(line);
            }
            assertThat(reader.position()).isEqualTo(Files.size(file));
        }
        assertThat(all).isEqualTo(expected);

        for (int stopAfter = 0; stopAfter <= expected.size(); stopAfter++) {
            List<String> resumed = new ArrayList<>();
            long position;
            try (LineReader reader = LineReader.open(file, 0)) {
                for (int i = 0; i < stopAfter; i++) {
                    resumed.add(reader.readLine());
                }
                position = reader.position();
            }
            new FileSplit(file, position).checkResumable();
            try (LineReader reader = LineReader.open(file, position)) {
                for (String line; (line = reader.readLine()) != null; ) {
                    resumed.add(line);
                }
            }
            assertThat(resumed).as("stopped after %d lines", stopAfter).isEqualTo(expected);
        }
    }

    @Test
    void splitsOfAllSubtasksResumeExactlyAtAnotherParallelism() throws Exception {
        List<String> expected = new ArrayList<>();
        for (int file = 0; file < 5; file++) {
            List<String> lines = new ArrayList<>();
            for (int line = 0; line < 1500 + file * 300; line++) {
                lines.add("f" + file + " line " + line);
            }
            Files.write(dir.resolve("in-" + file + ".txt"), lines);
            expected.addAll(lines);
        }
        Files.writeString(dir.resolve(".part-0-0.txt.inprogress"), "hidden: not read\n");
        Files.writeString(dir.resolve("_SUCCESS"), "marker: not read\n");
        SourceDescriptor<String> lines = Sources.lines(dir.toString());

        List<String> seen = new ArrayList<>();
        List<byte[]> splits = new ArrayList<>();
        for (int subtask = 0; subtask < 2; subtask++) {
            SourceReader<String> reader = source.createReader(lines, new SubtaskInfo("in", subtask, 2));
            reader.poll(seen::add);
            reader.poll(seen::add); // two polls: into the second file of subtask 0, the first of subtask 1
            splits.addAll(reader.snapshotSplits(1));
            reader.close();
        }
        // Subtask 0 finished in-0 and is in in-2 (in-4 not begun); subtask 1 finished in-1 and is in in-3.
        assertThat(splits).extracting(bytes -> FileSplit.fromBytes(bytes, "in").file().getFileName().toString())
                .containsExactly("in-2.txt", "in-4.txt", "in-3.txt");
        int before = seen.size();

        for (int subtask = 0; subtask < 3; subtask++) { // restored at parallelism 3: contiguous shares
            List<byte[]> share = splits.subList(splits.size() * subtask / 3, splits.size() * (subtask + 1) / 3);
            seen.addAll(readAll(source.restoreReader(lines, new SubtaskInfo("in", subtask, 3), share)));
        }
        assertThat(seen).hasSize(expected.size()).containsExactlyInAnyOrderElementsOf(expected);

        List<String> again = readAll(source.restoreReader(lines, new SubtaskInfo("in", 0, 1), splits));
        assertThat(again).hasSize(expected.size() - before);
        assertThat(readAll(source.restoreReader(lines, new SubtaskInfo("in", 0, 1), List.of()))).isEmpty();
    }

    @Test
    void aFileThatChangedOrWentAwaySinceTheCheckpointIsNamed() throws Exception {
        Path file = Files.writeString(dir.resolve("log.txt"), "one\ntwo\nthree\n");
        SourceReader<String> reader = source.createReader(Sources.lines(file.toString()), new SubtaskInfo("in", 0, 1));
        List<String> out = new ArrayList<>();
        reader.poll(out::add);
        reader.close();
        byte[] atFour = new FileSplit(file.toAbsolutePath(), 4).toBytes(); // after "one\n"
        SourceDescriptor<String> lines = Sources.lines(file.toString());

        Files.writeString(file, "a longer first line\n");
        assertThatThrownBy(() -> source.restoreReader(lines, new SubtaskInfo("in", 0, 1), List.of(atFour)))
                .hasMessageContaining("byte 4 of " + file.toAbsolutePath()).hasMessageContaining("no line ends there");
        Files.writeString(file, "on");
        assertThatThrownBy(() -> source.restoreReader(lines, new SubtaskInfo("in", 0, 1), List.of(atFour)))
                .hasMessageContaining("now has 2 bytes");
        Files.delete(file);
        assertThatThrownBy(() -> source.restoreReader(lines, new SubtaskInfo("in", 0, 1), List.of(atFour)))
                .hasMessageContaining(file.toAbsolutePath().toString()).hasMessageContaining("it is gone");
        assertThatThrownBy(() -> source.restoreReader(lines, new SubtaskInfo("in", 0, 1), List.of(new byte[] {7})))
                .hasMessageContaining("'in'").hasMessageContaining("1-byte split");
    }

    @Test
    void textThatIsNotUtf8IsAnErrorNamingTheFileAndLine() throws Exception {
        Path file = Files.write(dir.resolve("latin1.txt"), "ok\ncaf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        SourceReader<String> reader = source.createReader(Sources.lines(file.toString()), new SubtaskInfo("in", 0, 1));

        assertThatThrownBy(() -> reader.poll(line -> { }))
                .hasMessageContaining("byte 3 of " + file.toAbsolutePath()).hasMessageContaining("not UTF-8");
        reader.close();
    }

    private static List<String> readAll(SourceReader<String> reader) throws Exception {
        List<String> out = new ArrayList<>();
        for (int polls = 0; polls < 1000 && reader.poll(out::add) != SourceReader.Status.END_OF_INPUT; polls++) {
            // files of a few thousand lines end within a few polls
        }
        reader.close();
        return out;
    }
}
