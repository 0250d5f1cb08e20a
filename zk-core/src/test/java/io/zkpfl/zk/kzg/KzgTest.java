package io.zkpfl.zk.kzg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zkpfl.zk.bn254.Fr;
import io.zkpfl.zk.bn254.G1;
import io.zkpfl.zk.solidity.KzgSolidityVerifier;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Hiding KZG commitments against their definition over an SRS whose secrets the test knows. */
class KzgTest {

    private static final SplittableRandom RNG = new SplittableRandom(20261202);
    private static final Fr TAU = Fr.random(RNG);
    private static final Fr ALPHA = Fr.random(RNG);
    private static final Srs SRS = Srs.insecureFromSecrets(TAU, ALPHA, 64, 8);

    private static Fr[] random(int n) {
        Fr[] v = new Fr[n];
        for (int i = 0; i < n; i++) {
            v[i] = Fr.random(RNG);
        }
        return v;
    }

    /** v(x) computed with BigInteger, independently of Fr's Horner. */
    private static BigInteger evalBig(Fr[] p, Fr x) {
        BigInteger r = Fr.MODULUS;
        BigInteger acc = BigInteger.ZERO;
        BigInteger pow = BigInteger.ONE;
        for (Fr c : p) {
            acc = acc.add(c.toBigInteger().multiply(pow)).mod(r);
            pow = pow.multiply(x.toBigInteger()).mod(r);
        }
        return acc;
    }

    @Test
    void commitmentIsTheGeneratorTimesVAtTauPlusAlphaTimesBAtTau() {
        Fr[] v = random(40);
        Fr[] b = random(5);
        BigInteger expected = evalBig(v, TAU).add(ALPHA.toBigInteger().multiply(evalBig(b, TAU))).mod(Fr.MODULUS);
        assertEquals(G1.GENERATOR.mul(expected).normalize(), Kzg.commit(SRS, v, b).normalize());
    }

    @Test
    void openingVerifiesAndItsValuesAreTheEvaluations() {
        Fr[] v = random(50);
        Fr[] b = random(5);
        G1 c = Kzg.commit(SRS, v, b);
        Fr z = Fr.random(RNG);
        Opening o = Kzg.open(SRS, v, b, z);
        assertEquals(evalBig(v, z), o.y().toBigInteger());
        assertEquals(evalBig(b, z), o.yHat().toBigInteger());
        assertTrue(Kzg.verify(SRS, c, o));
    }

    @Test
    void openingsOfAnotherValuePointOrPolynomialAreRefused() {
        Fr[] v = random(30);
        Fr[] b = random(4);
        G1 c = Kzg.commit(SRS, v, b);
        Opening o = Kzg.open(SRS, v, b, Fr.of(7));
        assertFalse(Kzg.verify(SRS, c, new Opening(o.z(), o.y().add(Fr.ONE), o.yHat(), o.proof())));
        assertFalse(Kzg.verify(SRS, c, new Opening(o.z(), o.y(), o.yHat().add(Fr.ONE), o.proof())));
        assertFalse(Kzg.verify(SRS, c, new Opening(Fr.of(8), o.y(), o.yHat(), o.proof())));
        Fr[] other = v.clone();
        other[3] = other[3].add(Fr.ONE);
        assertFalse(Kzg.verify(SRS, Kzg.commit(SRS, other, b), o));
    }

    @Test
    void commitmentsAreLinear() {
        Fr[] v1 = random(20);
        Fr[] v2 = random(20);
        Fr[] b1 = random(3);
        Fr[] b2 = random(3);
        Fr[] v = new Fr[20];
        Fr[] b = new Fr[3];
        for (int i = 0; i < 20; i++) {
            v[i] = v1[i].add(v2[i]);
        }
        for (int i = 0; i < 3; i++) {
            b[i] = b1[i].add(b2[i]);
        }
        assertEquals(Kzg.commit(SRS, v, b).normalize(),
                Kzg.commit(SRS, v1, b1).add(Kzg.commit(SRS, v2, b2)).normalize());
    }

    @Test
    void batchVerificationAcceptsValidAndRefusesOneBadOpening() {
        List<G1> cs = new ArrayList<>();
        List<Opening> os = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Fr[] v = random(16 + i);
            Fr[] b = random(3);
            cs.add(Kzg.commit(SRS, v, b));
            os.add(Kzg.open(SRS, v, b, Fr.random(RNG)));
        }
        assertTrue(Kzg.batchVerify(SRS, cs, os));
        Opening bad = os.get(2);
        os.set(2, new Opening(bad.z(), bad.y().add(Fr.ONE), bad.yHat(), bad.proof()));
        assertFalse(Kzg.batchVerify(SRS, cs, os));
    }

    /** ρ is keccak-256 over the domain and the calldata words of KzgSolidityVerifier, as the contract hashes them. */
    @Test
    void batchChallengeIsKeccakOfTheCalldataWords() {
        List<G1> cs = new ArrayList<>();
        List<Opening> os = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Fr[] v = random(5);
            Fr[] b = random(2);
            cs.add(Kzg.commit(SRS, v, b));
            os.add(Kzg.open(SRS, v, b, Fr.random(RNG)));
        }
        org.bouncycastle.crypto.digests.KeccakDigest d = new org.bouncycastle.crypto.digests.KeccakDigest(256);
        byte[] domain = "zkPFL-KZG-batch-v1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        d.update(domain, 0, domain.length);
        List<BigInteger> words = new ArrayList<>();
        for (G1 c : cs) {
            words.add(c.normalize().affineX().toBigInteger());
            words.add(c.normalize().affineY().toBigInteger());
        }
        for (Opening o : os) {
            words.addAll(List.of(o.z().toBigInteger(), o.y().toBigInteger(), o.yHat().toBigInteger(),
                    o.proof().normalize().affineX().toBigInteger(), o.proof().normalize().affineY().toBigInteger()));
        }
        assertEquals(words, java.util.Arrays.asList(concat(KzgSolidityVerifier.commitmentWords(cs),
                KzgSolidityVerifier.openingWords(os))));
        for (BigInteger w : words) {
            byte[] be = w.toByteArray();
            byte[] word = new byte[32];
            int n = Math.min(32, be.length);
            System.arraycopy(be, be.length - n, word, 32 - n, n);
            d.update(word, 0, 32);
        }
        byte[] h = new byte[32];
        d.doFinal(h, 0);
        assertEquals(new BigInteger(1, h).mod(Fr.MODULUS), Kzg.batchChallenge(cs, os).toBigInteger());
        assertThrows(IllegalArgumentException.class, () -> Kzg.batchChallenge(cs, os.subList(0, 2)));
    }

    private static BigInteger[] concat(BigInteger[] a, BigInteger[] b) {
        BigInteger[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void vectorsLongerThanTheSrsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Kzg.commit(SRS, random(65), random(1)));
        assertThrows(IllegalArgumentException.class, () -> Kzg.commit(SRS, random(4), random(9)));
    }
}
