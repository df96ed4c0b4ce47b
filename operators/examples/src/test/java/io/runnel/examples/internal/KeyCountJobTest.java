package io.runnel.examples.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.connectors.basic.internal.DatagenSource;
import io.runnel.connectors.basic.internal.FileSink;
import io.runnel.runtime.internal.execution.LocalStreamEnvironment;
import io.runnel.runtime.internal.execution.MapConnectorRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The keycount job writes each key once with its full count, and refuses bad parameters by name. */
class KeyCountJobTest {

    @TempDir
    Path output;

    @Test
    void eachKeyIsWrittenOnceWithItsRepeats() throws Exception {
        MapConnectorRegistry connectors = new MapConnectorRegistry()
                .withStateBackend("heap", new io.runnel.state.heap.HeapStateBackendFactory())
                .withSource("datagen", new DatagenSource())
                .withSink("file", new FileSink());
        LocalStreamEnvironment env = new LocalStreamEnvironment(connectors, 2);
        env.setParallelism(2);
        new KeyCountJob().build(env, Map.of("keys", "5000", "repeats", "3", "output", output.toString()));
        env.execute("keycount");

        List<String> lines = new ArrayList<>();
        try (Stream<Path> files = Files.list(output)) {
            for (Path file : files.filter(f -> f.getFileName().toString().matches("part-\\d+-\\d+\\.txt")).toList()) {
                lines.addAll(Files.readAllLines(file));
            }
        }
        assertThat(lines).containsExactlyInAnyOrderElementsOf(LongStream.range(0, 5000).mapToObj(key -> key + " 3").toList());
    }

    @Test
    void badParametersAreRefusedByName() {
        LocalStreamEnvironment env = new LocalStreamEnvironment(new MapConnectorRegistry(), 1);
        assertThatThrownBy(() -> new KeyCountJob().build(env, Map.of("keys", "0")))
                .hasMessageContaining("'keys'").hasMessageContaining("'0'");
        assertThatThrownBy(() -> new KeyCountJob().build(env, Map.of("key", "5")))
                .hasMessageContaining("[key]");
    }
}
