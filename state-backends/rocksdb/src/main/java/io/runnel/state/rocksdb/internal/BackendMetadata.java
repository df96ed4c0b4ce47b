package io.runnel.state.rocksdb.internal;

import io.runnel.api.types.TypeSchema;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * The metadata column family: under {@code "backend"} the max parallelism and the key and namespace
 * schemas the keys were written with (byte version 1, int max parallelism, key schema, boolean has
 * namespaces [, namespace schema]); under {@code "state/<name>"} each state's {@link StateMetadata}.
 * Written with the state, so a restored instance carries it in its own files.
 */
final class BackendMetadata {

    private static final byte[] BACKEND_KEY = "backend".getBytes(StandardCharsets.UTF_8);
    private static final int VERSION = 1;

    private BackendMetadata() {}

    /**
     * Writes the backend's metadata into a new instance, or checks that a restored one's keys were
     * written the way this backend writes them.
     *
     * @throws IOException saying what differs and what to do
     */
    static void checkOrWrite(RocksInstance rocks, int maxParallelism, TypeSchema keys, TypeSchema namespaces)
            throws IOException {
        try {
            byte[] stored = rocks.db().get(rocks.metadata(), BACKEND_KEY);
            if (stored == null) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                DataOutputStream out = new DataOutputStream(bytes);
                out.writeByte(VERSION);
                out.writeInt(maxParallelism);
                keys.writeTo(out);
                out.writeBoolean(namespaces != null);
                if (namespaces != null) {
                    namespaces.writeTo(out);
                }
                rocks.db().put(rocks.metadata(), rocks.writeOptions(), BACKEND_KEY, bytes.toByteArray());
                return;
            }
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(stored));
            int version = in.readByte();
            if (version != VERSION) {
                throw new IOException("RocksDB state of metadata version " + version + ", but this Runnel reads version " + VERSION);
            }
            int storedMaxParallelism = in.readInt();
            if (storedMaxParallelism != maxParallelism) {
                throw new IOException("The state was written with max parallelism " + storedMaxParallelism + " but the job now "
                        + "has " + maxParallelism + ": key groups would not match. Keep the max parallelism of a job that has state");
            }
            TypeSchema storedKeys = TypeSchema.readFrom(in);
            if (!storedKeys.equals(keys)) {
                throw new IOException("The state's keys were written as " + storedKeys + " but the job's keys are now " + keys
                        + ": a checkpoint keeps keys as bytes. To change the key type, take a savepoint and restore from it");
            }
            if (in.readBoolean()) {
                TypeSchema storedNamespaces = TypeSchema.readFrom(in);
                if (namespaces != null && !storedNamespaces.equals(namespaces)) {
                    throw new IOException("The state's windows were written as " + storedNamespaces + " but the job's windows "
                            + "are now " + namespaces + ": restore such a change from a savepoint");
                }
            }
        } catch (RocksDBException e) {
            throw new IOException("Cannot read the metadata of RocksDB in " + rocks.directory() + ": " + e.getMessage(), e);
        }
    }

    static void writeState(RocksInstance rocks, String name, StateMetadata metadata) throws RocksDBException {
        rocks.db().put(rocks.metadata(), rocks.writeOptions(), StateMetadata.key(name), metadata.encode());
    }

    static void deleteState(RocksInstance rocks, String name) throws RocksDBException {
        rocks.db().delete(rocks.metadata(), rocks.writeOptions(), StateMetadata.key(name));
    }

    /** The metadata of every state stored in the instance, by name. */
    static Map<String, StateMetadata> readStates(RocksInstance rocks) throws IOException {
        Map<String, StateMetadata> states = new HashMap<>();
        try (RocksIterator iterator = rocks.db().newIterator(rocks.metadata())) {
            for (iterator.seekToFirst(); iterator.isValid(); iterator.next()) {
                String name = StateMetadata.stateOf(iterator.key());
                if (name != null) {
                    states.put(name, StateMetadata.decode(name, iterator.value()));
                }
            }
        }
        return states;
    }
}
