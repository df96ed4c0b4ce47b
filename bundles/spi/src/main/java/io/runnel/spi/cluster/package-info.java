/**
 * The cluster SPI: how JobManagers and TaskManagers find each other, share task slots and agree on
 * one leading JobManager. Runnel ships a Hazelcast implementation; another implementation only has
 * to register these four services (membership, slot registry, leader election, messaging).
 *
 * <p>Implementations deliver listener callbacks on one notification thread of their own, in the
 * order the changes happened; listeners must return quickly and must not block on cluster calls.
 */
@Export
@Version("1.0.0")
package io.runnel.spi.cluster;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
