package io.runnel.spi.cluster;

import org.osgi.annotation.versioning.ProviderType;

/** A listener or candidacy handed to the cluster; closing it withdraws it. Closing twice is harmless. */
@ProviderType
public interface Registration extends AutoCloseable {

    @Override
    void close();
}
