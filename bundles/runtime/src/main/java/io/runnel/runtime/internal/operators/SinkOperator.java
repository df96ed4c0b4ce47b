package io.runnel.runtime.internal.operators;

import io.runnel.spi.connector.SinkWriter;

/** Hands records to a connector's {@link SinkWriter}; the end of a chain. */
public final class SinkOperator implements StreamOperator<Object> {

    /** Creates the writer on the task thread, when the operator opens. */
    @FunctionalInterface
    public interface WriterFactory {
        SinkWriter<Object> create() throws Exception;
    }

    private final WriterFactory factory;
    private final OperatorContext context;
    private SinkWriter<Object> writer;

    public SinkOperator(WriterFactory factory, OperatorContext context) {
        this.factory = factory;
        this.context = context;
    }

    @Override
    public void open(OperatorServices services) throws Exception {
        writer = factory.create();
    }

    @Override
    public void emit(Object record, long timestamp) {
        try {
            writer.write(record);
        } catch (Exception e) {
            throw new UserFunctionException(context.describe(), e);
        }
    }

    @Override
    public void emitWatermark(long watermark) {
        // Sinks write records; event time ends here.
    }

    @Override
    public void emitIdle(boolean idle) {
        // Nothing downstream to tell.
    }

    @Override
    public void endInput() throws Exception {
        writer.finish();
    }

    @Override
    public void close() throws Exception {
        if (writer != null) {
            writer.close();
        }
    }
}
