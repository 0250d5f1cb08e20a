package io.zkpfl.zk.bn254;

import java.math.BigInteger;
import java.util.stream.IntStream;

/**
 * Multiplies many G1 points by one scalar with the GLV endomorphism φ(x, y) = (β·x, y) = [λ]P
 * (Gallant–Lambert–Vanstone, CRYPTO 2001): the scalar is split once into k = k₁ + k₂·λ mod r with
 * |k₁|, |k₂| ≈ √r, and each point costs a joint double-and-add over ~127 bits (Shamir's trick)
 * instead of 254. Used by ceremonies, which scale every point of a key or reference string by one secret.
 */
public final class EndomorphismScaling {

    private static final BigInteger R = Fr.MODULUS;
    /** A primitive cube root of unity in F_r. */
    private static final BigInteger LAMBDA;
    /** The cube root of unity in F_p with φ(P) = [λ]P on G1. */
    private static final Fp BETA;
    /** Short basis (a1, b1), (a2, b2) of the lattice {(a, b) : a + b·λ ≡ 0 mod r}. */
    private static final BigInteger A1;
    private static final BigInteger B1;
    private static final BigInteger A2;
    private static final BigInteger B2;

    static {
        LAMBDA = cubeRootOfUnity(R);
        BigInteger p = Fp.MODULUS;
        Fp beta = Fp.fromCanonical(cubeRootOfUnity(p));
        G1 g = G1.GENERATOR;
        G1 expected = g.mul(LAMBDA);
        if (!G1.fromAffine(g.affineX().mul(beta), g.affineY()).equals(expected)) {
            beta = beta.square();
        }
        BETA = beta;
        // extended Euclid on (r, λ): r_i ≡ t_i·λ (mod r); stop at the first remainder below √r
        // (Guide to Elliptic Curve Cryptography, Algorithm 3.74)
        BigInteger sqrtR = R.sqrt();
        BigInteger r0 = R;
        BigInteger r1 = LAMBDA;
        BigInteger t0 = BigInteger.ZERO;
        BigInteger t1 = BigInteger.ONE;
        while (r1.compareTo(sqrtR) >= 0) {
            BigInteger[] qr = r0.divideAndRemainder(r1);
            BigInteger t2 = t0.subtract(qr[0].multiply(t1));
            r0 = r1;
            r1 = qr[1];
            t0 = t1;
            t1 = t2;
        }
        // v1 = (r_{l+1}, −t_{l+1}); v2 = the shorter of (r_l, −t_l) and (r_{l+2}, −t_{l+2})
        BigInteger[] qr = r0.divideAndRemainder(r1);
        BigInteger r2 = qr[1];
        BigInteger t2 = t0.subtract(qr[0].multiply(t1));
        A1 = r1;
        B1 = t1.negate();
        BigInteger n0 = r0.pow(2).add(t0.pow(2));
        BigInteger n2 = r2.pow(2).add(t2.pow(2));
        if (n0.compareTo(n2) <= 0) {
            A2 = r0;
            B2 = t0.negate();
        } else {
            A2 = r2;
            B2 = t2.negate();
        }
    }

    private EndomorphismScaling() {
    }

    private static BigInteger cubeRootOfUnity(BigInteger m) {
        BigInteger e = m.subtract(BigInteger.ONE).divide(BigInteger.valueOf(3));
        for (long g = 2; ; g++) {
            BigInteger c = BigInteger.valueOf(g).modPow(e, m);
            if (!c.equals(BigInteger.ONE)) {
                return c;
            }
        }
    }

    /** (k₁, k₂) with k ≡ k₁ + k₂·λ (mod r) and both about √r in absolute value. */
    static BigInteger[] split(BigInteger k) {
        BigInteger det = A1.multiply(B2).subtract(A2.multiply(B1));
        BigInteger c1 = roundDiv(B2.multiply(k), det);
        BigInteger c2 = roundDiv(B1.negate().multiply(k), det);
        BigInteger k1 = k.subtract(c1.multiply(A1)).subtract(c2.multiply(A2));
        BigInteger k2 = c1.multiply(B1).add(c2.multiply(B2)).negate();
        return new BigInteger[] {k1, k2};
    }

    private static BigInteger roundDiv(BigInteger a, BigInteger b) {
        BigInteger[] qr = a.divideAndRemainder(b);
        BigInteger q = qr[0];
        if (qr[1].abs().shiftLeft(1).compareTo(b.abs()) >= 0) {
            q = q.add(BigInteger.valueOf(a.signum() * b.signum()));
        }
        return q;
    }

    /** k·P for every point (affine or not), in parallel, normalised to affine. */
    public static G1[] scaleAll(G1[] points, Fr k) {
        BigInteger[] parts = split(k.toBigInteger());
        boolean neg1 = parts[0].signum() < 0;
        boolean neg2 = parts[1].signum() < 0;
        BigInteger k1 = parts[0].abs();
        BigInteger k2 = parts[1].abs();
        int bits = Math.max(k1.bitLength(), k2.bitLength());
        int n = points.length;
        G1[] base = MsmG1.normalizeAll(points);
        G1[] p1 = new G1[n];
        G1[] p2 = new G1[n];
        G1[] both = new G1[n];
        IntStream.range(0, n).parallel().forEach(i -> {
            G1 a = base[i];
            if (!a.isInfinity()) {
                Fp y = a.affineY();
                p1[i] = G1.fromAffine(a.affineX(), neg1 ? y.neg() : y);
                p2[i] = G1.fromAffine(a.affineX().mul(BETA), neg2 ? y.neg() : y);
                both[i] = p1[i].add(p2[i]);
            } else {
                both[i] = G1.INFINITY;
            }
        });
        G1[] bothAffine = MsmG1.normalizeAll(both);
        G1[] out = new G1[n];
        IntStream.range(0, n).parallel().forEach(i -> out[i] = base[i].isInfinity() ? G1.INFINITY
                : ladder(p1[i], p2[i], bothAffine[i], k1, k2, bits));
        return MsmG1.normalizeAll(out);
    }

    /** k1·p1 + k2·p2 by a joint double-and-add; p1, p2, both = p1 + p2 affine. */
    private static G1 ladder(G1 p1, G1 p2, G1 both, BigInteger k1, BigInteger k2, int bits) {
        Fp x1 = p1.affineX();
        Fp y1 = p1.affineY();
        Fp x2 = p2.affineX();
        Fp y2 = p2.affineY();
        boolean bothInf = both.isInfinity();
        Fp xb = bothInf ? null : both.affineX();
        Fp yb = bothInf ? null : both.affineY();
        G1 acc = G1.INFINITY;
        for (int i = bits - 1; i >= 0; i--) {
            acc = acc.dbl();
            boolean b1 = k1.testBit(i);
            boolean b2 = k2.testBit(i);
            if (b1 && b2) {
                if (!bothInf) {
                    acc = acc.addAffine(xb, yb);
                }
            } else if (b1) {
                acc = acc.addAffine(x1, y1);
            } else if (b2) {
                acc = acc.addAffine(x2, y2);
            }
        }
        return acc;
    }
}
