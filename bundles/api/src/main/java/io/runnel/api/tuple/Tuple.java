package io.runnel.api.tuple;

/**
 * A fixed number of fields, read by position. Implemented only by {@link Tuple2} to {@link Tuple5};
 * lets code that handles tuples of any arity (serializers, key selectors) read a field without a
 * switch over the classes.
 *
 * <p>Tuples are immutable and thread-safe as long as their fields are.
 */
public sealed interface Tuple permits Tuple2, Tuple3, Tuple4, Tuple5 {

    /** How many fields this tuple has: 2 for {@link Tuple2}, and so on. */
    int arity();

    /**
     * The field at {@code position} ({@code 0} is {@code f0}).
     *
     * @throws IndexOutOfBoundsException if {@code position} is negative or not below {@link #arity()}
     */
    Object get(int position);
}
