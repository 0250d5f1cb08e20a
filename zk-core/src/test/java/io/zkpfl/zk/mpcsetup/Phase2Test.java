package io.zkpfl.zk.mpcsetup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zkpfl.zk.bn254.Fr;
import io.zkpfl.zk.bn254.G1;
import io.zkpfl.zk.bn254.G2;
import io.zkpfl.zk.groth16.Groth16;
import io.zkpfl.zk.groth16.KeyPair;
import io.zkpfl.zk.groth16.Proof;
import io.zkpfl.zk.groth16.ProvingKey;
import io.zkpfl.zk.groth16.TinyCircuits;
import io.zkpfl.zk.marshal.BinaryFormat;
import io.zkpfl.zk.r1cs.R1cs;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The phase-2 ceremony: an honest chain verifies and proves; every kind of tampering is caught. */
class Phase2Test {

    private static final SplittableRandom RNG = new SplittableRandom(0x9A5E2);
    private static R1cs chain;
    private static KeyPair initial;
    private static Phase2Transcript honest;

    @BeforeAll
    static void setUp() {
        chain = TinyCircuits.chain(20);
        initial = Groth16.setup(chain, RNG);
        Phase2Transcript t = Phase2Transcript.start(initial);
        for (int i = 0; i < 3; i++) {
            t = Phase2.contribute(initial, t, RNG);
        }
        honest = t;
    }

    @Test
    void honestThreePartyChainVerifiesAndTheFinalKeysProve() {
        KeyPair fin = Phase2.verify(initial, honest);
        assertEquals(3, honest.size());
        assertEquals(honest.contributions().getLast().delta2(), fin.verifyingKey().delta2());
        assertNotEquals(initial.verifyingKey().delta2(), fin.verifyingKey().delta2());
        // each contribution moved δ and the queries
        for (int i = 0; i < 3; i++) {
            Phase2Contribution c = honest.contributions().get(i);
            G1 before = i == 0 ? initial.provingKey().delta1() : honest.contributions().get(i - 1).delta1();
            assertNotEquals(before, c.delta1());
            assertFalse(Arrays.equals(i == 0 ? initial.provingKey().l() : honest.contributions().get(i - 1).l(), c.l()));
        }
        Fr[] w = TinyCircuits.chainWitness(3, 5, 7, 11, 20);
        Fr[] pub = TinyCircuits.publicOf(w, 3);
        Proof p = Groth16.prove(fin.provingKey(), chain, w, RNG);
        assertTrue(Groth16.verify(fin.verifyingKey(), pub, p));
        assertFalse(Groth16.verify(initial.verifyingKey(), pub, p));
        Proof old = Groth16.prove(initial.provingKey(), chain, w, RNG);
        assertFalse(Groth16.verify(fin.verifyingKey(), pub, old));
        // a prefix is a valid ceremony too, and the empty one yields the initial keys
        assertEquals(honest.contributions().get(0).delta2(), Phase2.verify(initial, honest.prefix(1)).verifyingKey().delta2());
        assertEquals(initial, Phase2.verify(initial, Phase2Transcript.start(initial)));
    }

    @Test
    void transcriptRoundTripsThroughItsBinaryFormat() throws Exception {
        byte[] bytes = honest.encode();
        Phase2Transcript back = Phase2Transcript.decode(bytes);
        assertEquals(honest, back);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        back.writeTo(out);
        assertArrayEquals(bytes, out.toByteArray());
        Phase2Transcript again = Phase2Transcript.readFrom(new ByteArrayInputStream(out.toByteArray()));
        assertEquals(honest.contributions().getLast().delta2(), Phase2.verify(initial, again).verifyingKey().delta2());
        // contributing to a decoded transcript continues the chain
        Phase2Transcript four = Phase2.contribute(initial, again, RNG);
        assertArrayEquals(honest.contributions().getLast().hash(), four.prefix(3).lastHash());
        Phase2.verify(initial, four);
    }

    @Test
    void tamperedDeltaIsRejected() {
        // a contributor proves knowledge of s but moves δ by another factor t (recomputing the hash)
        Fr s = Fr.of(1234567);
        Fr t = Fr.of(7654321);
        Phase2Transcript bad = craft(honest.prefix(1), s, t, t, s.inverse(), UnaryOperator.identity());
        Phase2Exception e = assertThrows(Phase2Exception.class, () -> Phase2.verify(initial, bad));
        assertEquals(2, e.contribution());
        assertTrue(e.getMessage().contains("δ₁ was not multiplied"), e.getMessage());
        // δ₂ moved by another factor than δ₁
        Phase2Transcript bad2 = craft(honest.prefix(1), s, s, t, s.inverse(), UnaryOperator.identity());
        Phase2Exception e2 = assertThrows(Phase2Exception.class, () -> Phase2.verify(initial, bad2));
        assertTrue(e2.getMessage().contains("δ₂ does not match δ₁"), e2.getMessage());
        // δ changed after the fact (proof of knowledge bound to the old δ)
        Phase2Contribution c = honest.contributions().get(1);
        Phase2Transcript bad3 = rehashed(honest.prefix(1), new Phase2Contribution(c.delta1().dbl(), c.delta2().dbl(),
                c.pokS1(), c.pokS2(), c.l(), c.h(), c.hash()));
        Phase2Exception e3 = assertThrows(Phase2Exception.class, () -> Phase2.verify(initial, bad3));
        assertEquals(2, e3.contribution());
        assertTrue(e3.getMessage().contains("proof of knowledge"), e3.getMessage());
    }

    @Test
    void tamperedLOrHPointIsRejected() {
        Fr s = Fr.of(99991);
        Phase2Transcript badL = craft(honest.prefix(2), s, s, s, s.inverse(), c -> {
            G1[] l = c.l().clone();
            l[l.length / 2] = l[l.length / 2].add(G1.GENERATOR).normalize();
            return new Phase2Contribution(c.delta1(), c.delta2(), c.pokS1(), c.pokS2(), l, c.h(), c.hash());
        });
        Phase2Exception e = assertThrows(Phase2Exception.class, () -> Phase2.verify(initial, badL));
        assertEquals(3, e.contribution());
        assertTrue(e.getMessage().contains("L or H query"), e.getMessage());
        Phase2Transcript badH = craft(honest.prefix(2), s, s, s, s.inverse(), c -> {
            G1[] h = c.h().clone();
            h[0] = h[0].dbl().normalize();
            return new Phase2Contribution(c.delta1(), c.delta2(), c.pokS1(), c.pokS2(), c.l(), h, c.hash());
        });
        assertTrue(assertThrows(Phase2Exception.class, () -> Phase2.verify(initial, badH)).getMessage().contains("L or H query"));
        // queries scaled by a factor other than 1/s (here: not scaled at all)
        Phase2Transcript unscaled = craft(honest.prefix(2), s, s, s, Fr.ONE, UnaryOperator.identity());
        assertTrue(assertThrows(Phase2Exception.class, () -> Phase2.verify(initial, unscaled)).getMessage().contains("L or H query"));
        // a tampered point without a recomputed hash breaks the chain
        Phase2Contribution c = honest.contributions().get(0);
        G1[] l = c.l().clone();
        l[0] = l[0].neg();
        Phase2Transcript raw = new Phase2Transcript(honest.initialDigest(), honest.numL(), honest.numH(), List.of(
                new Phase2Contribution(c.delta1(), c.delta2(), c.pokS1(), c.pokS2(), l, c.h(), c.hash())));
        Phase2Exception chainBroken = assertThrows(Phase2Exception.class, () -> Phase2.verify(initial, raw));
        assertEquals(1, chainBroken.contribution());
        assertTrue(chainBroken.getMessage().contains("hash chain"), chainBroken.getMessage());
    }

    @Test
    void replayedOrCopiedContributionIsRejected() {
        List<Phase2Contribution> cs = honest.contributions();
        // the same contribution appended twice
        Phase2Transcript replay = new Phase2Transcript(honest.initialDigest(), honest.numL(), honest.numH(),
                List.of(cs.get(0), cs.get(1), cs.get(1)));
        Phase2Exception e = assertThrows(Phase2Exception.class, () -> Phase2.verify(initial, replay));
        assertEquals(3, e.contribution());
        // re-hashed so the chain holds: the proof of knowledge was made for another position
        Phase2Transcript copied = rehashed(honest.prefix(2), cs.get(1));
        Phase2Exception e2 = assertThrows(Phase2Exception.class, () -> Phase2.verify(initial, copied));
        assertTrue(e2.getMessage().contains("proof of knowledge"), e2.getMessage());
        // someone else's contribution (same initial keys, other chain) passed off as one's own
        Phase2Transcript other = Phase2.contribute(initial, Phase2.contribute(initial, Phase2Transcript.start(initial), RNG), RNG);
        Phase2Transcript stolen = rehashed(honest.prefix(1), other.contributions().get(1));
        assertThrows(Phase2Exception.class, () -> Phase2.verify(initial, stolen));
        // building on another contributor's secret: δ' = t·δ_other with a proof reused from it
        Phase2Contribution theirs = other.contributions().get(0);
        Fr t = Fr.of(5);
        Phase2Transcript built = rehashed(Phase2Transcript.start(initial), new Phase2Contribution(
                theirs.delta1().mul(t).normalize(), theirs.delta2().mul(t).normalize(), theirs.pokS1(), theirs.pokS2(),
                theirs.l(), theirs.h(), theirs.hash()));
        assertTrue(assertThrows(Phase2Exception.class, () -> Phase2.verify(initial, built)).getMessage().contains("proof of knowledge"));
        // a transcript of another ceremony (other initial keys)
        KeyPair foreign = Groth16.setup(chain, RNG);
        Phase2Exception e3 = assertThrows(Phase2Exception.class, () -> Phase2.verify(foreign, honest));
        assertTrue(e3.getMessage().contains("other initial keys"), e3.getMessage());
        assertThrows(Phase2Exception.class, () -> Phase2.contribute(foreign, honest, RNG));
    }

    @Test
    void truncatedOrMalformedTranscriptIsRejected() {
        byte[] good = honest.encode();
        assertMalformed(Arrays.copyOf(good, good.length - 1), "truncated");
        assertMalformed(Arrays.copyOf(good, 20), "too short");
        assertMalformed(Arrays.copyOf(good, good.length + 64), "trailing");
        byte[] magic = good.clone();
        magic[0] = 'X';
        assertMalformed(magic, "magic");
        byte[] version = good.clone();
        version[4] = 2;
        assertMalformed(version, "version");
        byte[] count = good.clone();
        count[8 + 32 + 8] = 0x7f;
        assertMalformed(count, "out of range");
        byte[] moreContributions = good.clone();
        moreContributions[8 + 32 + 11] = 4;
        assertMalformed(moreContributions, "truncated");
        // a coordinate ≥ p in the first contribution's δ₁
        byte[] coord = good.clone();
        Arrays.fill(coord, 52, 52 + 32, (byte) 0xff);
        Phase2Exception e = assertThrows(Phase2Exception.class, () -> Phase2Transcript.decode(coord));
        assertEquals(1, e.contribution());
        // a point off the curve in the second contribution's L query
        int per = 64 + 128 + 64 + 128 + (honest.numL() + honest.numH()) * 64 + 32;
        byte[] off = good.clone();
        off[52 + per + 384 + 63] ^= 1;
        Phase2Exception e2 = assertThrows(Phase2Exception.class, () -> Phase2Transcript.decode(off));
        assertEquals(2, e2.contribution());
        assertTrue(e2.getMessage().contains("malformed point"), e2.getMessage());
        // δ₂ on the twist but outside the subgroup
        byte[] sub = good.clone();
        System.arraycopy(io.zkpfl.zk.bn254.CurveTest.nonSubgroupPoint().toEvmBytes(), 0, sub, 52 + 64, 128);
        assertTrue(assertThrows(Phase2Exception.class, () -> Phase2Transcript.decode(sub)).getMessage().contains("subgroup"));
        assertThrows(Phase2Exception.class, () -> Phase2Transcript.decode(null));
        assertThrows(Phase2Exception.class, () -> Phase2Transcript.decode(new byte[0]));
    }

    @Test
    void provingKeyWithAG2PointOutsideTheSubgroupIsRejectedWhenRead() {
        ProvingKey pk = initial.provingKey();
        G2[] b2 = pk.b2().clone();
        b2[2] = io.zkpfl.zk.bn254.CurveTest.nonSubgroupPoint();
        ProvingKey bad = new ProvingKey(pk.numWires(), pk.numPublic(), pk.domainSize(), pk.alpha1(), pk.beta1(),
                pk.beta2(), pk.delta1(), pk.delta2(), pk.a(), pk.b1(), b2, pk.l(), pk.h());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BinaryFormat.decodeProvingKey(BinaryFormat.encode(bad)));
        assertTrue(e.getMessage().contains("B2 query point 2"), e.getMessage());
        assertEquals(pk.b2()[2], BinaryFormat.decodeProvingKey(BinaryFormat.encode(pk)).b2()[2]);
        ProvingKey badBeta = new ProvingKey(pk.numWires(), pk.numPublic(), pk.domainSize(), pk.alpha1(), pk.beta1(),
                io.zkpfl.zk.bn254.CurveTest.nonSubgroupPoint(), pk.delta1(), pk.delta2(), pk.a(), pk.b1(), pk.b2(), pk.l(), pk.h());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> BinaryFormat.decodeProvingKey(BinaryFormat.encode(badBeta))).getMessage().contains("subgroup"));
    }

    private static void assertMalformed(byte[] data, String expected) {
        Phase2Exception e = assertThrows(Phase2Exception.class, () -> Phase2Transcript.decode(data));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertEquals(0, e.contribution());
    }

    /**
     * A contribution made by a (possibly dishonest) contributor who knows s: proof of knowledge for s,
     * δ₁ scaled by d1, δ₂ by d2, L and H by q, then {@code edit}, with a consistent hash.
     */
    private static Phase2Transcript craft(Phase2Transcript t, Fr s, Fr d1, Fr d2, Fr q, UnaryOperator<Phase2Contribution> edit) {
        Phase2Contribution last = t.contributions().getLast();
        byte[] prev = t.lastHash();
        G1 delta1 = last.delta1().mul(d1).normalize();
        G2 delta2 = last.delta2().mul(d2).normalize();
        G1 s1 = ChallengePoints.g1(prev).mul(s).normalize();
        G2 s2 = ChallengePoints.g2(Phase2.pokSeed(prev, s1, delta1, delta2)).mul(s).normalize();
        G1[] l = Arrays.stream(last.l()).map(p -> p.mul(q).normalize()).toArray(G1[]::new);
        G1[] h = Arrays.stream(last.h()).map(p -> p.mul(q).normalize()).toArray(G1[]::new);
        Phase2Contribution c = edit.apply(new Phase2Contribution(delta1, delta2, s1, s2, l, h, new byte[32]));
        return rehashed(t, c);
    }

    /** {@code t} with {@code c} appended under a hash recomputed to fit the chain. */
    private static Phase2Transcript rehashed(Phase2Transcript t, Phase2Contribution c) {
        byte[] hash = Phase2.contributionHash(t.lastHash(), c.delta1(), c.delta2(), c.pokS1(), c.pokS2(), c.l(), c.h());
        return t.with(new Phase2Contribution(c.delta1(), c.delta2(), c.pokS1(), c.pokS2(), c.l(), c.h(), hash));
    }
}
