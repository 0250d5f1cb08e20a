package io.zkpfl.zk.frontend;

/**
 * The witness solver could not produce a satisfying assignment: an input is missing, unknown or
 * of the wrong length, or a constraint does not hold. Messages name the input or the constraint
 * (index and label) and never contain values.
 */
public final class WitnessException extends IllegalArgumentException {

    private final int constraint;

    WitnessException(String message, int constraint) {
        super(message);
        this.constraint = constraint;
    }

    /** Index of the violated constraint, or -1 when the problem is an input. */
    public int constraint() {
        return constraint;
    }
}
