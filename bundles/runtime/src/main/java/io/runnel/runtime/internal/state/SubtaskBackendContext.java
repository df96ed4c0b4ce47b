package io.runnel.runtime.internal.state;

import io.runnel.api.types.TypeSerializer;
import io.runnel.runtime.internal.checkpoint.DurableFiles;
import io.runnel.spi.state.KeyedStateBackendContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the runtime tells the keyed state backend of one operator subtask. The local working directory
 * is created under {@code localBase} on first use, with a name of its own, and deleted by {@link
 * #deleteLocalDirectory} once the backend is disposed.
 */
public final class SubtaskBackendContext implements KeyedStateBackendContext {

    private static final Logger LOG = LoggerFactory.getLogger(SubtaskBackendContext.class);

    private final int firstKeyGroup;
    private final int lastKeyGroup;
    private final int maxParallelism;
    private final LongSupplier clock;
    private final ClassLoader userClassLoader;
    private final TypeSerializer<Object> keys;
    private final TypeSerializer<Object> namespaces;
    private final String owner;
    private final Map<String, String> options;
    private final Path localBase;
    private final String localPrefix;
    private final Path sharedStateDirectory;
    private final String slotId;
    private Path localDirectory;

    /**
     * @param namespaces the serializer of the operator's windows, or null
     * @param owner follows a state's name in errors, with a leading space, or empty
     * @param localBase where local working directories are made
     * @param localPrefix the start of the local directory's name (saying whose it is)
     * @param sharedStateDirectory the job's shared-state directory, or null for portable checkpoints only
     * @param slotId the task slot the subtask runs in, or null if unknown
     */
    public SubtaskBackendContext(int firstKeyGroup, int lastKeyGroup, int maxParallelism, LongSupplier clock,
            ClassLoader userClassLoader, TypeSerializer<Object> keys, TypeSerializer<Object> namespaces, String owner,
            Map<String, String> options, Path localBase, String localPrefix, Path sharedStateDirectory, String slotId) {
        this.firstKeyGroup = firstKeyGroup;
        this.lastKeyGroup = lastKeyGroup;
        this.maxParallelism = maxParallelism;
        this.clock = clock;
        this.userClassLoader = userClassLoader;
        this.keys = keys;
        this.namespaces = namespaces;
        this.owner = owner;
        this.options = Map.copyOf(options);
        this.localBase = localBase;
        this.localPrefix = localPrefix.replaceAll("[^A-Za-z0-9._-]", "_");
        this.sharedStateDirectory = sharedStateDirectory;
        this.slotId = slotId;
    }

    @Override
    public int firstKeyGroup() {
        return firstKeyGroup;
    }

    @Override
    public int lastKeyGroup() {
        return lastKeyGroup;
    }

    @Override
    public int maxParallelism() {
        return maxParallelism;
    }

    @Override
    public LongSupplier processingTimeClock() {
        return clock;
    }

    @Override
    public ClassLoader userClassLoader() {
        return userClassLoader;
    }

    @Override
    public TypeSerializer<Object> keySerializer() {
        return keys;
    }

    @Override
    public Optional<TypeSerializer<Object>> namespaceSerializer() {
        return Optional.ofNullable(namespaces);
    }

    @Override
    public String owner() {
        return owner;
    }

    @Override
    public Map<String, String> options() {
        return options;
    }

    @Override
    public synchronized Path localDirectory() throws IOException {
        if (localDirectory == null) {
            try {
                Files.createDirectories(localBase);
                localDirectory = Files.createTempDirectory(localBase, localPrefix + "-");
            } catch (IOException e) {
                throw new IOException("Cannot create a local state directory under " + localBase + ": " + e.getMessage()
                        + ". Make the directory writable, or give the node another data directory", e);
            }
        }
        return localDirectory;
    }

    @Override
    public Optional<Path> sharedStateDirectory() {
        return Optional.ofNullable(sharedStateDirectory);
    }

    @Override
    public Optional<String> slotId() {
        return Optional.ofNullable(slotId);
    }

    /** Deletes the local directory with everything in it, if it was created; failures are logged, not thrown. */
    public synchronized void deleteLocalDirectory() {
        if (localDirectory == null) {
            return;
        }
        try {
            DurableFiles.deleteRecursively(localDirectory);
        } catch (IOException e) {
            LOG.warn("Could not delete the local state directory {}: {}", localDirectory, e.toString());
        }
        localDirectory = null;
    }
}
