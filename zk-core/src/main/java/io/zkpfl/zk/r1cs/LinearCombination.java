package io.zkpfl.zk.r1cs;

import io.zkpfl.zk.bn254.Fr;

import java.util.Arrays;

/**
 * A sparse linear combination {@code Σ coeffs[k] · w[wires[k]]} over the wires of a constraint system.
 *
 * <p>Invariants (checked on construction): both arrays have the same length, wire indices are
 * non-negative and strictly ascending, and no coefficient is zero. The arrays are copied on the way
 * in and on the way out; use {@link #size()}, {@link #wire(int)} and {@link #coeff(int)} to read
 * without copying.
 */
public record LinearCombination(int[] wires, Fr[] coeffs) {

    /** The empty combination (value zero). */
    public static final LinearCombination ZERO = new LinearCombination(new int[0], new Fr[0]);

    public LinearCombination {
        if (wires == null || coeffs == null) {
            throw new IllegalArgumentException("wires and coeffs must not be null");
        }
        if (wires.length != coeffs.length) {
            throw new IllegalArgumentException(
                    "wires and coeffs differ in length: " + wires.length + " vs " + coeffs.length);
        }
        wires = wires.clone();
        coeffs = coeffs.clone();
        for (int k = 0; k < wires.length; k++) {
            if (wires[k] < 0) {
                throw new IllegalArgumentException("negative wire index " + wires[k]);
            }
            if (k > 0 && wires[k] <= wires[k - 1]) {
                throw new IllegalArgumentException("wire indices not strictly ascending at position " + k);
            }
            if (coeffs[k] == null || coeffs[k].isZero()) {
                throw new IllegalArgumentException("zero or null coefficient for wire " + wires[k]);
            }
        }
    }

    /** A single term {@code coeff · w[wire]}, or {@link #ZERO} if the coefficient is zero. */
    public static LinearCombination term(int wire, Fr coeff) {
        return coeff.isZero() ? ZERO : new LinearCombination(new int[] {wire}, new Fr[] {coeff});
    }

    /** The constant {@code c} (a multiple of wire 0). */
    public static LinearCombination constant(Fr c) {
        return term(0, c);
    }

    /** Number of non-zero terms. */
    public int size() {
        return wires.length;
    }

    /** Wire index of term {@code k}. */
    public int wire(int k) {
        return wires[k];
    }

    /** Coefficient of term {@code k}. */
    public Fr coeff(int k) {
        return coeffs[k];
    }

    @Override
    public int[] wires() {
        return wires.clone();
    }

    @Override
    public Fr[] coeffs() {
        return coeffs.clone();
    }

    /** Evaluates the combination on a full assignment. */
    public Fr evaluate(Fr[] witness) {
        Fr acc = Fr.ZERO;
        for (int k = 0; k < wires.length; k++) {
            acc = acc.add(coeffs[k].mul(witness[wires[k]]));
        }
        return acc;
    }

    /** Largest wire index used, or -1 if empty. */
    public int maxWire() {
        return wires.length == 0 ? -1 : wires[wires.length - 1];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LinearCombination other
                && Arrays.equals(wires, other.wires)
                && Arrays.equals(coeffs, other.coeffs);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(wires) + Arrays.hashCode(coeffs);
    }

    @Override
    public String toString() {
        if (wires.length == 0) {
            return "0";
        }
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < wires.length; k++) {
            if (k > 0) {
                sb.append(" + ");
            }
            sb.append(coeffs[k]).append("·w").append(wires[k]);
        }
        return sb.toString();
    }
}
