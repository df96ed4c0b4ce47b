package io.runnel.runtime.internal.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.api.types.TypeSerializer;
import io.runnel.api.types.Types;
import io.runnel.runtime.internal.operators.OperatorSnapshot;
import io.runnel.runtime.internal.state.OperatorStateSnapshot;
import io.runnel.runtime.internal.task.InFlightRecords;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The in-flight section of a subtask state file (format 2): records of an unaligned checkpoint come
 * back with their timestamps and inputs to the subtask that saved them, only at the same
 * parallelism; files of format 1 are still read.
 */
class InFlightStateCodecTest {

    private static final TypeSerializer<Object> DYNAMIC = Types.dynamic(InFlightStateCodecTest.class.getClassLoader());

    private static byte[] file(OperatorSnapshot snapshot, InFlightRecords inFlight) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SubtaskStateCodec.write(snapshot, null, inFlight, DYNAMIC, new DataOutputStream(bytes));
        return bytes.toByteArray();
    }

    private static InFlightRecords records(String prefix, int count) {
        InFlightRecords records = new InFlightRecords();
        for (int i = 0; i < count; i++) {
            records.add(i % 2, prefix + i, 1000L + i);
        }
        return records;
    }

    /** Operator state (split lists are spread over the new subtasks, so it is not what these tests look at). */
    private static OperatorSnapshot operatorState(long value) {
        return new OperatorSnapshot(null, new OperatorStateSnapshot(Map.of("count", List.of(value)), Map.of(), Map.of()));
    }

    private static SubtaskStateCodec.Restored read(List<byte[]> files, int subtask, int parallelism) throws IOException {
        List<InputStream> streams = new ArrayList<>();
        for (byte[] file : files) {
            streams.add(file == null ? null : new ByteArrayInputStream(file));
        }
        return SubtaskStateCodec.read(streams, subtask, parallelism, DYNAMIC);
    }

    @Test
    void eachSubtaskGetsBackItsOwnInFlightRecordsWithTimestampsAndInputs() throws IOException {
        List<byte[]> files = List.of(file(operatorState(7), records("zero-", 3)), file(null, records("one-", 600)));

        SubtaskStateCodec.Restored first = read(files, 0, 2);
        SubtaskStateCodec.Restored second = read(files, 1, 2);

        assertThat(first.inFlight().size()).isEqualTo(3);
        assertThat(first.inFlight().record(2)).isEqualTo("zero-2");
        assertThat(first.inFlight().timestamp(2)).isEqualTo(1002L);
        assertThat(first.inFlight().input(1)).isEqualTo(1);
        assertThat(second.inFlight().size()).isEqualTo(600);
        assertThat(second.inFlight().record(599)).isEqualTo("one-599");
    }

    @Test
    void aFileWithoutInFlightRecordsRestoresWithoutAnyAtAnyParallelism() throws IOException {
        List<byte[]> files = List.of(file(operatorState(1), null), file(operatorState(2), new InFlightRecords()));

        SubtaskStateCodec.Restored restored = read(files, 0, 3);

        assertThat(restored.inFlight()).isNull();
    }

    @Test
    void inFlightRecordsAreNotRestoredAtAnotherParallelism() throws IOException {
        List<byte[]> files = List.of(file(null, records("zero-", 1)), file(null, null));

        assertThatThrownBy(() -> read(files, 0, 3))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("an unaligned checkpoint with in-flight records cannot be restored at another"
                        + " parallelism; take a savepoint")
                .hasMessageContaining("subtask 1 of 2")
                .hasMessageContaining("now runs with 3");
    }

    @Test
    void aFileOfFormatOneIsStillRead() throws IOException {
        // Format 1 as the first release wrote it: magic, version 1, then keyed, operator and split
        // sections, without the in-flight section.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(0x524E5353);
        out.writeByte(1);
        out.writeBoolean(false); // keyed
        out.writeBoolean(true); // operator state
        out.writeInt(1);
        out.writeUTF("count");
        out.writeInt(1);
        DYNAMIC.serialize(41L, out);
        out.writeInt(0); // union lists
        out.writeInt(0); // broadcast maps
        out.writeBoolean(false); // source splits
        out.flush();

        SubtaskStateCodec.Restored restored = read(List.of(bytes.toByteArray()), 0, 1);

        assertThat(restored.inFlight()).isNull();
        assertThat(restored.snapshot().operator().splitLists().get("count")).containsExactly(41L);
    }

    /** A record type the job's serializer refuses. */
    private static final class Unwritable {}

    @Test
    void aRecordTheSerializerCannotWriteNamesItsTypeAndWhatToDo() {
        TypeSerializer<Object> refusing = new TypeSerializer<>() {
            @Override
            public void serialize(Object value, java.io.DataOutput out) throws IOException {
                if (value instanceof Unwritable) {
                    throw new IllegalArgumentException("no serializer for " + value.getClass().getName());
                }
                DYNAMIC.serialize(value, out);
            }

            @Override
            public Object deserialize(java.io.DataInput in) throws IOException {
                return DYNAMIC.deserialize(in);
            }

            @Override
            public Object copy(Object value) {
                return value;
            }

            @Override
            public io.runnel.api.types.TypeSchema schema() {
                return DYNAMIC.schema();
            }
        };
        InFlightRecords records = new InFlightRecords();
        records.add(0, "fine", 0);
        records.add(0, new Unwritable(), 0);

        assertThatThrownBy(() -> SubtaskStateCodec.write(null, null, records, refusing,
                new DataOutputStream(new ByteArrayOutputStream())))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("In-flight record 2 of 2")
                .hasMessageContaining(Unwritable.class.getName())
                .hasMessageContaining("turn unaligned checkpoints off");
    }
}
