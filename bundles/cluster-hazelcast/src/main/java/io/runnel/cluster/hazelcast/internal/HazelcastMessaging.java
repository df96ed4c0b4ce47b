package io.runnel.cluster.hazelcast.internal;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.topic.ITopic;
import io.runnel.api.cluster.NodeId;
import io.runnel.spi.cluster.ClusterMessaging;
import io.runnel.spi.cluster.MessageListener;
import io.runnel.spi.cluster.Registration;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Messages on Hazelcast topics, one per target node and topic ({@code runnel.msg.<node>.<topic>}),
 * so a node only receives what is addressed to it. Hazelcast delivers a member's publications to a
 * topic in order; each message carries its sender's node id ahead of the payload. Received messages
 * are handed to the dispatch thread, where listeners run.
 */
final class HazelcastMessaging implements ClusterMessaging {

    private static final Logger LOG = LoggerFactory.getLogger(HazelcastMessaging.class);
    private static final String PREFIX = "runnel.msg.";

    private final HazelcastInstance hazelcast;
    private final NodeId localNode;
    private final ListenerDispatch dispatch;

    HazelcastMessaging(HazelcastInstance hazelcast, NodeId localNode, ListenerDispatch dispatch) {
        this.hazelcast = hazelcast;
        this.localNode = localNode;
        this.dispatch = dispatch;
    }

    @Override
    public void send(NodeId target, String topic, byte[] payload) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(payload, "payload");
        ITopic<byte[]> destination = hazelcast.getTopic(topicName(target, topic));
        destination.publish(envelope(localNode, payload));
    }

    @Override
    public Registration listen(String topic, MessageListener listener) {
        Objects.requireNonNull(listener, "listener");
        String name = topicName(localNode, topic);
        ITopic<byte[]> source = hazelcast.getTopic(name);
        UUID id = source.addMessageListener(message -> {
            byte[] envelope = message.getMessageObject();
            dispatch.submit("message on " + name, () -> deliver(envelope, listener, name));
        });
        return () -> {
            try {
                source.removeMessageListener(id);
            } catch (RuntimeException e) {
                LOG.debug("Could not remove the listener of {}: {}", name, e.toString());
            }
        };
    }

    private static void deliver(byte[] envelope, MessageListener listener, String topic) {
        NodeId sender;
        byte[] payload;
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(envelope))) {
            sender = new NodeId(in.readUTF());
            payload = in.readAllBytes();
        } catch (IOException | RuntimeException e) {
            LOG.warn("Dropped a malformed message on {} ({} bytes): {}", topic, envelope.length, e.toString());
            return;
        }
        listener.onMessage(sender, payload);
    }

    private static byte[] envelope(NodeId sender, byte[] payload) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(payload.length + 32);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(sender.value());
            out.write(payload);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array stream does not fail
        }
        return bytes.toByteArray();
    }

    private static String topicName(NodeId node, String topic) {
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("A message topic must not be blank, but got '" + topic + "'");
        }
        return PREFIX + node.value() + "." + topic;
    }
}
