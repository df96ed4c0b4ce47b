package io.runnel.runtime.internal.task;

/**
 * Where an operator sends its records: the next operator of the chain (a plain method call) or a
 * record writer to other tasks. Called from the task thread only.
 */
public interface Output<T> {

    void emit(T record);
}
