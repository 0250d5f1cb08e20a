package io.zkpfl.zk.frontend;

import io.zkpfl.zk.bn254.Fr;

/**
 * A value in a circuit: a lazy linear combination of wires (wire 0 is the constant 1). Additions,
 * subtractions and multiplications by constants only build new combinations and cost no
 * constraint; a product of two non-constant variables costs one. Immutable; belongs to the
 * {@link Api} that created it.
 */
public final class Variable {

    final Api owner;
    final int[] wires;
    final Fr[] coeffs;
    final boolean knownBoolean;
    /** Solver cache slot for the value of this combination once it is a product operand; -1 until then. */
    int slot = -1;

    Variable(Api owner, int[] wires, Fr[] coeffs, boolean knownBoolean) {
        this.owner = owner;
        this.wires = wires;
        this.coeffs = coeffs;
        this.knownBoolean = knownBoolean;
    }

    /** True if the value does not depend on any input. */
    public boolean isConstant() {
        return wires.length == 0 || (wires.length == 1 && wires[0] == 0);
    }

    /**
     * The constant value.
     *
     * @throws IllegalStateException if not constant
     */
    public Fr constantValue() {
        if (!isConstant()) {
            throw new IllegalStateException("variable is not a constant");
        }
        return wires.length == 0 ? Fr.ZERO : coeffs[0];
    }

    /** Number of terms of the linear combination (its cost when used in a constraint). */
    public int terms() {
        return wires.length;
    }

    @Override
    public String toString() {
        return isConstant() ? "Variable[constant]" : "Variable[" + wires.length + " terms]";
    }
}
