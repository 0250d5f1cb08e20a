package io.zkpfl.zk.mpcsetup;

import io.zkpfl.zk.bn254.Fp;
import io.zkpfl.zk.bn254.Fp2;
import io.zkpfl.zk.bn254.Fr;
import io.zkpfl.zk.bn254.G1;
import io.zkpfl.zk.bn254.G2;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Deterministic curve points from a transcript hash, for the phase-2 proofs of knowledge: a
 * try-and-increment map (x from SHA-256 output reduced mod p, the first x with a square
 * x³ + b), then cofactor clearing on the twist. Inputs are public, so the map need not run in
 * constant time; nobody learns the discrete logarithm of the result.
 */
final class ChallengePoints {

    private static final BigInteger SQRT_EXP = Fp.MODULUS.add(BigInteger.ONE).shiftRight(2);
    /** The twist's cofactor 2p − r: #E'(F_p²) = r·(2p − r). */
    private static final BigInteger G2_COFACTOR = Fp.MODULUS.shiftLeft(1).subtract(Fr.MODULUS);
    private static final Fp G1_B = Fp.of(3);
    private static final Fp2 TWIST_B = new Fp2(Fp.of(3), Fp.ZERO).mul(Fp2.XI.inverse());

    private ChallengePoints() {
    }

    /** A point of G1 = E(F_p) (prime order, no cofactor) from {@code seed}. */
    static G1 g1(byte[] seed) {
        for (int ctr = 0; ; ctr++) {
            Fp x = field("zkPFL phase2 G1", seed, ctr, 0);
            Fp rhs = x.square().mul(x).add(G1_B);
            Fp y = rhs.pow(SQRT_EXP);
            if (y.square().equals(rhs)) {
                return G1.fromAffine(x, y);
            }
        }
    }

    /** A point of G2 (the order-r subgroup of the twist) from {@code seed}. */
    static G2 g2(byte[] seed) {
        for (int ctr = 0; ; ctr++) {
            Fp2 x = new Fp2(field("zkPFL phase2 G2", seed, ctr, 0), field("zkPFL phase2 G2", seed, ctr, 1));
            Fp2 y = x.square().mul(x).add(TWIST_B).sqrt();
            if (y != null) {
                G2 q = G2.fromAffine(x, y).mul(G2_COFACTOR);
                if (!q.isInfinity()) {
                    return q.normalize();
                }
            }
        }
    }

    private static Fp field(String tag, byte[] seed, int ctr, int part) {
        MessageDigest md = sha256();
        byte[] hi = digest(md, tag, seed, ctr, part, 0);
        byte[] lo = digest(md, tag, seed, ctr, part, 1);
        byte[] wide = new byte[65];
        System.arraycopy(hi, 0, wide, 1, 32);
        System.arraycopy(lo, 0, wide, 33, 32);
        return Fp.of(new BigInteger(wide));
    }

    private static byte[] digest(MessageDigest md, String tag, byte[] seed, int ctr, int part, int half) {
        md.reset();
        md.update(tag.getBytes(StandardCharsets.US_ASCII));
        md.update(seed);
        md.update(new byte[] {(byte) (ctr >>> 24), (byte) (ctr >>> 16), (byte) (ctr >>> 8), (byte) ctr,
            (byte) part, (byte) half});
        return md.digest();
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
