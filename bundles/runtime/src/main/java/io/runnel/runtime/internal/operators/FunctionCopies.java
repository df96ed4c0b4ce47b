package io.runnel.runtime.internal.operators;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.Serializable;
import java.util.function.Supplier;

/**
 * Gives every parallel subtask its own copy of a stateful user function. The function is serialized
 * once when the job is built, which also rejects an unserializable one right away with the reason,
 * and deserialized per subtask, resolving classes through the function's own class loader (its
 * bundle, inside OSGi).
 */
public final class FunctionCopies {

    private FunctionCopies() {}

    /**
     * A supplier of fresh copies of {@code function}.
     *
     * @throws IllegalArgumentException if the function cannot be serialized, naming the class and field type
     */
    public static <T extends Serializable> Supplier<T> of(T function, String role) {
        byte[] bytes;
        try (ByteArrayOutputStream buffer = new ByteArrayOutputStream();
                ObjectOutputStream out = new ObjectOutputStream(buffer)) {
            out.writeObject(function);
            out.flush();
            bytes = buffer.toByteArray();
        } catch (NotSerializableException e) {
            throw new IllegalArgumentException("The " + role + " " + function.getClass().getName()
                    + " cannot be copied for each parallel subtask: it holds a " + e.getMessage()
                    + ", which is not serializable. Make it a top-level or static nested class and keep such "
                    + "fields transient (set them in open())", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("The " + role + " " + function.getClass().getName()
                    + " cannot be serialized to copy it for each parallel subtask: " + e, e);
        }
        ClassLoader loader = function.getClass().getClassLoader();
        return () -> {
            try (ObjectInputStream in = new BundleAwareInput(new ByteArrayInputStream(bytes), loader)) {
                @SuppressWarnings("unchecked")
                T copy = (T) in.readObject();
                return copy;
            } catch (IOException | ClassNotFoundException e) {
                throw new IllegalStateException("Could not copy the " + role + " " + function.getClass().getName(), e);
            }
        };
    }

    /**
     * Copies for each subtask if {@code function} keeps operator state (a
     * {@link io.runnel.api.functions.CheckpointedFunction}); otherwise the one instance, shared, since
     * map, filter and flatMap functions without state are stateless by contract.
     *
     * @throws IllegalArgumentException if a checkpointed function is not serializable
     */
    public static <T> Supplier<T> ifCheckpointed(T function, String role) {
        if (!(function instanceof io.runnel.api.functions.CheckpointedFunction)) {
            return () -> function;
        }
        if (!(function instanceof Serializable serializable)) {
            throw new IllegalArgumentException("The " + role + " " + function.getClass().getName()
                    + " keeps operator state, so each parallel subtask needs its own copy: make it implement "
                    + "java.io.Serializable");
        }
        @SuppressWarnings("unchecked")
        Supplier<T> copies = (Supplier<T>) of(serializable, role);
        return copies;
    }

    /** Resolves classes through the function's class loader first, then the default. */
    private static final class BundleAwareInput extends ObjectInputStream {
        private final ClassLoader loader;

        BundleAwareInput(InputStream in, ClassLoader loader) throws IOException {
            super(in);
            this.loader = loader;
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass description) throws IOException, ClassNotFoundException {
            if (loader != null) {
                try {
                    return Class.forName(description.getName(), false, loader);
                } catch (ClassNotFoundException e) {
                    // fall through to the default resolution (JDK classes, arrays of primitives)
                }
            }
            return super.resolveClass(description);
        }
    }
}
