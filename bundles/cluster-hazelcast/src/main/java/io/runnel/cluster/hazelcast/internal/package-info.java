/**
 * The Hazelcast implementation of the cluster SPI. One DS component starts an embedded Hazelcast
 * member (TCP-IP join, no multicast) and publishes membership, the slot registry and JobManager
 * leader election on top of it. Nothing here is exported: other bundles see only the SPI services.
 */
package io.runnel.cluster.hazelcast.internal;
