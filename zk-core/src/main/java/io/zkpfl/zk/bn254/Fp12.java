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

    /**
     * Multiplication by a Miller-loop line {@code l0 + l1·w + l3·w³} (13 F_p² multiplications
     * instead of 18 for a dense product).
     */
    public Fp12 mulByLine(Fp2 l0, Fp2 l1, Fp2 l3) {
        Fp6 t0 = c0.mul(l0);
        Fp6 t1 = c1.mulBy01(l1, l3);
        Fp6 r1 = c0.add(c1).mulBy01(l0.add(l1), l3).sub(t0).sub(t1);
        return new Fp12(t0.add(t1.mulByV()), r1);
    }

    /**
     * The square of an element of the cyclotomic subgroup (norm 1 over F_p⁶, e.g. any output of the
     * final exponentiation's easy part), by Granger–Scott, "Faster squaring in the cyclotomic
     * subgroup of sixth degree extensions" (PKC 2010): with F_p¹² = F_p⁴[w]/(w³ − s), s = w³,
     * s² = ξ, and f = A + B·w + C·w², f² = (3A² − 2Ā) + (3s·C² + 2B̄)·w + (3B² − 2C̄)·w², where
     * the bar is conjugation over F_p². Nine F_p² squarings; wrong for elements outside the subgroup.
     */
    public Fp12 cyclotomicSquare() {
        Fp2 g0 = c0.c0();
        Fp2 g2 = c0.c1();
        Fp2 g4 = c0.c2();
        Fp2 g1 = c1.c0();
        Fp2 g3 = c1.c1();
        Fp2 g5 = c1.c2();
        // A = g0 + g3·s, B = g1 + g4·s, C = g2 + g5·s
        Fp2 a0 = g0.square();
        Fp2 a1 = g3.square();
        Fp2 aa0 = a1.mulByXi().add(a0);
        Fp2 aa1 = g0.add(g3).square().sub(a0).sub(a1);
        Fp2 b0 = g1.square();
        Fp2 b1 = g4.square();
        Fp2 bb0 = b1.mulByXi().add(b0);
        Fp2 bb1 = g1.add(g4).square().sub(b0).sub(b1);
        Fp2 c0s = g2.square();
        Fp2 c1s = g5.square();
        Fp2 cc0 = c1s.mulByXi().add(c0s);
        Fp2 cc1 = g2.add(g5).square().sub(c0s).sub(c1s);
        // A' = 3A² − 2Ā
        Fp2 n0 = triple(aa0).sub(g0.dbl());
        Fp2 n3 = triple(aa1).add(g3.dbl());
        // B' = 3s·C² + 2B̄, s·(x + y·s) = ξy + x·s
        Fp2 n1 = triple(cc1.mulByXi()).add(g1.dbl());
        Fp2 n4 = triple(cc0).sub(g4.dbl());
        // C' = 3B² − 2C̄
        Fp2 n2 = triple(bb0).sub(g2.dbl());
        Fp2 n5 = triple(bb1).add(g5.dbl());
        return new Fp12(new Fp6(n0, n2, n4), new Fp6(n1, n3, n5));
    }

    private static Fp2 triple(Fp2 x) {
        return x.dbl().add(x);
    }

    /**
     * this^e for an element of the cyclotomic subgroup and e given in signed odd digits (w-NAF:
     * 0 or odd d with |d| ≤ 15, most significant first), using cyclotomic squaring, a table of odd
     * powers, and conjugation as the inverse.
     */
    Fp12 cyclotomicPow(int[] digits) {
        int max = 1;
        for (int d : digits) {
            max = Math.max(max, Math.abs(d));
        }
        Fp12[] odd = new Fp12[(max + 1) / 2];
        odd[0] = this;
        if (odd.length > 1) {
            Fp12 sq = cyclotomicSquare();
            for (int i = 1; i < odd.length; i++) {
                odd[i] = odd[i - 1].mul(sq);
            }
        }
        Fp12 acc = ONE;
        boolean started = false;
        for (int d : digits) {
            if (started) {
                acc = acc.cyclotomicSquare();
            }
            if (d != 0) {
                Fp12 t = odd[Math.abs(d) / 2];
                if (d < 0) {
                    t = t.conjugate();
                }
                acc = started ? acc.mul(t) : t;
                started = true;
            }
        }
        return acc;
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

    public boolean isZero() {
        return c0.isZero() && c1.isZero();
    }

    public boolean isOne() {
        return c0.c0().isOne() && c0.c1().isZero() && c0.c2().isZero() && c1.isZero();
    }
}
