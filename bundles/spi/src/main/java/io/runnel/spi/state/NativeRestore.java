package io.runnel.spi.state;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A native handle to restore from, with the directories its relative paths are resolved against.
 *
 * @param handle what the backend returned at the checkpoint
 * @param sharedDirectory the job's shared-state directory the checkpoint used
 * @param privateDirectory the directory the checkpoint's private files are in
 */
public record NativeRestore(NativeStateHandle handle, Path sharedDirectory, Path privateDirectory) {

    public NativeRestore {
        Objects.requireNonNull(handle, "handle");
        Objects.requireNonNull(sharedDirectory, "sharedDirectory");
        Objects.requireNonNull(privateDirectory, "privateDirectory");
    }

    /** The shared files of the handle, as paths. */
    public java.util.List<Path> sharedFiles() {
        return handle.sharedFiles().stream().map(sharedDirectory::resolve).toList();
    }

    /** The private files of the handle, as paths. */
    public java.util.List<Path> privateFiles() {
        return handle.privateFiles().stream().map(privateDirectory::resolve).toList();
    }
}
