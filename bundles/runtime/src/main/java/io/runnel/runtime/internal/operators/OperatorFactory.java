package io.runnel.runtime.internal.operators;

import io.runnel.runtime.internal.task.Output;

/** Makes the instance of an operator for one subtask. Kept in the job graph; called once per subtask. */
@FunctionalInterface
public interface OperatorFactory {

    StreamOperator<Object> create(OperatorContext context, Output<Object> output);
}
