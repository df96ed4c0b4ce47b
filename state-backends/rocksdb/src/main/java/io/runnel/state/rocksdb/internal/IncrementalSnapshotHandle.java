package io.runnel.state.rocksdb.internal;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.List;
import java.util.Objects;

/**
 * What one subtask's native checkpoint consists of: SST files in the shared directory (named so that
 * no two uploads ever share a name, whichever subtask made them) and the small private files
 * (MANIFEST, CURRENT, OPTIONS) as bytes. Shared files are usually shared with earlier and later
 * checkpoints; {@link SharedFile#uploaded} says which ones this checkpoint put there.
 *
 * <p>Byte layout ({@link #write}, {@link #read}):
 * <pre>
 * int magic 0x524E5243 ("RNRC"), byte version 1
 * long checkpoint id, int max parallelism, int first key group, int last key group
 * int shared files; per file: UTF local name, UTF shared name, long size, boolean uploaded
 * int private files; per file: UTF name, int length, bytes
 * </pre>
 */
public record IncrementalSnapshotHandle(long checkpointId, KeyGroupRange keyGroups, List<SharedFile> sharedFiles,
        List<PrivateFile> privateFiles) {

    private static final int MAGIC = 0x524E5243;
    private static final int VERSION = 1;

    /**
     * @param localName the file's name in the RocksDB directory
     * @param sharedName its name in the shared directory
     * @param uploaded whether this checkpoint uploaded it (else an earlier completed one did)
     */
    public record SharedFile(String localName, String sharedName, long size, boolean uploaded) {}

    /** A file of this checkpoint alone, kept in the handle itself. */
    public record PrivateFile(String name, byte[] content) {}

    public IncrementalSnapshotHandle {
        Objects.requireNonNull(keyGroups, "keyGroups");
        sharedFiles = List.copyOf(sharedFiles);
        privateFiles = List.copyOf(privateFiles);
    }

    /** The bytes of every file, shared and private: what a full restore reads. */
    public long totalSize() {
        return sharedFiles.stream().mapToLong(SharedFile::size).sum() + privateSize();
    }

    /** The bytes this checkpoint wrote: its new shared files and its private files. */
    public long uploadedSize() {
        return sharedFiles.stream().filter(SharedFile::uploaded).mapToLong(SharedFile::size).sum() + privateSize();
    }

    private long privateSize() {
        return privateFiles.stream().mapToLong(file -> file.content().length).sum();
    }

    public void write(DataOutput out) throws IOException {
        out.writeInt(MAGIC);
        out.writeByte(VERSION);
        out.writeLong(checkpointId);
        out.writeInt(keyGroups.maxParallelism());
        out.writeInt(keyGroups.first());
        out.writeInt(keyGroups.last());
        out.writeInt(sharedFiles.size());
        for (SharedFile file : sharedFiles) {
            out.writeUTF(file.localName());
            out.writeUTF(file.sharedName());
            out.writeLong(file.size());
            out.writeBoolean(file.uploaded());
        }
        out.writeInt(privateFiles.size());
        for (PrivateFile file : privateFiles) {
            out.writeUTF(file.name());
            out.writeInt(file.content().length);
            out.write(file.content());
        }
    }

    /** @throws IOException if the bytes are not a handle of a known version */
    public static IncrementalSnapshotHandle read(DataInput in) throws IOException {
        if (in.readInt() != MAGIC) {
            throw new IOException("Not a RocksDB checkpoint handle written by Runnel (bad magic number)");
        }
        int version = in.readByte();
        if (version != VERSION) {
            throw new IOException("RocksDB checkpoint handle of version " + version + ", but this Runnel reads version " + VERSION);
        }
        long checkpointId = in.readLong();
        int maxParallelism = in.readInt();
        KeyGroupRange keyGroups = new KeyGroupRange(in.readInt(), in.readInt(), maxParallelism);
        int sharedCount = in.readInt();
        SharedFile[] shared = new SharedFile[sharedCount];
        for (int i = 0; i < sharedCount; i++) {
            shared[i] = new SharedFile(in.readUTF(), in.readUTF(), in.readLong(), in.readBoolean());
        }
        int privateCount = in.readInt();
        PrivateFile[] files = new PrivateFile[privateCount];
        for (int i = 0; i < privateCount; i++) {
            String name = in.readUTF();
            byte[] content = new byte[in.readInt()];
            in.readFully(content);
            files[i] = new PrivateFile(name, content);
        }
        return new IncrementalSnapshotHandle(checkpointId, keyGroups, List.of(shared), List.of(files));
    }
}
