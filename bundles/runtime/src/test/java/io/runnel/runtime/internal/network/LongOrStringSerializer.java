package io.runnel.runtime.internal.network;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/** Test records: a tag byte, then a long or a UTF string. Tests extend it to break it on purpose. */
class LongOrStringSerializer implements RecordSerializer {

    private static final int LONG = 1;
    private static final int STRING = 2;

    @Override
    public void write(Object record, DataOutput out) throws IOException {
        if (record instanceof Long value) {
            out.writeByte(LONG);
            out.writeLong(value);
        } else if (record instanceof String text) {
            out.writeByte(STRING);
            out.writeUTF(text);
        } else {
            throw new IOException("only Long and String records, not " + record.getClass().getName());
        }
    }

    @Override
    public Object read(DataInput in) throws IOException {
        int tag = in.readByte();
        return switch (tag) {
            case LONG -> in.readLong();
            case STRING -> in.readUTF();
            default -> throw new IOException("unknown record tag " + tag);
        };
    }

    @Override
    public String toString() {
        return "LongOrStringSerializer";
    }
}
