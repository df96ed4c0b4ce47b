package io.runnel.connectors.basic.internal;

import io.runnel.api.stream.SinkDescriptor;
import io.runnel.api.stream.Sinks;
import io.runnel.spi.connector.SinkProvider;
import io.runnel.spi.connector.SinkWriter;
import io.runnel.spi.connector.SubtaskInfo;
import java.io.PrintStream;
import org.osgi.service.component.annotations.Component;

/**
 * Prints each record on standard out, one line each: {@code prefix} then, at parallelism above one,
 * the 1-based subtask index and {@code "> "}, as Flink's print sink does.
 */
@Component(property = io.runnel.spi.connector.SourceProvider.CONNECTOR + "=" + Sinks.PRINT)
public final class PrintSink implements SinkProvider {

    @Override
    public <T> SinkWriter<T> createWriter(SinkDescriptor<T> descriptor, SubtaskInfo subtask) {
        String prefix = descriptor.parameter(Sinks.PREFIX, "");
        String lead = subtask.parallelism() > 1 ? prefix + (subtask.subtaskIndex() + 1) + "> " : prefix;
        return new Writer<>(System.out, lead);
    }

    /** Writes lines to one stream; {@code println} of a whole line keeps lines of subtasks apart. */
    record Writer<T>(PrintStream out, String lead) implements SinkWriter<T> {
        @Override
        public void write(T record) {
            out.println(lead + record);
        }

        @Override
        public void finish() {
            out.flush();
        }
    }
}
