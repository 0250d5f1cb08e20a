package io.zkpfl.zk.kzg;

import io.zkpfl.zk.bn254.Fr;
import io.zkpfl.zk.bn254.G1;
import io.zkpfl.zk.bn254.G2;
import io.zkpfl.zk.bn254.MsmG1;
import io.zkpfl.zk.bn254.Pairing;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Hiding KZG commitments over an {@link Srs} in the G1-only form of docs/protocol.md:
 * {@code Com(v; b) = Σ_j v_j·G_j + Σ_l b_l·H_l}, linear in {@code (v, b)}; openings are checked with
 * {@code e(C − y·G_0 − ŷ·H_0 + z·π, [1]_2) = e(π, [τ]_2)}, which needs only G1 arithmetic before the
 * pairing, as the EVM precompiles allow.
 */
public final class Kzg {

    private Kzg() {
    }

    /** {@code Com(v; b)}: one MSM of {@code v.length + b.length} terms. */
    public static G1 commit(Srs srs, Fr[] v, Fr[] b) {
        checkLengths(srs, v.length, b.length);
        G1[] bases = new G1[v.length + b.length];
        Fr[] scalars = new Fr[v.length + b.length];
        for (int j = 0; j < v.length; j++) {
            bases[j] = srs.g(j);
            scalars[j] = v[j];
        }
        for (int l = 0; l < b.length; l++) {
            bases[v.length + l] = srs.h(l);
            scalars[v.length + l] = b[l];
        }
        return MsmG1.msm(bases, scalars);
    }

    /** Opens {@code Com(v; b)} at {@code z}. */
    public static Opening open(Srs srs, Fr[] v, Fr[] b, Fr z) {
        checkLengths(srs, v.length, b.length);
        Fr[] q = new Fr[Math.max(v.length - 1, 0)];
        Fr y = divideByLinear(v, z, q);
        Fr[] qHat = new Fr[Math.max(b.length - 1, 0)];
        Fr yHat = divideByLinear(b, z, qHat);
        return new Opening(z, y, yHat, commit(srs, q, qHat));
    }

    /** Evaluates {@code p} at {@code z} (Horner). */
    public static Fr evaluate(Fr[] p, Fr z) {
        Fr acc = Fr.ZERO;
        for (int j = p.length - 1; j >= 0; j--) {
            acc = acc.mul(z).add(p[j]);
        }
        return acc;
    }

    /** Whether {@code opening} opens {@code commitment}. */
    public static boolean verify(Srs srs, G1 commitment, Opening opening) {
        G1 lhs = lhs(srs, commitment, opening);
        return Pairing.check(new G1[] {lhs, opening.proof().neg()}, new G2[] {srs.g2One(), srs.g2Tau()});
    }

    /**
     * Whether every opening opens its commitment, with one two-pairing check: both sides are combined
     * with weights {@code ρ^i}, {@code ρ} a hash of every commitment and opening (Fiat–Shamir), so an
     * invalid opening passes with probability at most {@code n/r}.
     */
    public static boolean batchVerify(Srs srs, List<G1> commitments, List<Opening> openings) {
        int n = commitments.size();
        if (n != openings.size()) {
            throw new IllegalArgumentException("batch verification needs one opening per commitment");
        }
        if (n == 0) {
            return true;
        }
        Fr rho = batchChallenge(commitments, openings);
        // left = Σ w_i·C_i + Σ (w_i·z_i)·π_i − (Σ w_i·y_i)·G_0 − (Σ w_i·ŷ_i)·H_0 as one MSM, right = Σ w_i·π_i
        G1[] leftBases = new G1[2 * n + 2];
        Fr[] leftScalars = new Fr[2 * n + 2];
        G1[] proofs = new G1[n];
        Fr[] weights = new Fr[n];
        Fr w = Fr.ONE;
        Fr sumY = Fr.ZERO;
        Fr sumYHat = Fr.ZERO;
        for (int i = 0; i < n; i++) {
            Opening o = openings.get(i);
            leftBases[2 * i] = commitments.get(i);
            leftScalars[2 * i] = w;
            leftBases[2 * i + 1] = o.proof();
            leftScalars[2 * i + 1] = w.mul(o.z());
            sumY = sumY.add(w.mul(o.y()));
            sumYHat = sumYHat.add(w.mul(o.yHat()));
            proofs[i] = o.proof();
            weights[i] = w;
            w = w.mul(rho);
        }
        leftBases[2 * n] = srs.g(0);
        leftScalars[2 * n] = sumY.neg();
        leftBases[2 * n + 1] = srs.h(0);
        leftScalars[2 * n + 1] = sumYHat.neg();
        G1 left = MsmG1.msm(leftBases, leftScalars);
        G1 right = MsmG1.msm(proofs, weights);
        return Pairing.check(new G1[] {left, right.neg()}, new G2[] {srs.g2One(), srs.g2Tau()});
    }

    /** Domain string that starts the batch challenge's hash input. */
    static final byte[] BATCH_DOMAIN = "zkPFL-KZG-batch-v1".getBytes(StandardCharsets.US_ASCII);

    /**
     * The batch weight {@code ρ}: keccak-256 over the domain string {@code "zkPFL-KZG-batch-v1"},
     * then every commitment (64-byte EVM layout), then every opening as {@code z ‖ y ‖ ŷ} (32
     * big-endian bytes each) and the proof (64-byte EVM layout), reduced mod r; 1 if that is 0.
     * This is {@code uint256(keccak256(abi.encodePacked("zkPFL-KZG-batch-v1", commitments,
     * openings))) % R} over the calldata words of {@link KzgSolidityVerifier}, so the contract
     * weighs exactly as {@link #batchVerify} does.
     *
     * @throws IllegalArgumentException if the lists differ in length
     */
    public static Fr batchChallenge(List<G1> commitments, List<Opening> openings) {
        if (commitments.size() != openings.size()) {
            throw new IllegalArgumentException("batch verification needs one opening per commitment");
        }
        Keccak k = new Keccak().update(BATCH_DOMAIN);
        for (G1 c : commitments) {
            k.update(c.toEvmBytes());
        }
        for (Opening o : openings) {
            k.update(o.z().toBytesBE()).update(o.y().toBytesBE()).update(o.yHat().toBytesBE())
                    .update(o.proof().toEvmBytes());
        }
        Fr rho = k.digestModR();
        return rho.isZero() ? Fr.ONE : rho;
    }

    /** {@code C − y·G_0 − ŷ·H_0 + z·π}. */
    private static G1 lhs(Srs srs, G1 c, Opening o) {
        G1 m = MsmG1.msm(new G1[] {srs.g(0), srs.h(0), o.proof()}, new Fr[] {o.y().neg(), o.yHat().neg(), o.z()});
        return c.add(m);
    }

    /**
     * Synthetic division of {@code p} by {@code (X − z)}: writes the quotient's coefficients into
     * {@code quotient} (length {@code p.length − 1}) and returns the remainder {@code p(z)}.
     */
    static Fr divideByLinear(Fr[] p, Fr z, Fr[] quotient) {
        if (p.length == 0) {
            return Fr.ZERO;
        }
        Fr acc = p[p.length - 1];
        for (int j = p.length - 2; j >= 0; j--) {
            quotient[j] = acc;
            acc = acc.mul(z).add(p[j]);
        }
        return acc;
    }

    private static void checkLengths(Srs srs, int n, int nb) {
        if (n > srs.maxLength()) {
            throw new IllegalArgumentException("vector of length " + n + " exceeds the SRS's " + srs.maxLength() + " powers");
        }
        if (nb > srs.maxBlindingLength()) {
            throw new IllegalArgumentException(
                    "blinding of length " + nb + " exceeds the SRS's " + srs.maxBlindingLength() + " alpha powers");
        }
    }
}
