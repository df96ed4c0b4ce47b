package io.runnel.spi.cluster;

import io.runnel.api.cluster.SlotId;
import io.runnel.api.cluster.SlotInfo;
import org.osgi.annotation.versioning.ConsumerType;

/** Told about changes of the slot table; see the package notes on threading. */
@ConsumerType
public interface SlotListener {

    /** A slot was offered, or its state changed. */
    void slotUpdated(SlotInfo slot);

    /** A slot was withdrawn, or its node left the cluster. */
    void slotRemoved(SlotId slot);
}
