package io.runnel.runtime.internal.network;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of the tests that run a channel between two "TaskManagers" in this JVM, on loopback: starts
 * both data planes before each test, and closes what the test {@link #track tracked} (last first),
 * then both data planes, after it.
 */
abstract class TwoTaskManagers {

    TestTaskManager producerSide;
    TestTaskManager consumerSide;
    private final List<AutoCloseable> resources = new ArrayList<>();

    @BeforeEach
    void startTaskManagers() throws Exception {
        producerSide = TestTaskManager.start();
        consumerSide = TestTaskManager.start();
    }

    @AfterEach
    void stopEverything() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
        producerSide.close();
        consumerSide.close();
    }

    /** Closes {@code resource} after the test, before the data planes. */
    <T extends AutoCloseable> T track(T resource) {
        resources.add(resource);
        return resource;
    }
}
