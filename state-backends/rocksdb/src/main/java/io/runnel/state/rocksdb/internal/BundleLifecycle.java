package io.runnel.state.rocksdb.internal;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/**
 * Ties RocksDB's native resources to the bundle's life: the native library is loaded at start (so a
 * platform it cannot run on shows at once, not at a job's first checkpoint), and every RocksDB
 * instance still open is closed at stop, which the framework also runs before an update or refresh
 * replaces this revision's class loader. The backend service ({@code RocksStateBackendFactory}) closes its
 * backends when it is deactivated, which happens first; this catches any instance made outside it. An
 * activator rather than a DS component because this is about the bundle's class loader, not about a
 * service.
 */
public final class BundleLifecycle implements BundleActivator {

    @Override
    public void start(BundleContext context) {
        RocksNativeLibrary.load();
    }

    @Override
    public void stop(BundleContext context) throws Exception {
        RocksNativeLibrary.closeAll();
    }
}
