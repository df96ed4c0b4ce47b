package io.runnel.state.rocksdb.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.rocksdb.RocksDB;

/**
 * Loads RocksDB's native library and keeps track of every open RocksDB instance of this bundle
 * revision, so that stopping (or updating) the bundle can close them before its class loader goes.
 *
 * <p>Static on purpose: the native library belongs to the class loader that loaded it, which is this
 * bundle revision's, and so does this registry; a new revision starts with fresh ones.
 */
final class RocksNativeLibrary {

    private static final Set<AutoCloseable> OPEN = ConcurrentHashMap.newKeySet();
    private static volatile boolean loaded;

    private RocksNativeLibrary() {}

    /** Loads the native library once per class loader. */
    static void load() {
        if (loaded) {
            return;
        }
        synchronized (RocksNativeLibrary.class) {
            if (loaded) {
                return;
            }
            try {
                RocksDB.loadLibrary();
            } catch (RuntimeException | UnsatisfiedLinkError e) {
                throw new IllegalStateException("RocksDB's native library cannot be loaded on " + System.getProperty("os.name")
                        + " " + System.getProperty("os.arch") + ": " + e.getMessage() + ". The RocksDB state backend runs on "
                        + "Linux x86_64 with glibc 2.16 or later; elsewhere use state.backend.type: heap", e);
            }
            loaded = true;
        }
    }

    static void opened(AutoCloseable instance) {
        OPEN.add(instance);
    }

    static void closed(AutoCloseable instance) {
        OPEN.remove(instance);
    }

    /** How many instances are open now (tests and the bundle's stop check it). */
    static int openCount() {
        return OPEN.size();
    }

    /** Closes every instance still open; failures are collected so one does not keep the others open. */
    static void closeAll() throws Exception {
        List<AutoCloseable> open = new ArrayList<>(OPEN);
        Exception first = null;
        for (AutoCloseable instance : open) {
            try {
                instance.close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
            OPEN.remove(instance);
        }
        if (first != null) {
            throw first;
        }
    }
}
