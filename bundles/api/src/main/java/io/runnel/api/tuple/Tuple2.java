package io.runnel.api.tuple;

/**
 * A tuple of two fields, {@code f0} to {@code f1}. Fields may be null. Equality, hash code and
 * {@code toString} are those of a Java record, so tuples work as keys.
 *
 * <p>Immutable: thread-safe as long as the field values are.
 *
 * @param <A> the type of field 0
 * @param <B> the type of field 1
 * @param f0 field 0, may be null
 * @param f1 field 1, may be null
 */
public record Tuple2<A, B>(A f0, B f1) implements Tuple {

    /** A tuple of the given fields. */
    public static <A, B> Tuple2<A, B> of(A f0, B f1) {
        return new Tuple2<>(f0, f1);
    }

    @Override
    public int arity() {
        return 2;
    }

    @Override
    public Object get(int position) {
        return switch (position) {
            case 0 -> f0;
            case 1 -> f1;
            default -> throw new IndexOutOfBoundsException("A Tuple2 has fields f0 to f1, not f" + position);
        };
    }
}
