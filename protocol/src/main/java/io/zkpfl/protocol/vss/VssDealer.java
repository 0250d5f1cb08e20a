package io.zkpfl.protocol.vss;

import io.zkpfl.zk.bn254.Fr;
import io.zkpfl.zk.bn254.G1;
import io.zkpfl.zk.kzg.Kzg;
import io.zkpfl.zk.kzg.Srs;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A trainer's Feldman–Pedersen sharing of its vector with KZG commitments (docs/protocol.md,
 * "Encode" and "Share"): {@code u = (update, m uniform masks, zeros) ∈ F^D}, uniform
 * {@code a_1 … a_{t−1} ∈ F^D}, blinding polynomials {@code b_0 … b_{t−1}} of degree {@code m + 1};
 * node {@code k} gets {@code x_k = u + Σ_l k^l·a_l}, {@code b_k = b_0 + Σ_l k^l·b_l}, and the
 * commitments are {@code C_0 = Com(u; b_0)}, {@code C_l = Com(a_l; b_l)}.
 */
public final class VssDealer {

    private final Srs srs;
    private final VssParameters params;

    /**
     * A dealer for {@code params} over {@code srs}.
     *
     * @throws IllegalArgumentException if the SRS is too short for {@code D} or the blinding
     */
    public VssDealer(Srs srs, VssParameters params) {
        params.requireFits(srs);
        this.srs = srs;
        this.params = params;
    }

    /**
     * Shares {@code update} (the {@code d} encoded coordinates), drawing masks, coefficients and
     * blindings from {@code rng}, which must be a CSPRNG outside tests ({@link BufferedSecureRandom}
     * serves a SecureRandom in blocks).
     *
     * @throws IllegalArgumentException if {@code update} is not of length {@code d}
     */
    public Dealing deal(Fr[] update, RandomGenerator rng) {
        if (update.length != params.modelLength()) {
            throw new IllegalArgumentException(
                    "encoded update has " + update.length + " coordinates, the model has d = " + params.modelLength());
        }
        int t = params.threshold();
        int len = params.length();
        Fr[][] coeff = new Fr[t][];
        Fr[][] blind = new Fr[t][];
        coeff[0] = VectorOps.zeros(len);
        System.arraycopy(update, 0, coeff[0], 0, update.length);
        for (int j = 0; j < params.committeeSize(); j++) {
            coeff[0][update.length + j] = Fr.random(rng);
        }
        for (int l = 1; l < t; l++) {
            coeff[l] = randomVector(len, rng);
        }
        for (int l = 0; l < t; l++) {
            blind[l] = randomVector(params.blindingLength(), rng);
        }
        List<G1> commitments = new ArrayList<>(t);
        for (int l = 0; l < t; l++) {
            commitments.add(Kzg.commit(srs, coeff[l], blind[l]).normalize());
        }
        List<Share> shares = new ArrayList<>(params.committeeSize());
        for (int k = 1; k <= params.committeeSize(); k++) {
            shares.add(new Share(k, evaluateAt(coeff, k), evaluateAt(blind, k)));
        }
        return new Dealing(commitments, shares);
    }

    /** {@code Σ_l k^l·p_l} by Horner's rule. */
    static Fr[] evaluateAt(Fr[][] p, int k) {
        Fr point = Fr.of(k);
        Fr[] acc = p[p.length - 1].clone();
        for (int l = p.length - 2; l >= 0; l--) {
            VectorOps.hornerStep(acc, point, p[l]);
        }
        return acc;
    }

    private static Fr[] randomVector(int n, RandomGenerator rng) {
        Fr[] v = new Fr[n];
        for (int j = 0; j < n; j++) {
            v[j] = Fr.random(rng);
        }
        return v;
    }
}
