package io.zkpfl.zk.kzg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zkpfl.zk.bn254.Fp;
import io.zkpfl.zk.bn254.Fr;
import io.zkpfl.zk.bn254.G1;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.bouncycastle.crypto.digests.KeccakDigest;
import org.junit.jupiter.api.Test;

/**
 * Chaum–Pedersen DLEQ: valid proofs verify, and every wrong statement or tampered proof is refused.
 * The challenge is recomputed here from its definition with BouncyCastle's Keccak and BigInteger
 * scalars, independently of {@link Dleq}'s code.
 */
class DleqTest {

    private static final SplittableRandom RNG = new SplittableRandom(9001);
    private static final BigInteger R = Fr.MODULUS;

    private record Statement(Fr sk, G1 pk, G1 e, G1 shared) {
    }

    private static Statement statement() {
        Fr sk = Fr.random(RNG);
        G1 e = G1.GENERATOR.mul(Fr.random(RNG)); // the trainer's ephemeral point
        return new Statement(sk, G1.GENERATOR.mul(sk), e, e.mul(sk));
    }

    private static byte[] keccak(byte[]... parts) {
        KeccakDigest d = new KeccakDigest(256);
        for (byte[] p : parts) {
            d.update(p, 0, p.length);
        }
        byte[] out = new byte[32];
        d.doFinal(out, 0);
        return out;
    }

    private static byte[] word(BigInteger v) {
        byte[] b = v.toByteArray();
        byte[] out = new byte[32];
        int n = Math.min(32, b.length);
        System.arraycopy(b, b.length - n, out, 32 - n, n);
        return out;
    }

    private static byte[] point(G1 p) {
        G1 n = p.normalize();
        byte[] out = new byte[64];
        System.arraycopy(word(n.affineX().toBigInteger()), 0, out, 0, 32);
        System.arraycopy(word(n.affineY().toBigInteger()), 0, out, 32, 32);
        return out;
    }

    @Test
    void validProofVerifiesAndMatchesTheDefinition() {
        for (int i = 0; i < 5; i++) {
            Statement st = statement();
            DleqProof proof = Dleq.prove(st.sk(), st.e(), RNG);
            assertTrue(Dleq.verify(st.pk(), st.e(), st.shared(), proof));
            // independent check: A1 = s·G − c·pk, A2 = s·E − c·shared hash back to c
            BigInteger c = proof.c().toBigInteger();
            BigInteger s = proof.s().toBigInteger();
            G1 a1 = G1.GENERATOR.mul(s).add(st.pk().mul(R.subtract(c)));
            G1 a2 = st.e().mul(s).add(st.shared().mul(R.subtract(c)));
            byte[] h = keccak("zkPFL-DLEQ-v1".getBytes(StandardCharsets.US_ASCII), word(BigInteger.ONE), word(BigInteger.TWO),
                    point(st.e()), point(st.pk()), point(st.shared()), point(a1), point(a2));
            assertEquals(new BigInteger(1, h).mod(R), c);
            assertTrue(Dleq.verifyEncoded(point(st.pk()), point(st.e()), point(st.shared()), c, s));
        }
    }

    @Test
    void wrongStatementsAreRefused() {
        Statement st = statement();
        DleqProof proof = Dleq.prove(st.sk(), st.e(), RNG);
        Statement other = statement();
        assertFalse(Dleq.verify(st.pk(), st.e(), st.shared().dbl(), proof), "wrong shared point");
        assertFalse(Dleq.verify(st.pk(), st.e(), st.e().mul(other.sk()), proof), "shared point of another key");
        assertFalse(Dleq.verify(other.pk(), st.e(), st.shared(), proof), "wrong public key");
        assertFalse(Dleq.verify(st.pk(), other.e(), st.shared(), proof), "wrong base");
        assertFalse(Dleq.verify(st.shared(), st.e(), st.pk(), proof), "key and shared point swapped");
        assertFalse(Dleq.verify(st.pk(), st.e(), G1.INFINITY, proof), "infinity");
        // a proof for another statement, and the honest proof of a different secret on the same base
        assertFalse(Dleq.verify(st.pk(), st.e(), st.shared(), Dleq.prove(other.sk(), st.e(), RNG)));
        // a "shared" point that is a true multiple of E by another scalar, proven with that scalar: the key disagrees
        Fr x2 = Fr.random(RNG);
        assertFalse(Dleq.verify(st.pk(), st.e(), st.e().mul(x2), Dleq.prove(x2, st.e(), RNG)));
    }

    @Test
    void tamperedProofsAreRefused() {
        Statement st = statement();
        DleqProof p = Dleq.prove(st.sk(), st.e(), RNG);
        assertFalse(Dleq.verify(st.pk(), st.e(), st.shared(), new DleqProof(p.c().add(Fr.ONE), p.s())));
        assertFalse(Dleq.verify(st.pk(), st.e(), st.shared(), new DleqProof(p.c(), p.s().add(Fr.ONE))));
        assertFalse(Dleq.verify(st.pk(), st.e(), st.shared(), new DleqProof(p.s(), p.c())));
        assertFalse(Dleq.verify(st.pk(), st.e(), st.shared(), new DleqProof(Fr.ZERO, Fr.ZERO)));
        BigInteger c = p.c().toBigInteger();
        BigInteger s = p.s().toBigInteger();
        // words ≥ r are refused, not reduced
        assertFalse(Dleq.verifyEncoded(point(st.pk()), point(st.e()), point(st.shared()), c.add(R), s));
        assertFalse(Dleq.verifyEncoded(point(st.pk()), point(st.e()), point(st.shared()), c, s.add(R)));
        assertThrows(IllegalArgumentException.class, () -> DleqProof.fromWords(c, R));
    }

    @Test
    void malformedPointsAreRefused() {
        Statement st = statement();
        DleqProof p = Dleq.prove(st.sk(), st.e(), RNG);
        BigInteger c = p.c().toBigInteger();
        BigInteger s = p.s().toBigInteger();
        byte[] offCurve = point(st.shared());
        offCurve[63] ^= 1;
        assertFalse(Dleq.verifyEncoded(point(st.pk()), point(st.e()), offCurve, c, s), "shared point off the curve");
        byte[] pkOff = point(st.pk());
        pkOff[31] ^= 1;
        assertFalse(Dleq.verifyEncoded(pkOff, point(st.e()), point(st.shared()), c, s), "key off the curve");
        byte[] big = point(st.e());
        System.arraycopy(word(st.e().normalize().affineX().toBigInteger().add(Fp.MODULUS).mod(BigInteger.TWO.pow(256))),
                0, big, 0, 32);
        assertFalse(Dleq.verifyEncoded(point(st.pk()), big, point(st.shared()), c, s), "coordinate ≥ p");
        assertFalse(Dleq.verifyEncoded(point(st.pk()), new byte[64], point(st.shared()), c, s), "base at infinity");
        assertFalse(Dleq.verifyEncoded(point(st.pk()), new byte[63], point(st.shared()), c, s), "short encoding");
    }

    @Test
    void nonceIsHedgedAndSecretsAreChecked() {
        Statement st = statement();
        DleqProof a = Dleq.prove(st.sk(), st.e(), new SplittableRandom(1));
        DleqProof b = Dleq.prove(st.sk(), st.e(), new SplittableRandom(1));
        DleqProof c = Dleq.prove(st.sk(), st.e(), new SplittableRandom(2));
        assertEquals(a, b, "same secret, base and rng bytes: the same proof, not a second equation");
        assertNotEquals(a, c);
        assertTrue(Dleq.verify(st.pk(), st.e(), st.shared(), c));
        // same rng bytes, another base: another nonce
        G1 e2 = st.e().dbl();
        DleqProof d = Dleq.prove(st.sk(), e2, new SplittableRandom(1));
        assertNotEquals(a.s().sub(a.c().mul(st.sk())), d.s().sub(d.c().mul(st.sk())));
        assertThrows(IllegalArgumentException.class, () -> Dleq.prove(Fr.ZERO, st.e(), RNG));
        assertThrows(IllegalArgumentException.class, () -> Dleq.prove(st.sk(), G1.INFINITY, RNG));
    }
}
