/**
 * Operators: what runs inside a task's chain. Each gets records through {@code emit} from the
 * operator before it (or the source loop, or the input gate) and passes results on to its output.
 * User-function exceptions are wrapped in {@link io.runnel.runtime.internal.operators.UserFunctionException}
 * naming the operator and subtask.
 */
package io.runnel.runtime.internal.operators;
