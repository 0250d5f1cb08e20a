package io.zkpfl.zk.bn254;

import java.math.BigInteger;

/**
 * The optimal ate pairing e: G1 × G2 → GT ⊂ F_p¹² on BN254 (the pairing of EIP-197): a Miller loop
 * over 6x + 2 (in non-adjacent form) with the two Frobenius correction steps, then the final
 * exponentiation to the power (p¹² − 1)/r, computed exactly.
 *
 * <p>Speed-ups over the textbook loop: T runs in homogeneous projective coordinates with combined
 * step-and-line formulas (Costello–Lange–Naehrig, PKC 2010); lines are multiplied in sparse form
 * ({@link Fp12#mulByLine}); several pairs share one loop and one final exponentiation; lines of a
 * fixed G2 point can be precomputed ({@link G2Prepared}); the hard part of the final exponentiation
 * uses Granger–Scott cyclotomic squaring and signed-digit powers by x.
 */
public final class Pairing {

    /** The BN parameter x (the curve's "u"). */
    static final BigInteger X = BigInteger.valueOf(G2.SEED);
    /** 6x + 2 in non-adjacent form, most significant digit first. */
    static final int[] LOOP_NAF = naf(X.multiply(BigInteger.valueOf(6)).add(BigInteger.TWO));
    /** x in width-4 NAF (14 non-zero digits instead of 24 in plain NAF). */
    private static final int[] X_NAF = wnaf(X, 4);

    private Pairing() {
    }

    /** e(p, q). */
    public static Fp12 pair(G1 p, G2 q) {
        return finalExponentiation(millerLoop(p, q));
    }

    /**
     * Whether Π e(ps[i], qs[i]) = 1 (the check of the EIP-197 precompile), with one shared Miller
     * loop and one final exponentiation.
     */
    public static boolean check(G1[] ps, G2[] qs) {
        if (ps.length != qs.length) {
            throw new IllegalArgumentException("pairing check needs as many G1 as G2 points");
        }
        G2Prepared[] prepared = new G2Prepared[qs.length];
        for (int i = 0; i < qs.length; i++) {
            prepared[i] = G2Prepared.of(qs[i]);
        }
        Fp12 f = millerLoop(ps, prepared);
        // a zero Miller value only arises from points outside G2 whose multiples hit infinity
        return !f.isZero() && finalExponentiation(f).isOne();
    }

    /** The Miller loop value f_{6x+2,Q}(P) with the ate correction lines (1 if either is infinity). */
    public static Fp12 millerLoop(G1 p, G2 q) {
        return millerLoop(new G1[] {p}, new G2Prepared[] {G2Prepared.of(q)});
    }

    /**
     * Π f_{6x+2,Q_i}(P_i) for prepared Q_i, sharing the squarings of the accumulator. Each line is
     * scaled by an F_p² factor, which the final exponentiation removes.
     */
    public static Fp12 millerLoop(G1[] ps, G2Prepared[] qs) {
        if (ps.length != qs.length) {
            throw new IllegalArgumentException("Miller loop needs as many G1 as G2 points");
        }
        int n = 0;
        Fp[] px = new Fp[ps.length];
        Fp[] py = new Fp[ps.length];
        Fp2[][] lines = new Fp2[ps.length][];
        for (int i = 0; i < ps.length; i++) {
            if (ps[i].isInfinity() || qs[i].isInfinity()) {
                continue;
            }
            G1 a = ps[i].normalize();
            px[n] = a.x;
            py[n] = a.y;
            lines[n] = qs[i].lines;
            n++;
        }
        Fp12 f = Fp12.ONE;
        if (n == 0) {
            return f;
        }
        int k = 0;
        for (int i = 1; i < LOOP_NAF.length; i++) {
            if (i > 1) {
                f = f.square();
            }
            f = mulLines(f, lines, px, py, n, k);
            k += 3;
            if (LOOP_NAF[i] != 0) {
                f = mulLines(f, lines, px, py, n, k);
                k += 3;
            }
        }
        f = mulLines(f, lines, px, py, n, k);
        return mulLines(f, lines, px, py, n, k + 3);
    }

    private static Fp12 mulLines(Fp12 f, Fp2[][] lines, Fp[] px, Fp[] py, int n, int k) {
        for (int j = 0; j < n; j++) {
            Fp2[] l = lines[j];
            f = f.mulByLine(l[k].mul(py[j]), l[k + 1].mul(px[j]), l[k + 2]);
        }
        return f;
    }

    /** f^((p¹² − 1)/r). */
    public static Fp12 finalExponentiation(Fp12 f) {
        // easy part: f^((p^6 - 1)(p^2 + 1)); the result lies in the cyclotomic subgroup
        Fp12 t = f.conjugate().mul(f.inverse());
        t = t.frobenius(2).mul(t);
        // hard part: (p^4 - p^2 + 1)/r = l0 + l1·p + l2·p² + p³ with
        // l0 = -36x³ - 30x² - 18x - 2, l1 = -36x³ - 18x² - 12x + 1, l2 = 6x² + 1
        Fp12 a = t.cyclotomicPow(X_NAF);
        Fp12 b = a.cyclotomicPow(X_NAF);
        Fp12 c = b.cyclotomicPow(X_NAF);
        Fp12 c9 = c.cyclotomicSquare().cyclotomicSquare().cyclotomicSquare().mul(c);
        Fp12 c36 = c9.cyclotomicSquare().cyclotomicSquare();
        Fp12 b2 = b.cyclotomicSquare();
        Fp12 b6 = b2.mul(b).cyclotomicSquare();
        Fp12 b12 = b6.cyclotomicSquare();
        Fp12 b18 = b12.mul(b6);
        Fp12 b30 = b18.mul(b12);
        Fp12 a2 = a.cyclotomicSquare();
        Fp12 a6 = a2.cyclotomicSquare().mul(a2);
        Fp12 a12 = a6.cyclotomicSquare();
        Fp12 a18 = a12.mul(a6);
        Fp12 f0 = c36.mul(b30).mul(a18).mul(t.cyclotomicSquare()).conjugate();
        Fp12 f1 = c36.mul(b18).mul(a12).conjugate().mul(t);
        Fp12 f2 = b6.mul(t);
        return f0.mul(f1.frobenius(1)).mul(f2.frobenius(2)).mul(t.frobenius(3));
    }

    /** The non-adjacent form of a positive integer, most significant digit first. */
    static int[] naf(BigInteger e) {
        return wnaf(e, 2);
    }

    /**
     * The width-w non-adjacent form of a positive integer (digits 0 or odd with |d| < 2^(w−1), at
     * most one non-zero in any w consecutive), most significant digit first.
     */
    static int[] wnaf(BigInteger e, int w) {
        java.util.List<Integer> digits = new java.util.ArrayList<>();
        BigInteger n = e;
        BigInteger mod = BigInteger.ONE.shiftLeft(w);
        int half = 1 << (w - 1);
        while (n.signum() > 0) {
            int d = 0;
            if (n.testBit(0)) {
                d = n.mod(mod).intValue();
                if (d >= half) {
                    d -= 1 << w;
                }
                n = n.subtract(BigInteger.valueOf(d));
            }
            digits.add(d);
            n = n.shiftRight(1);
        }
        int[] out = new int[digits.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = digits.get(out.length - 1 - i);
        }
        return out;
    }
}
