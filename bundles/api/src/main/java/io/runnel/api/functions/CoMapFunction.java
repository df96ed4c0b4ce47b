package io.runnel.api.functions;

import org.osgi.annotation.versioning.ConsumerType;

/** Maps records of two connected streams to one output type. Shared by subtasks: keep it stateless. */
@ConsumerType
public interface CoMapFunction<I1, I2, O> {
    O map1(I1 value) throws Exception;

    O map2(I2 value) throws Exception;
}
