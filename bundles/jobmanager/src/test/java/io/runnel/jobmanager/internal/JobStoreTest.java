package io.runnel.jobmanager.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.api.JobId;
import io.runnel.api.cluster.NodeId;
import io.runnel.spi.control.LeaderFence;
import io.runnel.spi.control.LeaderFencedException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job store on a real directory: atomic records, unreadable ones reported, epochs fencing writes. */
class JobStoreTest {

    private static final NodeId NODE = new NodeId("jm-1");

    @TempDir
    Path temp;

    private static JobRecord record(JobId id, int attempt, long epoch) {
        return new JobRecord(id, "clicks", "clickstream", 2,
                Map.of("events", "100", "state.checkpoints.dir", "/shared/checkpoints", "odd = key", "a\nb"), attempt, false,
                epoch);
    }

    @Test
    void aRecordReadsBackAsWrittenAndEachWriteReplacesItWholeWithoutLeftovers() throws IOException {
        JobStore store = new JobStore(temp);
        long epoch = store.claimLeadership(1, NODE);
        JobId id = JobId.generate();
        store.write(record(id, 0, epoch));
        store.write(record(id, 1, epoch));

        assertThat(store.scan().records()).containsExactly(record(id, 1, epoch));
        assertThat(store.scan().unreadable()).isEmpty();
        try (Stream<Path> files = Files.list(temp.resolve(JobStore.JOBS))) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).as("no temporary file stays")
                    .containsExactly(id.value() + JobStore.SUFFIX);
        }
        assertThat(Files.readString(temp.resolve(JobStore.JOBS).resolve(id.value() + JobStore.SUFFIX)))
                .contains("checkpoints=/shared/checkpoints", "job.key=clickstream");

        store.remove(id, epoch);
        assertThat(store.scan().records()).isEmpty();
    }

    @Test
    void aStrayTemporaryFileOfAnInterruptedWriteIsIgnored() throws IOException {
        JobStore store = new JobStore(temp);
        JobId id = JobId.generate();
        store.write(record(id, 0, store.claimLeadership(1, NODE)));
        Files.writeString(temp.resolve(JobStore.JOBS).resolve("." + id.value() + JobStore.SUFFIX + ".tmp-1f"), "format=1\njob");

        assertThat(store.scan().records()).extracting(JobRecord::jobId).containsExactly(id);
        assertThat(store.scan().unreadable()).isEmpty();
    }

    @Test
    void aCorruptRecordIsReportedWithItsFileAndReasonNotDropped() throws IOException {
        JobStore store = new JobStore(temp);
        long epoch = store.claimLeadership(1, NODE);
        JobId good = JobId.generate();
        JobId cut = JobId.generate();
        store.write(record(good, 0, epoch));
        Path cutFile = temp.resolve(JobStore.JOBS).resolve(cut.value() + JobStore.SUFFIX);
        String whole = record(cut, 0, epoch).encode();
        Files.writeString(cutFile, whole.substring(0, whole.indexOf("job.key")), StandardCharsets.UTF_8);

        JobStore.Scan scan = store.scan();
        assertThat(scan.records()).extracting(JobRecord::jobId).containsExactly(good);
        assertThat(scan.unreadable()).hasSize(1);
        JobStore.Unreadable bad = scan.unreadable().get(0);
        assertThat(bad.jobId()).isEqualTo(cut);
        assertThat(bad.file()).isEqualTo(cutFile);
        assertThat(bad.reason()).startsWith("it has no '");
    }

    @Test
    void aRecordOfAnotherFormatSaysWhichVersionToRun() throws IOException {
        JobStore store = new JobStore(temp);
        JobId id = JobId.generate();
        store.write(record(id, 0, store.claimLeadership(1, NODE)));
        Path file = temp.resolve(JobStore.JOBS).resolve(id.value() + JobStore.SUFFIX);
        Files.writeString(file, Files.readString(file).replace("format=1", "format=9"));

        assertThat(store.scan().unreadable()).singleElement().extracting(JobStore.Unreadable::reason).asString()
                .contains("format is 9", "same Runnel version");
    }

    @Test
    void eachLeaderClaimsAnEpochAboveTheRecordedOneEvenIfItsElectionStartsAgainAtOne() throws IOException {
        JobStore store = new JobStore(temp);
        assertThat(store.claimLeadership(1, NODE)).isEqualTo(1);
        assertThat(store.claimLeadership(5, new NodeId("jm-2"))).isEqualTo(5);
        // A single node restarted with its whole cluster: the election counts from 1 again.
        assertThat(store.claimLeadership(1, NODE)).isEqualTo(6);
        assertThat(new JobStore(temp).recordedEpoch()).isEqualTo(6);
    }

    @Test
    void aDeposedLeaderCanNeitherWriteNorRemoveRecordsNorCompleteCheckpoints() throws IOException {
        JobStore old = new JobStore(temp);
        long oldEpoch = old.claimLeadership(1, NODE);
        JobId id = JobId.generate();
        old.write(record(id, 0, oldEpoch));

        JobStore successor = new JobStore(temp);
        long newEpoch = successor.claimLeadership(2, new NodeId("jm-2"));
        successor.write(record(id, 1, newEpoch));

        assertThatThrownBy(() -> old.write(record(id, 5, oldEpoch))).isInstanceOf(LeaderFencedException.class)
                .hasMessageContaining("epoch " + oldEpoch).hasMessageContaining("epoch " + newEpoch);
        assertThatThrownBy(() -> old.remove(id, oldEpoch)).isInstanceOf(LeaderFencedException.class);
        LeaderFence oldFence = old.fence(oldEpoch);
        assertThat(oldFence.epoch()).isEqualTo(oldEpoch);
        assertThatThrownBy(oldFence::check).isInstanceOf(LeaderFencedException.class)
                .hasMessageContaining("checkpoint metadata");
        successor.fence(newEpoch).check();
        assertThat(successor.scan().records()).as("the successor's record is untouched").containsExactly(record(id, 1, newEpoch));
    }

    @Test
    void aDamagedEpochFileStopsTakeoverWithWhatToDo() throws IOException {
        Files.writeString(temp.resolve(JobStore.EPOCH_FILE), "garbage");
        JobStore store = new JobStore(temp);
        assertThatThrownBy(() -> store.claimLeadership(1, NODE)).isInstanceOf(IOException.class)
                .hasMessageContaining(temp.resolve(JobStore.EPOCH_FILE).toString()).hasMessageContaining("'garbage'");
        assertThat(List.of(store.scan().records())).singleElement().asList().isEmpty();
    }
}
