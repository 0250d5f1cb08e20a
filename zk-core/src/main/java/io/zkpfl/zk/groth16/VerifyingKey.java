package io.zkpfl.zk.groth16;

import io.zkpfl.zk.bn254.G1;
import io.zkpfl.zk.bn254.G2;
import java.util.Arrays;
import java.util.Objects;

/**
 * A Groth16 verifying key: [α]₁, [β]₂, [γ]₂, [δ]₂ and IC_i = [(β·u_i(τ) + α·v_i(τ) + w_i(τ))/γ]₁
 * for wire 0 and the public wires, in iden3 order.
 */
public record VerifyingKey(G1 alpha1, G2 beta2, G2 gamma2, G2 delta2, G1[] ic) {

    public VerifyingKey {
        Objects.requireNonNull(alpha1, "alpha1");
        Objects.requireNonNull(beta2, "beta2");
        Objects.requireNonNull(gamma2, "gamma2");
        Objects.requireNonNull(delta2, "delta2");
        if (ic == null || ic.length == 0) {
            throw new IllegalArgumentException("verifying key needs at least IC_0");
        }
        ic = ic.clone();
    }

    /** Number of public inputs the key expects. */
    public int numPublic() {
        return ic.length - 1;
    }

    @Override
    public G1[] ic() {
        return ic.clone();
    }

    /** IC_i without copying the array. */
    public G1 ic(int i) {
        return ic[i];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VerifyingKey v && alpha1.equals(v.alpha1) && beta2.equals(v.beta2)
                && gamma2.equals(v.gamma2) && delta2.equals(v.delta2) && Arrays.equals(ic, v.ic);
    }

    @Override
    public int hashCode() {
        return Objects.hash(alpha1, beta2, gamma2, delta2, Arrays.hashCode(ic));
    }

    @Override
    public String toString() {
        return "VerifyingKey[numPublic=" + numPublic() + "]";
    }
}
