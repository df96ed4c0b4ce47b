package io.runnel.cluster.hazelcast.internal;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.NetworkConfig;
import java.util.ArrayList;
import java.util.List;

/** Builds the Hazelcast configuration of a Runnel cluster member from its settings. */
final class MemberConfig {

    private MemberConfig() {}

    static Config create(ClusterSettings settings, ClassLoader bundleClassLoader) {
        Config config = new Config();
        // Inside OSGi, Hazelcast must load user and SPI classes through this bundle.
        config.setClassLoader(bundleClassLoader);
        config.setClusterName(settings.clusterName());
        // Instance names are unique per JVM; the endpoint is too.
        config.setInstanceName("runnel-" + settings.ownAddress());
        config.getMemberAttributeConfig().setAttribute(MemberAttributes.NODE_ID, settings.nodeId().value());
        config.getMemberAttributeConfig().setAttribute(MemberAttributes.ROLES, MemberAttributes.formatRoles(settings.roles()));
        // Runnel runs its own engine: no Jet, no phone-home, no JVM shutdown hook (the bundle shuts
        // the member down in order), logging through SLF4J like the rest of the node.
        config.getJetConfig().setEnabled(false);
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.shutdownhook.enabled", "false");
        config.setProperty("hazelcast.logging.type", "slf4j");
        // Fast, bounded failure detection: a killed node's slots must disappear within seconds.
        int timeoutSeconds = Math.max(1, settings.heartbeatTimeoutMillis() / 1000);
        config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        config.setProperty("hazelcast.max.no.heartbeat.seconds", Integer.toString(timeoutSeconds));
        // Joining should take about a second, not Hazelcast's default five.
        config.setProperty("hazelcast.wait.seconds.before.join", "1");
        config.setProperty("hazelcast.max.wait.seconds.before.join", "3");
        // Bind to the configured address only.
        config.setProperty("hazelcast.socket.bind.any", "false");
        config.setProperty("hazelcast.local.localAddress", settings.bindHost());

        // Runnel's maps are tiny (slots, candidates, the leader record) and must survive several
        // members dying at once: every member holds a copy (Hazelcast allows at most 6 backups).
        config.addMapConfig(new MapConfig("runnel.*").setBackupCount(MapConfig.MAX_BACKUP_COUNT).setAsyncBackupCount(0));

        NetworkConfig network = config.getNetworkConfig();
        network.setPort(settings.port()).setPortAutoIncrement(false);
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        List<String> members = new ArrayList<>(settings.members());
        members.add(settings.ownAddress());
        join.getTcpIpConfig().setEnabled(true).setMembers(members).setConnectionTimeoutSeconds(2);
        return config;
    }
}
