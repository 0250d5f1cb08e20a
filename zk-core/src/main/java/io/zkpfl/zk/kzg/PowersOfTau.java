package io.zkpfl.zk.kzg;

import io.zkpfl.zk.bn254.Fr;
import io.zkpfl.zk.bn254.G1;
import io.zkpfl.zk.bn254.G2;
import io.zkpfl.zk.bn254.MsmG1;
import io.zkpfl.zk.bn254.MsmG2;
import io.zkpfl.zk.bn254.Pairing;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;

/**
 * A phase-1 (powers-of-tau) ceremony over BN254 that produces and verifies snarkjs-compatible
 * {@code .ptau} files: {@code snarkjs powersoftau verify} accepts what {@link #contribute} writes,
 * and {@link #verify} accepts what {@code snarkjs powersoftau contribute}/{@code beacon} write, so
 * contributors can use either tool on the same file.
 *
 * <p><b>Contribution</b> (snarkjs' scheme, after Bowe–Gabizon–Green, "A multi-party protocol for
 * constructing the public parameters of the Pinocchio zk-SNARK"): draw τ, α, β ≠ 0; multiply
 * tauG1[i] and tauG2[i] by τ^i, alphaTauG1[i] by α·τ^i, betaTauG1[i] by β·τ^i, betaG2 by β; and for
 * each secret x with personalisation byte 0, 1, 2 publish a key: a random {@code g1s}, {@code
 * g1sx = x·g1s}, and {@code g2spx = x·sp} where {@code sp = hashToG2(Blake2b-512(pers ‖ previous
 * challenge ‖ g1s ‖ g1sx))} (uncompressed points; hashToG2 = {@link ChaChaRng#nextG2()} keyed with
 * the first 32 bytes of the hash). The pair {@code (g1s, g1sx)}, {@code (sp, g2spx)} proves
 * knowledge of x, and binds it to the challenge, i.e. to everything before. The <em>response
 * hash</em> is Blake2b-512(previous challenge ‖ every new point compressed ‖ the key uncompressed);
 * the stored {@code partialHash} is that hasher's state before the key. The <em>next challenge</em>
 * is Blake2b-512(response hash ‖ every new point uncompressed). The first challenge is
 * Blake2b-512(Blake2b-512("") ‖ the all-generator accumulator of the ceremony power, uncompressed).
 *
 * <p><b>Verification</b> ({@link #verify}) checks, for every contribution against its predecessor
 * (the initial accumulator for the first): the three keys' proofs of knowledge
 * {@code e(g1s, g2spx) = e(g1sx, sp)} with sp recomputed from the predecessor's challenge, and that
 * the contribution's first points moved by those secrets ({@code e(prev.tauG1, g2spx) =
 * e(cur.tauG1, sp)}, {@code e(g1s, cur.tauG2) = e(g1sx, prev.tauG2)}, likewise α·G1, β·G1 and
 * β·G2); for a beacon, that its key is the one its beacon parameters derive. For the last
 * contribution it also checks that its first points are the accumulator's, its partial hash is the
 * hash of the previous challenge and the accumulator, and (unless the file was truncated to a
 * smaller power) that its next challenge is the hash of the accumulator — and the accumulator
 * itself is checked as {@link Ptau#read} does (powers consistent, by pairings). Intermediate
 * accumulators are not part of a {@code .ptau}, so the stored challenges of earlier contributions
 * are trusted as links of the chain; {@link #verifyStep} checks one step fully when both files
 * are at hand.
 */
public final class PowersOfTau {

    private PowersOfTau() {
    }

    /** The outcome of a successful {@link #verify}. */
    public record Verification(int contributions, List<byte[]> responseHashes, byte[] nextChallenge,
            boolean nextChallengeChecked) {

        public Verification {
            responseHashes = responseHashes.stream().map(byte[]::clone).toList();
            nextChallenge = nextChallenge.clone();
        }

        /** Response hash of contribution {@code i} (1-based), which its contributor compares with the one they got. */
        public byte[] responseHash(int i) {
            return responseHashes.get(i - 1).clone();
        }

        @Override
        public byte[] nextChallenge() {
            return nextChallenge.clone();
        }
    }

    // ------------------------------------------------------------------ start and contribute

    /** The accumulator before any contribution: every point a generator (snarkjs' {@code powersoftau new}). */
    public static Ptau start(int power) {
        if (power < 1 || power > Ptau.MAX_POWER) {
            throw new IllegalArgumentException("power must be in 1.." + Ptau.MAX_POWER);
        }
        int n = 1 << power;
        G1[] tauG1 = new G1[Ptau.tauG1Length(power)];
        G2[] tauG2 = new G2[n];
        G1[] alpha = new G1[n];
        G1[] beta = new G1[n];
        Arrays.fill(tauG1, G1.GENERATOR);
        Arrays.fill(tauG2, G2.GENERATOR);
        Arrays.fill(alpha, G1.GENERATOR);
        Arrays.fill(beta, G1.GENERATOR);
        return new Ptau(power, power, tauG1, tauG2, alpha, beta, G2.GENERATOR, List.of(), true);
    }

    /**
     * Adds one contribution with secrets drawn from {@code rng} (pass a {@link SecureRandom} in a
     * real ceremony; the secrets are not kept, but {@code Fr} is immutable and copies may linger
     * until garbage collection, as ADR 0025 says for phase 2).
     *
     * @param name recorded in the file (at most 64 UTF-8 bytes are kept, as snarkjs does), or null
     * @throws IllegalArgumentException if {@code previous} is a prefix read or a truncated file
     */
    public static Ptau contribute(Ptau previous, String name, RandomGenerator rng) {
        Fr tau = nonZero(rng);
        Fr alpha = nonZero(rng);
        Fr beta = nonZero(rng);
        byte[] challenge = lastChallenge(previous);
        Keys keys = new Keys(tau, alpha, beta, key(tau, 0, challenge, G1.GENERATOR.mul(nonZero(rng))),
                key(alpha, 1, challenge, G1.GENERATOR.mul(nonZero(rng))),
                key(beta, 2, challenge, G1.GENERATOR.mul(nonZero(rng))));
        return apply(previous, keys, challenge, truncateName(name), PtauContribution.TYPE_CONTRIBUTION, 0, null);
    }

    /**
     * Adds a random-beacon contribution (snarkjs' {@code powersoftau beacon}): the secrets and keys
     * are derived from {@code beaconHash} (a public value nobody controls, e.g. a future block hash)
     * by 2^numIterationsExp SHA-256 iterations, so anyone can re-derive and check them.
     *
     * @param numIterationsExp 10..40 (snarkjs allows up to 63; beyond 2^40 hashes neither side can
     *     derive the key in reasonable time)
     */
    public static Ptau beacon(Ptau previous, String name, byte[] beaconHash, int numIterationsExp) {
        if (beaconHash.length == 0 || beaconHash.length > 255) {
            throw new IllegalArgumentException("beacon hash must be 1..255 bytes");
        }
        if (numIterationsExp < 10 || numIterationsExp > 40) {
            throw new IllegalArgumentException("numIterationsExp must be in 10..40");
        }
        byte[] challenge = lastChallenge(previous);
        Keys keys = beaconKeys(challenge, beaconHash, numIterationsExp);
        return apply(previous, keys, challenge, truncateName(name), PtauContribution.TYPE_BEACON, numIterationsExp,
                beaconHash);
    }

    /**
     * The secrets applied to the accumulator and the published keys; an honest contribution's keys
     * are for the same secrets (tests build dishonest ones).
     */
    record Keys(Fr tau, Fr alpha, Fr beta, PtauContribution.Key tauKey, PtauContribution.Key alphaKey,
            PtauContribution.Key betaKey) {
    }

    static PtauContribution.Key key(Fr x, int personalization, byte[] challenge, G1 g1s) {
        G1 s = g1s.normalize();
        G1 sx = s.mul(x).normalize();
        G2 sp = g2sp(personalization, challenge, s, sx);
        return new PtauContribution.Key(s, sx, sp.mul(x).normalize());
    }

    /** snarkjs' keyFromBeacon: secrets and the random g1s from a ChaCha keyed by the iterated beacon hash. */
    private static Keys beaconKeys(byte[] challenge, byte[] beaconHash, int numIterationsExp) {
        byte[] h = beaconHash.clone();
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (long i = 0; i < 1L << numIterationsExp; i++) { // exponent ≤ 40, checked by the callers
                h = sha.digest(h);
            }
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        ChaChaRng rng = ChaChaRng.fromHash(h);
        Fr tau = rng.nextFr();
        Fr alpha = rng.nextFr();
        Fr beta = rng.nextFr();
        PtauContribution.Key tk = key(tau, 0, challenge, rng.nextG1());
        PtauContribution.Key ak = key(alpha, 1, challenge, rng.nextG1());
        PtauContribution.Key bk = key(beta, 2, challenge, rng.nextG1());
        return new Keys(tau, alpha, beta, tk, ak, bk);
    }

    /** Applies {@code k}'s secrets to {@code previous}'s points and appends a contribution with its keys. */
    static Ptau apply(Ptau previous, Keys k, byte[] challenge, String name, int type, int iterExp,
            byte[] beaconHash) {
        if (!previous.complete || previous.power != previous.ceremonyPower) {
            throw new IllegalArgumentException("cannot contribute to a prefix read or a truncated file");
        }
        int n = 1 << previous.power;
        G1[] tauG1 = scale(previous.tauG1, Fr.ONE, k.tau());
        G2[] tauG2 = scale(previous.tauG2, Fr.ONE, k.tau());
        G1[] alphaTauG1 = scale(previous.alphaTauG1, k.alpha(), k.tau());
        G1[] betaTauG1 = scale(previous.betaTauG1, k.beta(), k.tau());
        G2 betaG2 = previous.betaG2.mul(k.beta()).normalize();
        Blake2b response = new Blake2b().update(challenge);
        absorbCompressed(response, tauG1, tauG2, alphaTauG1, betaTauG1, betaG2);
        byte[] partial = response.exportState();
        response.update(keyBytes(k.tauKey(), k.alphaKey(), k.betaKey()));
        byte[] next = nextChallenge(response.digest(), tauG1, tauG2, alphaTauG1, betaTauG1, betaG2);
        PtauContribution c = new PtauContribution(tauG1[1], tauG2[1], alphaTauG1[0], betaTauG1[0], betaG2, k.tauKey(),
                k.alphaKey(), k.betaKey(), partial, next, type, name, iterExp, beaconHash);
        List<PtauContribution> all = new ArrayList<>(previous.contributions);
        all.add(c);
        assert tauG2.length == n;
        return new Ptau(previous.power, previous.ceremonyPower, tauG1, tauG2, alphaTauG1, betaTauG1, betaG2, all, true);
    }

    /** pts[i]·first·inc^i, normalised. */
    private static G1[] scale(G1[] pts, Fr first, Fr inc) {
        Fr[] k = powers(pts.length, first, inc);
        G1[] out = new G1[pts.length];
        IntStream.range(0, pts.length).parallel().forEach(i -> out[i] = pts[i].mul(k[i]));
        return MsmG1.normalizeAll(out);
    }

    private static G2[] scale(G2[] pts, Fr first, Fr inc) {
        Fr[] k = powers(pts.length, first, inc);
        G2[] out = new G2[pts.length];
        IntStream.range(0, pts.length).parallel().forEach(i -> out[i] = pts[i].mul(k[i]));
        return MsmG2.normalizeAll(out);
    }

    private static Fr[] powers(int n, Fr first, Fr inc) {
        Fr[] k = new Fr[n];
        Fr t = first;
        for (int i = 0; i < n; i++) {
            k[i] = t;
            t = t.mul(inc);
        }
        return k;
    }

    private static Fr nonZero(RandomGenerator rng) {
        Fr x;
        do {
            x = Fr.random(rng);
        } while (x.isZero());
        return x;
    }

    private static String truncateName(String name) {
        if (name == null) {
            return null;
        }
        // snarkjs keeps name.substring(0, 64) (UTF-16 units); bytes must also fit the length byte
        String s = name.length() > 64 ? name.substring(0, 64) : name;
        while (s.getBytes(StandardCharsets.UTF_8).length > 255) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }

    // ------------------------------------------------------------------ hashes

    /**
     * The challenge the first contribution builds on: Blake2b-512 of the empty Blake2b-512 digest
     * and the all-generator accumulator of {@code ceremonyPower}, uncompressed.
     */
    public static byte[] firstChallenge(int ceremonyPower) {
        Blake2b h = new Blake2b().update(Blake2b.hash());
        byte[] g1 = PtauCodec.g1Uncompressed(G1.GENERATOR);
        byte[] g2 = PtauCodec.g2Uncompressed(G2.GENERATOR);
        repeat(h, g1, Ptau.tauG1Length(ceremonyPower));
        repeat(h, g2, 1L << ceremonyPower);
        repeat(h, g1, 1L << ceremonyPower);
        repeat(h, g1, 1L << ceremonyPower);
        h.update(g2);
        return h.digest();
    }

    private static void repeat(Blake2b h, byte[] unit, long times) {
        int per = 1024;
        byte[] block = new byte[unit.length * per];
        for (int i = 0; i < per; i++) {
            System.arraycopy(unit, 0, block, i * unit.length, unit.length);
        }
        long full = times / per;
        for (long i = 0; i < full; i++) {
            h.update(block);
        }
        h.update(block, 0, (int) (times % per) * unit.length);
    }

    /** The challenge a contribution to {@code ptau} builds on. */
    public static byte[] lastChallenge(Ptau ptau) {
        return ptau.contributions.isEmpty() ? firstChallenge(ptau.ceremonyPower)
                : ptau.contributions.getLast().nextChallenge();
    }

    /** A contribution's response hash: its partial hash resumed with its key, uncompressed. */
    public static byte[] responseHash(PtauContribution c) {
        return Blake2b.importState(c.partialHash()).update(keyBytes(c.tau(), c.alpha(), c.beta())).digest();
    }

    /** snarkjs' key layout: tau.g1s, tau.g1sx, alpha.g1s, alpha.g1sx, beta.g1s, beta.g1sx, then the three g2spx. */
    private static byte[] keyBytes(PtauContribution.Key tau, PtauContribution.Key alpha, PtauContribution.Key beta) {
        byte[] out = new byte[6 * 64 + 3 * 128];
        int o = 0;
        for (PtauContribution.Key k : List.of(tau, alpha, beta)) {
            System.arraycopy(PtauCodec.g1Uncompressed(k.g1s()), 0, out, o, 64);
            System.arraycopy(PtauCodec.g1Uncompressed(k.g1sx()), 0, out, o + 64, 64);
            o += 128;
        }
        for (PtauContribution.Key k : List.of(tau, alpha, beta)) {
            System.arraycopy(PtauCodec.g2Uncompressed(k.g2spx()), 0, out, o, 128);
            o += 128;
        }
        return out;
    }

    private static void absorbCompressed(Blake2b h, G1[] tauG1, G2[] tauG2, G1[] alphaTauG1, G1[] betaTauG1, G2 betaG2) {
        absorbG1(h, tauG1, true);
        absorbG2(h, tauG2, true);
        absorbG1(h, alphaTauG1, true);
        absorbG1(h, betaTauG1, true);
        absorbG2(h, new G2[] {betaG2}, true);
    }

    private static byte[] nextChallenge(byte[] responseHash, G1[] tauG1, G2[] tauG2, G1[] alphaTauG1, G1[] betaTauG1,
            G2 betaG2) {
        Blake2b h = new Blake2b().update(responseHash);
        absorbG1(h, tauG1, false);
        absorbG2(h, tauG2, false);
        absorbG1(h, alphaTauG1, false);
        absorbG1(h, betaTauG1, false);
        absorbG2(h, new G2[] {betaG2}, false);
        return h.digest();
    }

    private static void absorbG1(Blake2b h, G1[] pts, boolean compressed) {
        int chunk = 4096;
        for (int start = 0; start < pts.length; start += chunk) {
            int s = start;
            int n = Math.min(chunk, pts.length - start);
            byte[][] enc = new byte[n][];
            IntStream.range(0, n).parallel().forEach(i -> enc[i] = compressed ? PtauCodec.g1Compressed(pts[s + i])
                    : PtauCodec.g1Uncompressed(pts[s + i]));
            for (byte[] e : enc) {
                h.update(e);
            }
        }
    }

    private static void absorbG2(Blake2b h, G2[] pts, boolean compressed) {
        int chunk = 4096;
        for (int start = 0; start < pts.length; start += chunk) {
            int s = start;
            int n = Math.min(chunk, pts.length - start);
            byte[][] enc = new byte[n][];
            IntStream.range(0, n).parallel().forEach(i -> enc[i] = compressed ? PtauCodec.g2Compressed(pts[s + i])
                    : PtauCodec.g2Uncompressed(pts[s + i]));
            for (byte[] e : enc) {
                h.update(e);
            }
        }
    }

    /** snarkjs' getG2sp: hashToG2(Blake2b-512(personalisation ‖ challenge ‖ g1s ‖ g1sx)). */
    static G2 g2sp(int personalization, byte[] challenge, G1 g1s, G1 g1sx) {
        byte[] h = new Blake2b().update(new byte[] {(byte) personalization}).update(challenge)
                .update(PtauCodec.g1Uncompressed(g1s)).update(PtauCodec.g1Uncompressed(g1sx)).digest();
        return ChaChaRng.fromHash(h).nextG2();
    }

    // ------------------------------------------------------------------ verification

    /** The starting point of a chain: the all-generator accumulator's first points and the first challenge. */
    private record Link(G1 tauG1, G2 tauG2, G1 alphaG1, G1 betaG1, G2 betaG2, byte[] nextChallenge) {

        static Link of(PtauContribution c) {
            return new Link(c.tauG1(), c.tauG2(), c.alphaG1(), c.betaG1(), c.betaG2(), c.nextChallenge());
        }
    }

    /**
     * Verifies a whole ceremony: every contribution against its predecessor, the last one against
     * the accumulator, and the accumulator's powers (see the class comment).
     *
     * @throws PtauException naming the contribution (1-based) or section that fails
     */
    public static Verification verify(Ptau ptau) {
        if (!ptau.complete) {
            throw new PtauException("transcript", "a prefix read cannot be verified as a ceremony");
        }
        List<PtauContribution> cs = ptau.contributions;
        if (cs.isEmpty()) {
            throw new PtauException("transcript", "no contributions: the accumulator's secrets are all 1");
        }
        if (!ptau.powersChecked) {
            ptau.checkPowers(new SecureRandom());
            ptau.powersChecked = true;
        }
        Link prev = new Link(G1.GENERATOR, G2.GENERATOR, G1.GENERATOR, G1.GENERATOR, G2.GENERATOR,
                firstChallenge(ptau.ceremonyPower));
        List<byte[]> responses = new ArrayList<>();
        for (int i = 1; i <= cs.size(); i++) {
            PtauContribution c = cs.get(i - 1);
            verifyContribution(i, prev, c);
            responses.add(responseHash(c));
            prev = Link.of(c);
        }
        int n = cs.size();
        PtauContribution last = cs.getLast();
        if (!last.tauG1().equals(ptau.tauG1[1]) || !last.tauG2().equals(ptau.tauG2[1])
                || !last.alphaG1().equals(ptau.alphaTauG1[0]) || !last.betaG1().equals(ptau.betaTauG1[0])
                || !last.betaG2().equals(ptau.betaG2)) {
            throw new PtauException("contributions", n, "its points are not the accumulator's (tauG1[1], tauG2[1], "
                    + "alphaTauG1[0], betaTauG1[0], betaG2)");
        }
        boolean full = ptau.power == ptau.ceremonyPower;
        if (full) {
            byte[] before = n > 1 ? cs.get(n - 2).nextChallenge() : firstChallenge(ptau.ceremonyPower);
            Blake2b partial = new Blake2b().update(before);
            absorbCompressed(partial, ptau.tauG1, ptau.tauG2, ptau.alphaTauG1, ptau.betaTauG1, ptau.betaG2);
            if (!Blake2b.sameState(partial.exportState(), last.partialHash())) {
                throw new PtauException("contributions", n, "partial hash is not the hash of the previous challenge "
                        + "and the accumulator");
            }
            byte[] next = nextChallenge(responses.getLast(), ptau.tauG1, ptau.tauG2, ptau.alphaTauG1, ptau.betaTauG1,
                    ptau.betaG2);
            if (!Arrays.equals(next, last.nextChallenge())) {
                throw new PtauException("contributions", n, "next challenge is not the hash of its response and the "
                        + "accumulator");
            }
        }
        return new Verification(n, responses, last.nextChallenge(), full);
    }

    /**
     * Verifies that {@code next} is {@code previous} plus exactly one valid contribution, with the
     * intermediate challenge recomputed from {@code previous}'s points (which {@link #verify} of
     * {@code next} alone must trust), and then verifies {@code next} whole.
     *
     * @throws PtauException if not
     */
    public static Verification verifyStep(Ptau previous, Ptau next) {
        if (!previous.complete || previous.power != next.power || previous.ceremonyPower != next.ceremonyPower
                || previous.power != previous.ceremonyPower) {
            throw new PtauException("transcript", "the two files are not successive full accumulators of one ceremony");
        }
        int n = previous.contributions.size();
        if (next.contributions.size() != n + 1 || !next.contributions.subList(0, n).equals(previous.contributions)) {
            throw new PtauException("transcript", "the new file does not extend the old one by exactly one contribution");
        }
        if (n > 0) {
            verify(previous);
        }
        return verify(next);
    }

    private static void verifyContribution(int i, Link prev, PtauContribution c) {
        if (c.type() == PtauContribution.TYPE_BEACON) {
            if (c.numIterationsExp() < 10 || c.numIterationsExp() > 63 || c.beaconHash().length == 0) {
                throw new PtauException("contributions", i, "beacon parameters out of range");
            }
            if (c.numIterationsExp() > 40) {
                throw new PtauException("contributions", i, "beacon of 2^" + c.numIterationsExp()
                        + " iterations is too long to re-derive here");
            }
            Keys k = beaconKeys(prev.nextChallenge(), c.beaconHash(), c.numIterationsExp());
            if (!k.tauKey().equals(c.tau()) || !k.alphaKey().equals(c.alpha()) || !k.betaKey().equals(c.beta())) {
                throw new PtauException("contributions", i, "beacon key is not the one its beacon parameters derive");
            }
        }
        byte[] ch = prev.nextChallenge();
        G2 tauSp = g2sp(0, ch, c.tau().g1s(), c.tau().g1sx());
        G2 alphaSp = g2sp(1, ch, c.alpha().g1s(), c.alpha().g1sx());
        G2 betaSp = g2sp(2, ch, c.beta().g1s(), c.beta().g1sx());
        sameRatio(i, "proof of knowledge of tau", c.tau().g1s(), c.tau().g1sx(), tauSp, c.tau().g2spx());
        sameRatio(i, "proof of knowledge of alpha", c.alpha().g1s(), c.alpha().g1sx(), alphaSp, c.alpha().g2spx());
        sameRatio(i, "proof of knowledge of beta", c.beta().g1s(), c.beta().g1sx(), betaSp, c.beta().g2spx());
        sameRatio(i, "tau·G1 does not follow the previous one by the proven tau", prev.tauG1(), c.tauG1(), tauSp,
                c.tau().g2spx());
        sameRatio(i, "tau·G2 does not follow the previous one by the proven tau", c.tau().g1s(), c.tau().g1sx(),
                prev.tauG2(), c.tauG2());
        sameRatio(i, "alpha·G1 does not follow the previous one by the proven alpha", prev.alphaG1(), c.alphaG1(),
                alphaSp, c.alpha().g2spx());
        sameRatio(i, "beta·G1 does not follow the previous one by the proven beta", prev.betaG1(), c.betaG1(), betaSp,
                c.beta().g2spx());
        sameRatio(i, "beta·G2 does not follow the previous one by the proven beta", c.beta().g1s(), c.beta().g1sx(),
                prev.betaG2(), c.betaG2());
    }

    /** e(a, d) = e(b, c), i.e. b/a = d/c in the exponent, none of them infinity (snarkjs' sameRatio). */
    private static void sameRatio(int i, String what, G1 a, G1 b, G2 c, G2 d) {
        if (a.isInfinity() || b.isInfinity() || c.isInfinity() || d.isInfinity()) {
            throw new PtauException("contributions", i, what + ": a point is infinity");
        }
        if (!Pairing.check(new G1[] {a, b.neg()}, new G2[] {d, c})) {
            throw new PtauException("contributions", i, what.startsWith("proof") ? what + " fails" : what);
        }
    }
}
