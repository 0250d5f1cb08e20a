package io.zkpfl.zk.bn254;

import java.math.BigInteger;

/** An element {@code c0 + c1·w} of F_p¹² = F_p⁶[w]/(w² − v); the pairing's target group lives here. */
public record Fp12(Fp6 c0, Fp6 c1) {

    /** One. */
    public static final Fp12 ONE = new Fp12(Fp6.ONE, Fp6.ZERO);

    /** γ[n][k] = ξ^(k·(p^n − 1)/6) for n = 1..3, k = 0..5: the Frobenius twist of w^k. */
    private static final Fp2[][] GAMMA = new Fp2[4][6];

    static {
        BigInteger p = Fp.MODULUS;
        for (int n = 1; n <= 3; n++) {
            BigInteger e = p.pow(n).subtract(BigInteger.ONE).divide(BigInteger.valueOf(6));
            Fp2 g = Fp2.XI.pow(e);
            Fp2 acc = Fp2.ONE;
            for (int k = 0; k < 6; k++) {
                GAMMA[n][k] = acc;
                acc = acc.mul(g);
            }
        }
    }

    public Fp12 add(Fp12 o) {
        return new Fp12(c0.add(o.c0), c1.add(o.c1));
    }

    public Fp12 mul(Fp12 o) {
        Fp6 t0 = c0.mul(o.c0);
        Fp6 t1 = c1.mul(o.c1);
        Fp6 r1 = c0.add(c1).mul(o.c0.add(o.c1)).sub(t0).sub(t1);
        return new Fp12(t0.add(t1.mulByV()), r1);
    }

    public Fp12 square() {
        Fp6 t = c0.mul(c1);
        Fp6 r0 = c0.add(c1).mul(c0.add(c1.mulByV())).sub(t).sub(t.mulByV());
        return new Fp12(r0, t.add(t));
    }

    /** The conjugate {@code c0 − c1·w}, equal to the inverse on the cyclotomic subgroup. */
    public Fp12 conjugate() {
        return new Fp12(c0, c1.neg());
    }

    /**
     * The inverse.
     *
     * @throws ArithmeticException for zero
     */
    public Fp12 inverse() {
        Fp6 d = c0.square().sub(c1.square().mulByV()).inverse();
        return new Fp12(c0.mul(d), c1.neg().mul(d));
    }

    /** The n-th power of the Frobenius map x ↦ x^p, for n in 1..3. */
    public Fp12 frobenius(int n) {
        Fp2[] g = GAMMA[n];
        boolean odd = (n & 1) == 1;
        return new Fp12(
                new Fp6(conj(c0.c0(), odd).mul(g[0]), conj(c0.c1(), odd).mul(g[2]), conj(c0.c2(), odd).mul(g[4])),
                new Fp6(conj(c1.c0(), odd).mul(g[1]), conj(c1.c1(), odd).mul(g[3]), conj(c1.c2(), odd).mul(g[5])));
    }

    private static Fp2 conj(Fp2 x, boolean odd) {
        return odd ? x.conjugate() : x;
    }

    public Fp12 pow(BigInteger e) {
        if (e.signum() < 0) {
            return inverse().pow(e.negate());
        }
        Fp12 acc = ONE;
        for (int i = e.bitLength() - 1; i >= 0; i--) {
            acc = acc.square();
            if (e.testBit(i)) {
                acc = acc.mul(this);
            }
        }
        return acc;
    }

    public boolean isOne() {
        return c0.c0().isOne() && c0.c1().isZero() && c0.c2().isZero() && c1.isZero();
    }
}
