package io.runnel.cluster.hazelcast.internal;

import java.lang.annotation.Annotation;

/** A hand-filled {@link HazelcastClusterNode.Config}, as DS would build it from configuration. */
final class TestConfig implements HazelcastClusterNode.Config {
    String nodeId = "";
    String role = "both";
    String clusterName = "runnel-test";
    String bindHost = "127.0.0.1";
    int port;
    String[] members = {};
    int heartbeatTimeout = 5000;

    TestConfig(int port) {
        this.port = port;
    }

    @Override
    public String node_id() {
        return nodeId;
    }

    @Override
    public String node_role() {
        return role;
    }

    @Override
    public String cluster_name() {
        return clusterName;
    }

    @Override
    public String cluster_bind$_$host() {
        return bindHost;
    }

    @Override
    public int cluster_port() {
        return port;
    }

    @Override
    public String[] cluster_members() {
        return members;
    }

    @Override
    public int cluster_heartbeat_timeout() {
        return heartbeatTimeout;
    }

    @Override
    public Class<? extends Annotation> annotationType() {
        return HazelcastClusterNode.Config.class;
    }
}
