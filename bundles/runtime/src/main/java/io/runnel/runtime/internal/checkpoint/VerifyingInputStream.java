package io.runnel.runtime.internal.checkpoint;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * Reads a state file and checks it against its {@link StateHandle}: more bytes than recorded fail
 * at once, and at the end of the stream the count and the CRC32C must match. Skipping reads the
 * skipped bytes, so they are checked too.
 */
final class VerifyingInputStream extends InputStream {

    private final InputStream in;
    private final Path file;
    private final StateHandle expected;
    private final CRC32C crc = new CRC32C();
    private long count;
    private boolean verified;

    VerifyingInputStream(InputStream in, Path file, StateHandle expected) {
        this.in = new BufferedInputStream(in, 64 * 1024);
        this.file = file;
        this.expected = expected;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b < 0) {
            verifyAtEnd();
            return -1;
        }
        crc.update(b);
        counted(1);
        return b;
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
        int read = in.read(bytes, offset, length);
        if (read < 0) {
            verifyAtEnd();
            return -1;
        }
        crc.update(bytes, offset, read);
        counted(read);
        return read;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] scratch = new byte[(int) Math.min(8192, Math.max(n, 1))];
        long skipped = 0;
        while (skipped < n) {
            int read = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
            if (read < 0) {
                break;
            }
            skipped += read;
        }
        return skipped;
    }

    @Override
    public int available() throws IOException {
        return in.available();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private void counted(int bytes) throws InvalidCheckpointException {
        count += bytes;
        if (count > expected.size()) {
            throw new InvalidCheckpointException(file, "State file " + file + " is longer than the "
                    + expected.size() + " bytes recorded in " + MetadataFormat.FILE_NAME);
        }
    }

    private void verifyAtEnd() throws InvalidCheckpointException {
        if (verified) {
            return;
        }
        if (count != expected.size()) {
            throw new InvalidCheckpointException(file, "State file " + file + " has " + count + " bytes, "
                    + MetadataFormat.FILE_NAME + " recorded " + expected.size());
        }
        int actual = (int) crc.getValue();
        if (actual != expected.crc32c()) {
            throw new InvalidCheckpointException(file, "State file " + file + " is corrupt: CRC32C is "
                    + StateHandle.hex(actual) + ", " + MetadataFormat.FILE_NAME + " recorded " + expected.crc32cHex());
        }
        verified = true;
    }
}
