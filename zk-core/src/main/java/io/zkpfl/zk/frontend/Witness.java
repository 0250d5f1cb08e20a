package io.zkpfl.zk.frontend;

import io.zkpfl.zk.bn254.Fr;

import java.util.Arrays;

/**
 * A full assignment of a compiled circuit's wires in iden3 order ({@code w[0] = 1}, then the public
 * wires, then the private ones). {@link #toString()} never shows values.
 */
public final class Witness {

    private final Fr[] values;
    private final int numPublic;

    Witness(Fr[] values, int numPublic) {
        this.values = values;
        this.numPublic = numPublic;
    }

    /** A copy of the full assignment. */
    public Fr[] values() {
        return values.clone();
    }

    /** Number of wires. */
    public int size() {
        return values.length;
    }

    /** The public inputs {@code w[1..numPublic]}, as a verifier takes them. */
    public Fr[] publicInputs() {
        return Arrays.copyOfRange(values, 1, 1 + numPublic);
    }

    @Override
    public String toString() {
        return "Witness[" + values.length + " wires, " + numPublic + " public]";
    }
}
