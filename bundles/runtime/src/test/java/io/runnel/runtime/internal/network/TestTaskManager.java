package io.runnel.runtime.internal.network;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;

/** The data plane of one "TaskManager" in a test: a data server on loopback and a data client. */
final class TestTaskManager implements AutoCloseable {

    /** Quick to give up and to shut down, so failure tests stay short. */
    static final NetworkConfig CONFIG = NetworkConfig.fromMap(Map.of(
            NetworkConfig.CONNECT_ATTEMPTS, "2",
            NetworkConfig.CONNECT_RETRY_DELAY, "20 ms",
            NetworkConfig.SHUTDOWN_TIMEOUT, "2 s"));

    final DataServer server;
    final DataClient client;

    private TestTaskManager(DataServer server, DataClient client) {
        this.server = server;
        this.client = client;
    }

    static TestTaskManager start() throws IOException {
        return start(CONFIG);
    }

    static TestTaskManager start(NetworkConfig config) throws IOException {
        DataServer server = DataServer.start(config);
        return new TestTaskManager(server, new DataClient(config));
    }

    InetSocketAddress address() {
        return server.address();
    }

    @Override
    public void close() {
        client.close();
        server.close();
    }
}
