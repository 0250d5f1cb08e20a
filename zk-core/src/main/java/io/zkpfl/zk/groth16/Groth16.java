package io.zkpfl.zk.groth16;

import io.zkpfl.zk.bn254.Domain;
import io.zkpfl.zk.bn254.FixedBase;
import io.zkpfl.zk.bn254.Fr;
import io.zkpfl.zk.bn254.G1;
import io.zkpfl.zk.bn254.G2;
import io.zkpfl.zk.bn254.MsmG1;
import io.zkpfl.zk.bn254.MsmG2;
import io.zkpfl.zk.r1cs.R1cs;
import java.util.Arrays;
import java.util.function.ObjLongConsumer;
import java.util.random.RandomGenerator;

/**
 * Groth16 over BN254 for an {@link R1cs} in iden3 wire order.
 *
 * <p>The QAP is built over a radix-2 domain of at least numConstraints + numPublic + 1 points:
 * constraint j is domain point ω^j, and (as in snarkjs) one extra row per public wire i (wire 0
 * included) puts {@code w_i} in A, which makes the IC polynomials linearly independent. Proofs
 * satisfy the standard equation e(A, B) = e(α, β)·e(Σ x_i·IC_i, γ)·e(C, δ) that snarkjs and the
 * EVM verifier check.
 */
public final class Groth16 {

    private Groth16() {
    }

    /**
     * A single-party set-up: draws τ, α, β, γ, δ from {@code rng}, builds both keys and drops the
     * secrets. Use a cryptographically strong generator (e.g. {@code SecureRandom}); follow with
     * {@link Phase2#contribute} by other parties so that no single party knows δ.
     */
    public static KeyPair setup(R1cs r1cs, RandomGenerator rng) {
        int m = r1cs.numConstraints();
        int nPub = r1cs.numPublic();
        int nWires = r1cs.numWires();
        Domain d = Domain.atLeast(m + nPub + 1);
        int n = d.size();
        Fr[] secrets = new Fr[5];
        Fr[] u = new Fr[nWires];
        Fr[] v = new Fr[nWires];
        Fr[] w = new Fr[nWires];
        Fr[] lag = null;
        try {
            Fr tau;
            do {
                tau = nonZero(rng);
            } while (d.vanishing(tau).isZero());
            secrets[0] = tau;
            secrets[1] = nonZero(rng);
            secrets[2] = nonZero(rng);
            secrets[3] = nonZero(rng);
            secrets[4] = nonZero(rng);
            Fr alpha = secrets[1];
            Fr beta = secrets[2];
            Fr gammaInv = secrets[3].inverse();
            Fr deltaInv = secrets[4].inverse();

            lag = d.lagrangeAt(tau);
            Arrays.fill(u, Fr.ZERO);
            Arrays.fill(v, Fr.ZERO);
            Arrays.fill(w, Fr.ZERO);
            Fr[] lagF = lag;
            r1cs.forEachTerm(R1cs.Matrix.A, (j, wire, c) -> u[wire] = u[wire].add(c.mul(lagF[j])));
            r1cs.forEachTerm(R1cs.Matrix.B, (j, wire, c) -> v[wire] = v[wire].add(c.mul(lagF[j])));
            r1cs.forEachTerm(R1cs.Matrix.C, (j, wire, c) -> w[wire] = w[wire].add(c.mul(lagF[j])));
            for (int i = 0; i <= nPub; i++) {
                u[i] = u[i].add(lag[m + i]);
            }

            Fr[] icScalars = new Fr[nPub + 1];
            Fr[] lScalars = new Fr[nWires - nPub - 1];
            for (int i = 0; i < nWires; i++) {
                Fr k = beta.mul(u[i]).add(alpha.mul(v[i])).add(w[i]);
                if (i <= nPub) {
                    icScalars[i] = k.mul(gammaInv);
                } else {
                    lScalars[i - nPub - 1] = k.mul(deltaInv);
                }
            }
            Fr[] hScalars = new Fr[n - 1];
            Fr zd = d.vanishing(tau).mul(deltaInv);
            for (int j = 0; j < n - 1; j++) {
                hScalars[j] = zd;
                zd = zd.mul(tau);
            }

            FixedBase<G1> g1 = FixedBase.ofG1(G1.GENERATOR);
            FixedBase<G2> g2 = FixedBase.ofG2(G2.GENERATOR);
            G1 alpha1 = g1.mul(alpha).normalize();
            G1 beta1 = g1.mul(beta).normalize();
            G2 beta2 = g2.mul(beta).normalize();
            G2 gamma2 = g2.mul(secrets[3]).normalize();
            G1 delta1 = g1.mul(secrets[4]).normalize();
            G2 delta2 = g2.mul(secrets[4]).normalize();
            G1[] aQuery = g1.mulAll(u);
            G1[] b1Query = g1.mulAll(v);
            G2[] b2Query = g2.mulAll(v);
            G1[] ic = g1.mulAll(icScalars);
            G1[] lQuery = g1.mulAll(lScalars);
            G1[] hQuery = g1.mulAll(hScalars);
            Arrays.fill(icScalars, Fr.ZERO);
            Arrays.fill(lScalars, Fr.ZERO);
            Arrays.fill(hScalars, Fr.ZERO);

            ProvingKey pk = new ProvingKey(nWires, nPub, n, alpha1, beta1, beta2, delta1, delta2,
                    aQuery, b1Query, b2Query, lQuery, hQuery);
            VerifyingKey vk = new VerifyingKey(alpha1, beta2, gamma2, delta2, ic);
            return new KeyPair(pk, vk);
        } finally {
            Arrays.fill(secrets, Fr.ZERO);
            Arrays.fill(u, Fr.ZERO);
            Arrays.fill(v, Fr.ZERO);
            Arrays.fill(w, Fr.ZERO);
            if (lag != null) {
                Arrays.fill(lag, Fr.ZERO);
            }
        }
    }

    /**
     * Proves that {@code witness} satisfies {@code r1cs}, with fresh blinding (r, s) from {@code rng}.
     *
     * @throws IllegalArgumentException if the witness does not fit the key or does not satisfy the
     *     system (the message names the first violated constraint)
     */
    public static Proof prove(ProvingKey pk, R1cs r1cs, Fr[] witness, RandomGenerator rng) {
        return prove(pk, r1cs, witness, rng, (phase, nanos) -> { });
    }

    /**
     * {@link #prove(ProvingKey, R1cs, Fr[], RandomGenerator)} reporting the wall-clock time of each
     * proving phase (the satisfiability check with the quotient, each MSM, the final combination) to {@code phases},
     * in the order they finish (for benchmarks; no secret values are reported).
     */
    public static Proof prove(ProvingKey pk, R1cs r1cs, Fr[] witness, RandomGenerator rng,
            ObjLongConsumer<String> phases) {
        if (r1cs.numWires() != pk.numWires() || r1cs.numPublic() != pk.numPublic()) {
            throw new IllegalArgumentException("proving key was made for another constraint system ("
                    + pk.numWires() + " wires, " + pk.numPublic() + " public)");
        }
        Domain d = Domain.atLeast(r1cs.numConstraints() + r1cs.numPublic() + 1);
        if (d.size() != pk.domainSize()) {
            throw new IllegalArgumentException("proving key was made for another constraint system (domain size)");
        }
        long t = System.nanoTime();
        checkWitnessShape(r1cs, witness);
        Fr[] h = quotient(d, r1cs, witness);
        t = lap(phases, "check + quotient", t);
        Fr r = Fr.random(rng);
        Fr s = Fr.random(rng);
        int nPub = pk.numPublic();
        Fr[] priv = Arrays.copyOfRange(witness, nPub + 1, witness.length);

        G1 msmA = MsmG1.msm(pk.a(), witness);
        t = lap(phases, "msm A (G1)", t);
        G1 msmB1 = MsmG1.msm(pk.b1(), witness);
        t = lap(phases, "msm B (G1)", t);
        G2 msmB2 = MsmG2.msm(pk.b2(), witness);
        t = lap(phases, "msm B (G2)", t);
        // L and H only ever appear summed in C, so they are one MSM over the concatenated bases:
        // one bucket reduction instead of two, and a wider window for the larger point count
        G1[] lh = Arrays.copyOf(pk.l(), pk.l().length + pk.h().length);
        System.arraycopy(pk.h(), 0, lh, pk.l().length, pk.h().length);
        Fr[] lhScalars = Arrays.copyOf(priv, lh.length);
        System.arraycopy(h, 0, lhScalars, priv.length, pk.h().length);
        G1 msmLH = MsmG1.msm(lh, lhScalars);
        t = lap(phases, "msm L+H (G1)", t);
        G1 a = pk.alpha1().add(msmA).add(pk.delta1().mul(r));
        G1 b1 = pk.beta1().add(msmB1).add(pk.delta1().mul(s));
        G2 b2 = pk.beta2().add(msmB2).add(pk.delta2().mul(s));
        G1 c = msmLH
                .add(a.mul(s))
                .add(b1.mul(r))
                .sub(pk.delta1().mul(r.mul(s)));
        Proof proof = new Proof(a.normalize(), b2.normalize(), c.normalize());
        lap(phases, "combine", t);
        return proof;
    }

    private static long lap(ObjLongConsumer<String> phases, String phase, long since) {
        long now = System.nanoTime();
        phases.accept(phase, now - since);
        return now;
    }

    private static void checkWitnessShape(R1cs r1cs, Fr[] witness) {
        if (witness == null || witness.length != r1cs.numWires()) {
            throw new IllegalArgumentException("witness must have " + r1cs.numWires() + " entries, got "
                    + (witness == null ? "null" : Integer.toString(witness.length)));
        }
        for (Fr f : witness) {
            if (f == null) {
                throw new IllegalArgumentException("witness has a null entry");
            }
        }
        if (!Fr.ONE.equals(witness[0])) {
            throw new IllegalArgumentException("witness[0] must be the constant 1");
        }
    }

    /**
     * Coefficients of h(X) = (A(X)·B(X) − C(X)) / Z(X), computed on the coset g·H. The evaluations
     * A·w, B·w, C·w it starts from also give the satisfiability check (no second pass over the
     * matrices).
     *
     * @throws IllegalArgumentException naming the first constraint the witness violates
     */
    static Fr[] quotient(Domain d, R1cs r1cs, Fr[] witness) {
        int n = d.size();
        int m = r1cs.numConstraints();
        Fr[][] abc = new Fr[3][n];
        java.util.stream.IntStream.range(0, 3).parallel().forEach(k -> {
            Arrays.fill(abc[k], Fr.ZERO);
            r1cs.multiply(R1cs.Matrix.values()[k], witness, abc[k]);
        });
        Fr[] a = abc[0];
        Fr[] b = abc[1];
        Fr[] c = abc[2];
        int bad = java.util.stream.IntStream.range(0, m).parallel()
                .filter(i -> !a[i].mul(b[i]).equals(c[i])).min().orElse(-1);
        if (bad >= 0) {
            throw new IllegalArgumentException("witness does not satisfy constraint " + bad);
        }
        for (int i = 0; i <= r1cs.numPublic(); i++) {
            a[m + i] = witness[i];
        }
        Fr[] h = d.quotientByVanishing(a, b, c);
        if (!h[n - 1].isZero()) {
            throw new IllegalStateException("quotient has too high a degree: the witness does not satisfy the QAP");
        }
        return h;
    }

    /** The key prepared by the last {@link #verify(VerifyingKey, Fr[], Proof)} call (reused for the same key object). */
    private static volatile PreparedVerifyingKey lastPrepared;

    /**
     * Checks a proof against public inputs {@code w[1..numPublic]}. Prepares {@code vk} (see
     * {@link PreparedVerifyingKey}); the preparation is reused while the same key object is passed
     * again, so verifying many proofs under one key pays for it once.
     *
     * @return true iff the pairing equation holds
     * @throws IllegalArgumentException if the number of public inputs is wrong or B is not in the
     *     order-r subgroup of G2 (A and C are on E(F_p), whose group has prime order r)
     */
    public static boolean verify(VerifyingKey vk, Fr[] publicInputs, Proof proof) {
        PreparedVerifyingKey p = lastPrepared;
        if (p == null || p.verifyingKey() != vk) {
            p = PreparedVerifyingKey.of(vk);
            lastPrepared = p;
        }
        return verify(p, publicInputs, proof);
    }

    /**
     * Checks a proof against public inputs with a prepared verifying key: e(A, B) = e(α, β)·
     * e(Σ x_i·IC_i, γ)·e(C, δ), as one three-pair Miller loop times the key's precomputed e(α, β)
     * Miller value, and one final exponentiation.
     *
     * @return true iff the pairing equation holds
     * @throws IllegalArgumentException if the number of public inputs is wrong or B is not in the
     *     order-r subgroup of G2
     */
    public static boolean verify(PreparedVerifyingKey pvk, Fr[] publicInputs, Proof proof) {
        VerifyingKey vk = pvk.verifyingKey();
        if (publicInputs == null || publicInputs.length != vk.numPublic()) {
            throw new IllegalArgumentException("expected " + vk.numPublic() + " public inputs, got "
                    + (publicInputs == null ? "none" : Integer.toString(publicInputs.length)));
        }
        for (Fr x : publicInputs) {
            if (x == null) {
                throw new IllegalArgumentException("public input is null");
            }
        }
        if (!proof.b().isInSubgroup()) {
            throw new IllegalArgumentException("proof point B is not in the order-r subgroup of G2");
        }
        return pvk.pairingEquationHolds(publicInputs, proof);
    }

    private static Fr nonZero(RandomGenerator rng) {
        Fr x;
        do {
            x = Fr.random(rng);
        } while (x.isZero());
        return x;
    }
}
