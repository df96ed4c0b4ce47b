package io.runnel.state.rocksdb.internal;

import io.runnel.api.types.IncompatibleSchemaException;
import io.runnel.api.types.TypeSchema;
import io.runnel.api.types.TypeSerializer;
import io.runnel.api.types.Types;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.List;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

/**
 * Brings a restored state's stored bytes to the form the descriptor now asking for it writes, when
 * they differ: values written under an older schema are read with the serializer's reader for that
 * schema and written again in the current format; values from a portable snapshot get list state's
 * native layout; a time to live added or removed adds or removes the time of access. Runs once, when
 * the state is first asked for, so an incompatible change fails before any value is used.
 */
final class StateMigration {

    private static final int BATCH_BYTES = 4 << 20;

    private StateMigration() {}

    static void migrate(RocksKeyedStateBackend backend, StateColumn column, StateMetadata stored, String owner)
            throws RocksDBException {
        if (stored.kind() != null && stored.kind() != column.kind) {
            throw new IllegalStateException("State '" + column.name + "'" + owner + " was stored as " + stored.kind()
                    + " state but is now asked for as " + column.kind + " state. To start without the old values of this "
                    + "state, give its descriptor a new name.");
        }
        StateMetadata current = RocksKeyedStateBackend.metadataOf(column);
        boolean listLayoutChanges = column.kind == StateKind.LIST && stored.layout() == StateMetadata.Layout.PORTABLE;
        if (!listLayoutChanges && stored.schema().equals(current.schema()) && stored.timeToLive() == column.timeToLive) {
            return;
        }
        ValueReader reader;
        try {
            reader = readerFor(column, stored);
        } catch (IncompatibleSchemaException e) {
            throw new IllegalStateException("State '" + column.name + "'" + owner + " cannot be restored: " + e.getMessage()
                    + " To start without the old values of this state, give its descriptor a new name.", e);
        }
        ByteInput input = new ByteInput();
        ByteOutput output = new ByteOutput(256);
        long now = backend.now();
        RocksInstance rocks = backend.rocks;
        try (RocksIterator iterator = rocks.db().newIterator(column.handle);
                WriteBatch batch = new WriteBatch()) {
            for (iterator.seekToFirst(); iterator.isValid(); iterator.next()) {
                byte[] value = iterator.value();
                int offset = stored.timeToLive() ? 8 : 0;
                long accessed = stored.timeToLive() ? ByteOutput.getLong(value, 0) : now;
                output.reset();
                if (column.timeToLive) {
                    output.writeLong(accessed);
                }
                try {
                    reader.rewrite(input.reset(value, offset, value.length - offset), output);
                } catch (IOException e) {
                    throw new IllegalStateException("A value of state '" + column.name + "'" + owner + " cannot be read back: "
                            + e.getMessage(), e);
                }
                batch.put(column.handle, iterator.key(), output.toByteArray());
                if (batch.getDataSize() > BATCH_BYTES) {
                    rocks.db().write(rocks.writeOptions(), batch);
                    batch.clear();
                }
            }
            rocks.db().write(rocks.writeOptions(), batch);
        }
    }

    /** Reads one stored value and writes it in the current format. */
    private interface ValueReader {
        void rewrite(ByteInput in, ByteOutput out) throws IOException;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static ValueReader readerFor(StateColumn column, StateMetadata stored) {
        TypeSerializer<Object> current = column.serializer;
        if (column.kind != StateKind.LIST) {
            TypeSerializer<Object> reader = current.readerFor(stored.schema());
            return (in, out) -> current.serialize(reader.deserialize(in.data()), out.data());
        }
        if (stored.layout() == StateMetadata.Layout.PORTABLE) {
            TypeSerializer<List<Object>> reader = (TypeSerializer) Types.list(current).readerFor(stored.schema());
            return (in, out) -> {
                for (Object element : reader.deserialize(in.data())) {
                    writeElement(current, element, out);
                }
            };
        }
        TypeSchema storedElement = stored.schema().kind() == TypeSchema.Kind.LIST ? stored.schema().field("element").schema()
                : stored.schema();
        TypeSerializer<Object> elementReader = current.readerFor(storedElement);
        return (in, out) -> {
            DataInputStream data = in.data();
            while (in.hasRemaining()) {
                writeElement(current, data.readByte() == 0 ? null : elementReader.deserialize(data), out);
            }
        };
    }

    static void writeElement(TypeSerializer<Object> serializer, Object element, ByteOutput out) throws IOException {
        if (element == null) {
            out.writeByte(0);
        } else {
            out.writeByte(1);
            serializer.serialize(element, out.data());
        }
    }
}
