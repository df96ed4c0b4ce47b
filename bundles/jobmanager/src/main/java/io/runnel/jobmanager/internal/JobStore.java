package io.runnel.jobmanager.internal;

import io.runnel.api.JobId;
import io.runnel.api.cluster.NodeId;
import io.runnel.spi.control.LeaderFence;
import io.runnel.spi.control.LeaderFencedException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The jobs the leading JobManager runs, kept where a successor finds them: a directory
 * ({@code high-availability.storage-dir}) that every JobManager node reaches under the same path (one
 * machine, or a shared filesystem). A restarted node with no other member finds its jobs here too,
 * so these files, not the cluster's memory, are what a new leader trusts.
 *
 * <pre>
 * leader-epoch          "epoch &lt;n&gt; node &lt;id&gt;": the newest leader that took the jobs over
 * jobs/&lt;job id&gt;.job    one {@link JobRecord} per job that has not ended
 * </pre>
 *
 * <p>Every file is written atomically (temporary file, fsync, rename, fsync of the directory), so a
 * crash leaves the old or the new content, never half of it. Every write is fenced: it first reads
 * {@code leader-epoch} and refuses ({@link LeaderFencedException}) if a leader with a higher epoch
 * took over since, so a deposed leader cannot bring back a job its successor already runs or ended.
 * The check and the write are two steps: a leader deposed between them can write once more; its
 * successor has read the store before, and what it does is decided by the epoch it recorded.
 *
 * <p>Thread safety: all methods are synchronized; they do file I/O, so call them off the cluster's
 * notification thread.
 */
final class JobStore {

    private static final Logger LOG = LoggerFactory.getLogger(JobStore.class);
    static final String EPOCH_FILE = "leader-epoch";
    static final String JOBS = "jobs";
    static final String SUFFIX = ".job";

    /** A record that could not be read, so the job it stands for is reported instead of lost. */
    record Unreadable(Path file, JobId jobId, String reason) {}

    /** What {@link #scan} found: the readable records and the ones that are not. */
    record Scan(List<JobRecord> records, List<Unreadable> unreadable) {}

    private final Path directory;
    private final Path jobs;

    JobStore(Path directory) {
        this.directory = directory.toAbsolutePath().normalize();
        this.jobs = this.directory.resolve(JOBS);
    }

    Path directory() {
        return directory;
    }

    /**
     * Records that the leader of {@code node} takes the jobs over, and returns the epoch it fences
     * its writes with: the election's epoch, or one above the newest recorded if that is not lower
     * (a single node restarted with its cluster starts its election's epochs at 1 again).
     *
     * @throws IOException naming the directory or file that cannot be read or written
     */
    synchronized long claimLeadership(long electionEpoch, NodeId node) throws IOException {
        long recorded = recordedEpoch();
        long epoch = Math.max(electionEpoch, recorded + 1);
        writeAtomically(directory.resolve(EPOCH_FILE), "epoch " + epoch + " node " + node.value() + "\n");
        LOG.info("JobManager on node {} recorded leader epoch {} in {} (the election's epoch is {}, the newest recorded"
                + " was {})", node, epoch, directory, electionEpoch, recorded);
        return epoch;
    }

    /** The newest epoch a leader recorded, 0 if none did. */
    synchronized long recordedEpoch() throws IOException {
        Path file = directory.resolve(EPOCH_FILE);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (NoSuchFileException e) {
            return 0;
        }
        String[] words = text.split("\\s+");
        try {
            if (words.length >= 2 && words[0].equals("epoch")) {
                return Long.parseLong(words[1]);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IOException("The leader epoch file " + file + " holds '" + text + "', not 'epoch <n> node <id>'; it"
                + " is written only by Runnel: restore it from a backup, or delete it if no older JobManager can come back");
    }

    /**
     * Passes if no leader with an epoch above {@code epoch} recorded itself.
     *
     * @throws LeaderFencedException if one did
     * @throws IOException if the epoch file cannot be read
     */
    synchronized void checkFence(long epoch, String what) throws IOException {
        long recorded = recordedEpoch();
        if (recorded > epoch) {
            throw new LeaderFencedException(epoch, recorded, what);
        }
    }

    /** The fence of the leader of {@code epoch}: {@link #checkFence} before each write. */
    LeaderFence fence(long epoch) {
        return new LeaderFence() {
            @Override
            public long epoch() {
                return epoch;
            }

            @Override
            public void check() {
                try {
                    checkFence(epoch, "checkpoint metadata");
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        };
    }

    /** Writes {@code record} (a new job, or its next attempt), fenced by the record's epoch. */
    synchronized void write(JobRecord record) throws IOException {
        checkFence(record.leaderEpoch(), "the record of job " + record.jobId());
        writeAtomically(file(record.jobId()), record.encode());
    }

    /** Removes the record of a job that ended for good, fenced by {@code epoch}; absent is fine. */
    synchronized void remove(JobId job, long epoch) throws IOException {
        checkFence(epoch, "the end of job " + job);
        if (Files.deleteIfExists(file(job))) {
            fsyncDirectory(jobs);
        }
    }

    /**
     * Every job record: those that cannot be read are listed apart with why, each with a WARN naming
     * the file, so the job is reported and not silently dropped. Stray temporary files of an
     * interrupted write are ignored.
     *
     * @throws IOException if the directory cannot be listed
     */
    synchronized Scan scan() throws IOException {
        List<JobRecord> records = new ArrayList<>();
        List<Unreadable> unreadable = new ArrayList<>();
        if (!Files.isDirectory(jobs)) {
            return new Scan(records, unreadable);
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(jobs, "*" + SUFFIX)) {
            for (Path file : entries) {
                String name = file.getFileName().toString();
                JobId id = idOf(name);
                try {
                    JobRecord record = JobRecord.decode(Files.readString(file, StandardCharsets.UTF_8));
                    if (id == null || !record.jobId().equals(id)) {
                        throw new IllegalArgumentException("it names job " + record.jobId() + " but is stored as " + name);
                    }
                    records.add(record);
                } catch (IOException | IllegalArgumentException e) {
                    String reason = e instanceof IllegalArgumentException ? e.getMessage() : "it cannot be read (" + e + ")";
                    LOG.warn("Job record {} cannot be used: {}. The job{} is NOT resumed: repair the file, or delete it to"
                            + " give the job up (its checkpoints stay where they are)", file, reason,
                            id == null ? "" : " " + id);
                    unreadable.add(new Unreadable(file, id, reason));
                }
            }
        }
        records.sort(java.util.Comparator.comparing(r -> r.jobId().value()));
        return new Scan(records, unreadable);
    }

    private Path file(JobId job) {
        return jobs.resolve(job.value() + SUFFIX);
    }

    private static JobId idOf(String fileName) {
        try {
            return new JobId(fileName.substring(0, fileName.length() - SUFFIX.length()));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Temporary file, fsync, atomic rename, fsync of the directory. */
    private static void writeAtomically(Path target, String content) throws IOException {
        Path parent = target.getParent();
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new IOException("Cannot create the job store directory " + parent + " (" + e + "); set "
                    + JobManager.STORAGE_DIR + " to a directory this node can write", e);
        }
        Path temporary = parent.resolve("." + target.getFileName() + ".tmp-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer bytes = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(true);
            }
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("The filesystem of " + parent + " cannot rename atomically; put "
                        + JobManager.STORAGE_DIR + " on one that can (a local disk, NFS, ...)", e);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
        fsyncDirectory(parent);
    }

    private static void fsyncDirectory(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Some filesystems do not let a directory be opened for syncing; the rename itself stands.
            LOG.debug("Cannot fsync directory {}: {}", directory, e.toString());
        }
    }
}
