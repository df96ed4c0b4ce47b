package io.runnel.runtime.internal.graph;

import io.runnel.api.functions.KeySelector;
import io.runnel.api.stream.SinkDescriptor;
import io.runnel.api.stream.SourceDescriptor;
import io.runnel.runtime.internal.operators.OperatorFactory;
import io.runnel.runtime.internal.task.Partitioning;
import java.util.List;

/**
 * One step of the logical graph, as recorded by the DataStream API. Sources, operators and sinks
 * become operators in the job; partitionings and unions only shape the edges between them.
 */
public abstract sealed class Transformation {

    private final int id;
    private String name;
    private String uid;
    private int parallelism;

    Transformation(int id, String name) {
        this.id = id;
        this.name = name;
    }

    public int id() {
        return id;
    }

    public String name() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    /** The user's uid, or null. */
    public String uid() {
        return uid;
    }

    public void setUid(String uid) {
        this.uid = uid;
    }

    /** The parallelism set by the user, or 0 for the environment's default. */
    public int parallelism() {
        return parallelism;
    }

    public void setParallelism(int parallelism) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("Parallelism of '" + name + "' must be at least 1, but got " + parallelism);
        }
        this.parallelism = parallelism;
    }

    public abstract List<Transformation> inputs();

    /** Whether this step becomes an operator (rather than shaping edges). */
    public boolean isPhysical() {
        return !(this instanceof Partition) && !(this instanceof Union) && !(this instanceof SideOutput);
    }

    /** Reads a source connector. */
    public static final class Source extends Transformation {
        private final SourceDescriptor<?> descriptor;

        public Source(int id, String name, SourceDescriptor<?> descriptor) {
            super(id, name);
            this.descriptor = descriptor;
        }

        public SourceDescriptor<?> descriptor() {
            return descriptor;
        }

        @Override
        public List<Transformation> inputs() {
            return List.of();
        }
    }

    /** An operator with one input. */
    public static final class OneInput extends Transformation {
        private final Transformation input;
        private final OperatorFactory factory;
        private final KeySelector<Object, Object> keySelector;

        /** @param keySelector the key of the input records for a keyed operator, else null */
        public OneInput(int id, String name, Transformation input, OperatorFactory factory,
                KeySelector<Object, Object> keySelector) {
            super(id, name);
            this.input = input;
            this.factory = factory;
            this.keySelector = keySelector;
        }

        public OperatorFactory factory() {
            return factory;
        }

        public KeySelector<Object, Object> keySelector() {
            return keySelector;
        }

        @Override
        public List<Transformation> inputs() {
            return List.of(input);
        }
    }

    /** An operator with two inputs (connected streams). */
    public static final class TwoInput extends Transformation {
        private final Transformation first;
        private final Transformation second;
        private final OperatorFactory factory;
        private final KeySelector<Object, Object> firstKey;
        private final KeySelector<Object, Object> secondKey;

        /** @param firstKey and {@code secondKey}: the keys of a keyed two-input operator, else null */
        public TwoInput(int id, String name, Transformation first, Transformation second, OperatorFactory factory,
                KeySelector<Object, Object> firstKey, KeySelector<Object, Object> secondKey) {
            super(id, name);
            this.first = first;
            this.second = second;
            this.factory = factory;
            this.firstKey = firstKey;
            this.secondKey = secondKey;
        }

        public OperatorFactory factory() {
            return factory;
        }

        public KeySelector<Object, Object> firstKey() {
            return firstKey;
        }

        public KeySelector<Object, Object> secondKey() {
            return secondKey;
        }

        @Override
        public List<Transformation> inputs() {
            return List.of(first, second);
        }
    }

    /** Writes to a sink connector, or (for executeAndCollect) through a runtime-internal operator. */
    public static final class Sink extends Transformation {
        private final Transformation input;
        private final SinkDescriptor<?> descriptor;
        private final OperatorFactory internal;

        public Sink(int id, String name, Transformation input, SinkDescriptor<?> descriptor, OperatorFactory internal) {
            super(id, name);
            if ((descriptor == null) == (internal == null)) {
                throw new IllegalArgumentException("A sink has a connector descriptor or an internal operator");
            }
            this.input = input;
            this.descriptor = descriptor;
            this.internal = internal;
        }

        public SinkDescriptor<?> descriptor() {
            return descriptor;
        }

        public OperatorFactory internal() {
            return internal;
        }

        @Override
        public List<Transformation> inputs() {
            return List.of(input);
        }
    }

    /** Chooses how records reach the next operator's subtasks. */
    public static final class Partition extends Transformation {
        private final Transformation input;
        private final Partitioning partitioning;

        public Partition(int id, Transformation input, Partitioning partitioning) {
            super(id, partitioning.kind().name().toLowerCase(java.util.Locale.ROOT));
            this.input = input;
            this.partitioning = partitioning;
        }

        public Partitioning partitioning() {
            return partitioning;
        }

        @Override
        public List<Transformation> inputs() {
            return List.of(input);
        }
    }

    /** Selects the records an operator emitted to one of its side outputs. */
    public static final class SideOutput extends Transformation {
        private final Transformation input;
        private final String tag;

        public SideOutput(int id, Transformation input, String tag) {
            super(id, "side output '" + tag + "'");
            this.input = input;
            this.tag = tag;
        }

        public String tag() {
            return tag;
        }

        @Override
        public List<Transformation> inputs() {
            return List.of(input);
        }
    }

    /** Merges streams. */
    public static final class Union extends Transformation {
        private final List<Transformation> inputs;

        public Union(int id, List<Transformation> inputs) {
            super(id, "union");
            this.inputs = List.copyOf(inputs);
        }

        @Override
        public List<Transformation> inputs() {
            return inputs;
        }
    }
}
