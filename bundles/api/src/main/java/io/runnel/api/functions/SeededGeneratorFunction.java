package io.runnel.api.functions;

import java.util.random.RandomGenerator;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Makes the record with a given index from random numbers that depend only on the generator's seed
 * and that index, so a run is repeatable with the same seed at any parallelism. See
 * {@code Sources.random}.
 */
@ConsumerType
@FunctionalInterface
public interface SeededGeneratorFunction<T> {

    /**
     * @param index the record's index, from 0
     * @param random random numbers for this record alone, seeded from the seed and {@code index}
     */
    T generate(long index, RandomGenerator random) throws Exception;
}
