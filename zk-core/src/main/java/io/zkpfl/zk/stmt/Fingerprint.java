package io.zkpfl.zk.stmt;

import io.zkpfl.zk.bn254.Fr;

/** The native fingerprint {@code φ_ρ(S) = Σ_j S_j · ρ^j}, evaluated by Horner's rule. */
public final class Fingerprint {

    private Fingerprint() {
    }

    /** {@code Σ_j s[j] · rho^j}; zero for an empty vector. */
    public static Fr of(Fr rho, Fr[] s) {
        Fr acc = Fr.ZERO;
        for (int j = s.length - 1; j >= 0; j--) {
            acc = acc.mul(rho).add(s[j]);
        }
        return acc;
    }
}
