package io.runnel.state.rocksdb.internal;

import io.runnel.api.types.TypeSchema;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * What the metadata column family says about one stored state, so that a restored instance knows how
 * its bytes were written before any descriptor asks for the state.
 *
 * <pre>
 * key:   "state/" + UTF-8 name
 * value: byte version 1, byte kind, boolean time to live, byte layout, schema (TypeSchema.writeTo)
 * </pre>
 *
 * @param kind the kind of state, or null if not known (restored from a portable snapshot, which does not say)
 * @param schema the schema of the portable value format: of the list serializer for list state
 *     (whose elements are stored one after another, see {@link Layout#NATIVE}), of the state's
 *     serializer otherwise
 * @param timeToLive whether each value starts with the 8-byte time of its last access
 */
record StateMetadata(StateKind kind, TypeSchema schema, boolean timeToLive, Layout layout) {

    private static final int VERSION = 1;
    private static final String KEY_PREFIX = "state/";

    /** How values are laid out in RocksDB. */
    enum Layout {
        /** As this backend writes them: list state as elements one after another (each after a presence byte). */
        NATIVE,
        /** As portable snapshots hold them (a list as the list serializer writes it), until rewritten on first use. */
        PORTABLE
    }

    static byte[] key(String state) {
        return (KEY_PREFIX + state).getBytes(StandardCharsets.UTF_8);
    }

    /** The state name of a metadata key, or null if the key is not a state's. */
    static String stateOf(byte[] key) {
        String text = new String(key, StandardCharsets.UTF_8);
        return text.startsWith(KEY_PREFIX) ? text.substring(KEY_PREFIX.length()) : null;
    }

    byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeByte(kind == null ? 0 : kind.code);
            out.writeBoolean(timeToLive);
            out.writeByte(layout.ordinal());
            schema.writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static StateMetadata decode(String state, byte[] bytes) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        int version = in.readByte();
        if (version != VERSION) {
            throw new IOException("The metadata of state '" + state + "' has version " + version + ", but this Runnel reads "
                    + "version " + VERSION);
        }
        int code = in.readByte();
        StateKind kind = code == 0 ? null : StateKind.ofCode(code);
        boolean ttl = in.readBoolean();
        Layout layout = Layout.values()[in.readByte()];
        return new StateMetadata(kind, TypeSchema.readFrom(in), ttl, layout);
    }
}
