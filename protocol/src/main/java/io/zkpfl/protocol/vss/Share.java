package io.zkpfl.protocol.vss;

import io.zkpfl.zk.bn254.Fr;
import java.util.Arrays;
import java.util.List;

/**
 * Node {@code k}'s share: a vector of length {@code D} and its blinding polynomial's coefficients
 * ({@code m + 2}). The same shape carries a partial {@code (S_k, b_k)} and a reconstruction
 * {@code (A, b_A)} (node 0). Arrays are shared, not copied; {@link #toString()} shows no values.
 */
public record Share(int node, Fr[] values, Fr[] blinding) {

    public Share {
        if (values == null || blinding == null) {
            throw new IllegalArgumentException("a share needs values and blinding");
        }
    }

    /**
     * The partial {@code S_k = Σ_i x_ik}, {@code b_k = Σ_i b_ik} of one node's shares.
     *
     * @throws IllegalArgumentException if the list is empty or the shares differ in node or shape
     */
    public static Share sum(List<Share> shares) {
        if (shares.isEmpty()) {
            throw new IllegalArgumentException("a partial needs at least one share");
        }
        Share first = shares.get(0);
        Fr[] v = first.values.clone();
        Fr[] b = first.blinding.clone();
        for (Share s : shares.subList(1, shares.size())) {
            if (s.node != first.node || s.values.length != v.length || s.blinding.length != b.length) {
                throw new IllegalArgumentException("shares of a partial must be for one node and of one shape");
            }
            VectorOps.addInto(v, s.values);
            VectorOps.addInto(b, s.blinding);
        }
        return new Share(first.node, v, b);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Share s && node == s.node && Arrays.equals(values, s.values)
                && Arrays.equals(blinding, s.blinding);
    }

    @Override
    public int hashCode() {
        return 31 * node + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "Share[node=" + node + ", length=" + values.length + ", blinding=" + blinding.length + "]";
    }
}
