package io.runnel.api.tuple;

/**
 * A tuple of four fields, {@code f0} to {@code f3}. Fields may be null. Equality, hash code and
 * {@code toString} are those of a Java record, so tuples work as keys.
 *
 * <p>Immutable: thread-safe as long as the field values are.
 *
 * @param <A> the type of field 0
 * @param <B> the type of field 1
 * @param <C> the type of field 2
 * @param <D> the type of field 3
 * @param f0 field 0, may be null
 * @param f1 field 1, may be null
 * @param f2 field 2, may be null
 * @param f3 field 3, may be null
 */
public record Tuple4<A, B, C, D>(A f0, B f1, C f2, D f3) implements Tuple {

    /** A tuple of the given fields. */
    public static <A, B, C, D> Tuple4<A, B, C, D> of(A f0, B f1, C f2, D f3) {
        return new Tuple4<>(f0, f1, f2, f3);
    }

    @Override
    public int arity() {
        return 4;
    }

    @Override
    public Object get(int position) {
        return switch (position) {
            case 0 -> f0;
            case 1 -> f1;
            case 2 -> f2;
            case 3 -> f3;
            default -> throw new IndexOutOfBoundsException("A Tuple4 has fields f0 to f3, not f" + position);
        };
    }
}
