package io.zkpfl.zk.groth16;

import io.zkpfl.zk.bn254.Fp12;
import io.zkpfl.zk.bn254.Fr;
import io.zkpfl.zk.bn254.G1;
import io.zkpfl.zk.bn254.G2Prepared;
import io.zkpfl.zk.bn254.Pairing;
import java.util.Objects;

/**
 * A verifying key with its fixed pairing work done once: the Miller-loop value of e(α, β) (a
 * constant of the key) and the precomputed Miller lines of γ and δ. Verification then runs one
 * shared Miller loop over three pairs, one of them (the proof's B) prepared on the fly, and one
 * final exponentiation. Immutable and thread-safe.
 */
public final class PreparedVerifyingKey {

    private static final int WINDOW = 4;

    private final VerifyingKey vk;
    private final Fp12 alphaBeta;
    private final G2Prepared gamma;
    private final G2Prepared delta;

    private PreparedVerifyingKey(VerifyingKey vk) {
        this.vk = vk;
        this.alphaBeta = Pairing.millerLoop(new G1[] {vk.alpha1()}, new G2Prepared[] {G2Prepared.of(vk.beta2())});
        this.gamma = G2Prepared.of(vk.gamma2());
        this.delta = G2Prepared.of(vk.delta2());
    }

    /** Prepares {@code vk} (costs about three Miller loops). */
    public static PreparedVerifyingKey of(VerifyingKey vk) {
        return new PreparedVerifyingKey(Objects.requireNonNull(vk, "vk"));
    }

    /** The key this was prepared from. */
    public VerifyingKey verifyingKey() {
        return vk;
    }

    /** Whether e(−A, B)·e(α, β)·e(Σ x_i·IC_i, γ)·e(C, δ) = 1; inputs are checked by the caller. */
    boolean pairingEquationHolds(Fr[] publicInputs, Proof proof) {
        G1 vkx = publicCombination(publicInputs);
        Fp12 f = Pairing.millerLoop(
                new G1[] {proof.a().neg(), vkx, proof.c()},
                new G2Prepared[] {G2Prepared.of(proof.b()), gamma, delta});
        f = f.mul(alphaBeta);
        return !f.isZero() && Pairing.finalExponentiation(f).isOne();
    }

    /**
     * IC_0 + Σ x_i·IC_i by Straus' method with 4-bit windows: the 252 doublings are shared by all
     * inputs, each input adds one table entry per window.
     */
    G1 publicCombination(Fr[] xs) {
        int n = xs.length;
        G1[][] tables = new G1[n][];
        long[][] limbs = new long[n][];
        for (int i = 0; i < n; i++) {
            G1 base = vk.ic(i + 1);
            G1[] t = new G1[1 << WINDOW];
            t[0] = G1.INFINITY;
            t[1] = base;
            for (int k = 2; k < t.length; k++) {
                t[k] = t[k - 1].add(base);
            }
            tables[i] = t;
            limbs[i] = xs[i].canonicalLimbs();
        }
        G1 acc = G1.INFINITY;
        for (int w = 256 / WINDOW - 1; w >= 0; w--) {
            for (int d = 0; d < WINDOW; d++) {
                acc = acc.dbl();
            }
            int bit = w * WINDOW;
            for (int i = 0; i < n; i++) {
                int digit = (int) ((limbs[i][bit >>> 6] >>> (bit & 63)) & ((1 << WINDOW) - 1));
                if (digit != 0) {
                    acc = acc.add(tables[i][digit]);
                }
            }
        }
        return acc.add(vk.ic(0));
    }

    @Override
    public String toString() {
        return "PreparedVerifyingKey[numPublic=" + vk.numPublic() + "]";
    }
}
