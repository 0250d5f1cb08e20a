package io.zkpfl.zk.mpcsetup;

import io.zkpfl.zk.bn254.EndomorphismScaling;
import io.zkpfl.zk.bn254.Fr;
import io.zkpfl.zk.bn254.G1;
import io.zkpfl.zk.bn254.G2;
import io.zkpfl.zk.bn254.MsmG1;
import io.zkpfl.zk.bn254.Pairing;
import io.zkpfl.zk.groth16.KeyPair;
import io.zkpfl.zk.groth16.ProvingKey;
import io.zkpfl.zk.groth16.VerifyingKey;
import io.zkpfl.zk.marshal.BinaryFormat;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The circuit-specific (phase-2) multi-party ceremony of a Groth16 set-up, in the style of
 * Bowe–Gabizon–Miers (ePrint 2017/1050) and snarkjs' zkey contributions. Each contributor draws a
 * secret s, replaces δ by s·δ and divides the L and H queries by s, and publishes a proof of
 * knowledge of s: s·P1 for a G1 point P1 hashed from the transcript so far, and s·P2 for a G2 point
 * P2 hashed from the transcript and the contributor's own s·P1 and new δ. The keys are sound for δ
 * as long as one contributor erased its s; {@link #verify} checks every step with pairings.
 * See ADR 0025 and docs/zk-core.md ("Running a phase-2 ceremony").
 */
public final class Phase2 {

    private static final byte[] INITIAL_TAG = "zkPFL phase2 initial v1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONTRIBUTION_TAG = "zkPFL phase2 contribution v1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] POK_TAG = "zkPFL phase2 pok v1".getBytes(StandardCharsets.US_ASCII);

    private Phase2() {
    }

    /**
     * Adds one contribution to {@code transcript}, which must have started from {@code initial}.
     * Draws the secret s from {@code rng} (use {@code SecureRandom}) and drops it before returning.
     * A contributor should {@link #verify} the transcript it received first, and publish the new
     * contribution's {@link Phase2Contribution#hashHex() hash} so anyone can check it is in the
     * final transcript.
     *
     * @throws Phase2Exception if the transcript belongs to other keys
     */
    public static Phase2Transcript contribute(KeyPair initial, Phase2Transcript transcript, RandomGenerator rng) {
        checkStartsFrom(initial, transcript);
        ProvingKey pk = initial.provingKey();
        G1 delta1;
        G2 delta2;
        G1[] l;
        G1[] h;
        if (transcript.size() == 0) {
            delta1 = pk.delta1();
            delta2 = pk.delta2();
            l = pk.l();
            h = pk.h();
        } else {
            Phase2Contribution last = transcript.contributions().getLast();
            delta1 = last.delta1();
            delta2 = last.delta2();
            l = last.l();
            h = last.h();
        }
        byte[] prev = transcript.lastHash();
        Fr[] secret = new Fr[2];
        try {
            do {
                secret[0] = Fr.random(rng);
            } while (secret[0].isZero());
            secret[1] = secret[0].inverse();
            G1 newDelta1 = delta1.mul(secret[0]).normalize();
            G2 newDelta2 = delta2.mul(secret[0]).normalize();
            G1 s1 = ChallengePoints.g1(prev).mul(secret[0]).normalize();
            G2 s2 = ChallengePoints.g2(pokSeed(prev, s1, newDelta1, newDelta2)).mul(secret[0]).normalize();
            G1[] newL = EndomorphismScaling.scaleAll(l, secret[1]);
            G1[] newH = EndomorphismScaling.scaleAll(h, secret[1]);
            byte[] hash = contributionHash(prev, newDelta1, newDelta2, s1, s2, newL, newH);
            return transcript.with(new Phase2Contribution(newDelta1, newDelta2, s1, s2, newL, newH, hash));
        } finally {
            Arrays.fill(secret, Fr.ZERO);
        }
    }

    /**
     * Verifies every contribution of {@code transcript} against {@code initial} and returns the final
     * keys (the initial keys when the transcript is empty). For each contribution it checks the hash
     * chain, the proof of knowledge e(s·P1, P2) = e(P1, s·P2), that δ moved by the same s
     * (e(δ₁', P2) = e(δ₁, s·P2)), that δ₁' and δ₂' match (e(δ₁', g₂) = e(g₁, δ₂')), and that L and
     * H were divided by that s: with random 128-bit ρ drawn here, A = Σ ρ_k·(L ‖ H)_k satisfies
     * e(A', δ₂') = e(A, δ₂) — one pairing pair per contribution and one MSM per transcript step.
     *
     * @throws Phase2Exception naming the first contribution that fails, or the transcript's
     *     mismatch with {@code initial}
     */
    public static KeyPair verify(KeyPair initial, Phase2Transcript transcript) {
        return verify(initial, transcript, new SecureRandom());
    }

    static KeyPair verify(KeyPair initial, Phase2Transcript transcript, RandomGenerator rng) {
        checkStartsFrom(initial, transcript);
        ProvingKey pk = initial.provingKey();
        List<Phase2Contribution> cs = transcript.contributions();
        if (cs.isEmpty()) {
            return initial;
        }
        int n = pk.l().length + pk.h().length;
        Fr[] rho = new Fr[n];
        for (int k = 0; k < n; k++) {
            // 128-bit coefficients: a wrong point survives with probability ≤ 2^-128, and the MSMs
            // skip the upper half of the windows
            rho[k] = Fr.fromCanonicalLimbs(rng.nextLong(), rng.nextLong(), 0, 0);
        }
        G1 prevDelta1 = pk.delta1();
        G2 prevDelta2 = pk.delta2();
        G1 prevComb = combine(pk.l(), pk.h(), rho);
        byte[] prev = transcript.initialDigest();
        for (int i = 0; i < cs.size(); i++) {
            Phase2Contribution c = cs.get(i);
            int idx = i + 1;
            byte[] hash = contributionHash(prev, c.delta1(), c.delta2(), c.pokS1(), c.pokS2(), c.l(), c.h());
            if (!MessageDigest.isEqual(hash, c.hash())) {
                throw new Phase2Exception(idx, "hash does not match its content and predecessor (hash chain broken)");
            }
            if (c.delta1().isInfinity() || c.delta2().isInfinity() || c.pokS1().isInfinity() || c.pokS2().isInfinity()) {
                throw new Phase2Exception(idx, "δ or proof-of-knowledge point is the point at infinity");
            }
            if (!c.delta2().isInSubgroup() || !c.pokS2().isInSubgroup()) {
                throw new Phase2Exception(idx, "δ₂ or s·P2 is not in the order-r subgroup of G2");
            }
            G1 p1 = ChallengePoints.g1(prev);
            G2 p2 = ChallengePoints.g2(pokSeed(prev, c.pokS1(), c.delta1(), c.delta2()));
            if (!Pairing.check(new G1[] {c.pokS1(), p1.neg()}, new G2[] {p2, c.pokS2()})) {
                throw new Phase2Exception(idx, "proof of knowledge of the secret does not verify"
                        + " (copied from another transcript position, or forged)");
            }
            if (!Pairing.check(new G1[] {c.delta1(), prevDelta1.neg()}, new G2[] {p2, c.pokS2()})) {
                throw new Phase2Exception(idx, "δ₁ was not multiplied by the proven secret");
            }
            if (!Pairing.check(new G1[] {c.delta1(), G1.GENERATOR.neg()}, new G2[] {G2.GENERATOR, c.delta2()})) {
                throw new Phase2Exception(idx, "δ₂ does not match δ₁");
            }
            G1 comb = combine(c.l(), c.h(), rho);
            if (!Pairing.check(new G1[] {comb, prevComb.neg()}, new G2[] {c.delta2(), prevDelta2})) {
                throw new Phase2Exception(idx, "L or H query was not divided by the secret that moved δ");
            }
            prevDelta1 = c.delta1();
            prevDelta2 = c.delta2();
            prevComb = comb;
            prev = c.hash();
        }
        Phase2Contribution last = cs.getLast();
        ProvingKey npk = new ProvingKey(pk.numWires(), pk.numPublic(), pk.domainSize(), pk.alpha1(), pk.beta1(),
                pk.beta2(), last.delta1(), last.delta2(), pk.a(), pk.b1(), pk.b2(), last.l(), last.h());
        VerifyingKey vk = initial.verifyingKey();
        return new KeyPair(npk, new VerifyingKey(vk.alpha1(), vk.beta2(), vk.gamma2(), last.delta2(), vk.ic()));
    }

    /** SHA-256 of both initial keys' binary encodings: the root of the hash chain. */
    static byte[] initialDigest(KeyPair initial) {
        MessageDigest md = ChallengePoints.sha256();
        md.update(INITIAL_TAG);
        md.update(BinaryFormat.encode(initial.verifyingKey()));
        md.update(BinaryFormat.encode(initial.provingKey()));
        return md.digest();
    }

    private static void checkStartsFrom(KeyPair initial, Phase2Transcript t) {
        ProvingKey pk = initial.provingKey();
        VerifyingKey vk = initial.verifyingKey();
        if (!pk.delta2().equals(vk.delta2()) || !pk.beta2().equals(vk.beta2()) || !pk.alpha1().equals(vk.alpha1())) {
            throw new Phase2Exception(0, "initial proving and verifying key do not belong together");
        }
        if (t.numL() != pk.l().length || t.numH() != pk.h().length) {
            throw new Phase2Exception(0, "transcript query sizes (L " + t.numL() + ", H " + t.numH()
                    + ") differ from the initial key's (" + pk.l().length + ", " + pk.h().length + ")");
        }
        if (!MessageDigest.isEqual(t.initialDigest(), initialDigest(initial))) {
            throw new Phase2Exception(0, "transcript was started from other initial keys");
        }
    }

    static byte[] pokSeed(byte[] prev, G1 s1, G1 delta1, G2 delta2) {
        MessageDigest md = ChallengePoints.sha256();
        md.update(POK_TAG);
        md.update(prev);
        md.update(s1.toEvmBytes());
        md.update(delta1.toEvmBytes());
        md.update(delta2.toEvmBytes());
        return md.digest();
    }

    static byte[] contributionHash(byte[] prev, G1 delta1, G2 delta2, G1 s1, G2 s2, G1[] l, G1[] h) {
        MessageDigest md = ChallengePoints.sha256();
        md.update(CONTRIBUTION_TAG);
        md.update(prev);
        md.update(delta1.toEvmBytes());
        md.update(delta2.toEvmBytes());
        md.update(s1.toEvmBytes());
        md.update(s2.toEvmBytes());
        for (G1 p : l) {
            md.update(p.toEvmBytes());
        }
        for (G1 p : h) {
            md.update(p.toEvmBytes());
        }
        return md.digest();
    }

    private static G1 combine(G1[] l, G1[] h, Fr[] rho) {
        G1[] all = new G1[l.length + h.length];
        System.arraycopy(l, 0, all, 0, l.length);
        System.arraycopy(h, 0, all, l.length, h.length);
        return MsmG1.msm(all, rho);
    }
}
