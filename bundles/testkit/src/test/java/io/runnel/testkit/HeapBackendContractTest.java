package io.runnel.testkit;

import io.runnel.spi.state.StateBackendFactory;
import io.runnel.state.heap.HeapStateBackendFactory;

/**
 * The heap backend keeps the keyed state backend contract. It runs here rather than in the heap
 * module: the runtime's tests use the heap backend, and the testkit builds on the runtime, so the
 * heap module cannot depend on the testkit without a build cycle.
 */
class HeapBackendContractTest extends KeyedStateBackendContractTest {

    @Override
    protected StateBackendFactory factory() {
        return new HeapStateBackendFactory();
    }
}
