package io.zkpfl.zk.bn254;

import java.math.BigInteger;

/**
 * The straightforward optimal ate pairing that zk-core used before sparse lines, projective
 * Miller steps and cyclotomic squaring: Jacobian T, dense line multiplication, binary loop, generic
 * square-and-multiply powers. Kept in the tests as an independent reference for {@link Pairing}.
 */
public final class ReferencePairing {

    /** The BN parameter x (the curve's "u"). */
    static final BigInteger X = new BigInteger("4965661367192848881");
    private static final BigInteger LOOP = X.multiply(BigInteger.valueOf(6)).add(BigInteger.TWO);

    private static final Fp2 FROB_X1;
    private static final Fp2 FROB_Y1;
    private static final Fp2 FROB_X2;
    private static final Fp2 FROB_Y2;

    static {
        BigInteger p = Fp.MODULUS;
        BigInteger p2 = p.multiply(p);
        FROB_X1 = Fp2.XI.pow(p.subtract(BigInteger.ONE).divide(BigInteger.valueOf(3)));
        FROB_Y1 = Fp2.XI.pow(p.subtract(BigInteger.ONE).divide(BigInteger.TWO));
        FROB_X2 = Fp2.XI.pow(p2.subtract(BigInteger.ONE).divide(BigInteger.valueOf(3)));
        FROB_Y2 = Fp2.XI.pow(p2.subtract(BigInteger.ONE).divide(BigInteger.TWO));
    }

    private ReferencePairing() {
    }

    /** e(p, q). */
    public static Fp12 pair(G1 p, G2 q) {
        return finalExponentiation(millerLoop(p, q));
    }

    /**
     * Whether Π e(ps[i], qs[i]) = 1 (the check of the EIP-197 precompile), with one shared final
     * exponentiation.
     */
    public static boolean check(G1[] ps, G2[] qs) {
        if (ps.length != qs.length) {
            throw new IllegalArgumentException("pairing check needs as many G1 as G2 points");
        }
        Fp12 f = Fp12.ONE;
        for (int i = 0; i < ps.length; i++) {
            f = f.mul(millerLoop(ps[i], qs[i]));
        }
        return finalExponentiation(f).isOne();
    }

    /**
     * The Miller loop value f_{6x+2,Q}(P) with the ate correction lines (1 if either is infinity).
     * T runs in Jacobian coordinates; each line is scaled by a non-zero F_p² factor (which the
     * final exponentiation removes), so the loop needs no inversion.
     */
    public static Fp12 millerLoop(G1 p, G2 q) {
        if (p.isInfinity() || q.isInfinity()) {
            return Fp12.ONE;
        }
        G1 pa = p.normalize();
        G2 qa = q.normalize();
        Fp px = pa.x;
        Fp py = pa.y;
        Fp2 qx = qa.x;
        Fp2 qy = qa.y;
        G2 t = qa;
        Fp12 f = Fp12.ONE;
        for (int i = LOOP.bitLength() - 2; i >= 0; i--) {
            f = f.square().mul(doublingLine(t, px, py));
            t = t.dbl();
            if (LOOP.testBit(i)) {
                f = f.mul(additionLine(t, qx, qy, px, py));
                t = t.addAffine(qx, qy);
            }
        }
        Fp2 q1x = qx.conjugate().mul(FROB_X1);
        Fp2 q1y = qy.conjugate().mul(FROB_Y1);
        Fp2 q2x = qx.mul(FROB_X2);
        Fp2 q2y = qy.mul(FROB_Y2).neg();
        f = f.mul(additionLine(t, q1x, q1y, px, py));
        t = t.addAffine(q1x, q1y);
        return f.mul(additionLine(t, q2x, q2y, px, py));
    }

    /**
     * The tangent at T = (X, Y, Z) (Jacobian, on the twist) evaluated at P, times 2·Y·Z³:
     * 2YZ³·yP − 3X²Z²·xP·w + (3X³ − 2Y²)·w³.
     */
    private static Fp12 doublingLine(G2 t, Fp px, Fp py) {
        Fp2 xx = t.x.square();
        Fp2 xx3 = xx.dbl().add(xx);
        Fp2 zz = t.z.square();
        Fp2 c0 = t.y.mul(zz).mul(t.z).dbl().mul(py);
        Fp2 c1 = xx3.mul(zz).mul(px).neg();
        Fp2 c3 = xx3.mul(t.x).sub(t.y.square().dbl());
        return sparse(c0, c1, c3);
    }

    /**
     * The line through T = (X, Y, Z) and the affine Q = (xQ, yQ) evaluated at P, times
     * d = (xQ·Z² − X)·Z: d·yP − n·xP·w + (n·xQ − d·yQ)·w³ with n = yQ·Z³ − Y.
     */
    private static Fp12 additionLine(G2 t, Fp2 qx, Fp2 qy, Fp px, Fp py) {
        Fp2 zz = t.z.square();
        Fp2 n = qy.mul(zz).mul(t.z).sub(t.y);
        Fp2 d = qx.mul(zz).sub(t.x).mul(t.z);
        return sparse(d.mul(py), n.mul(px).neg(), n.mul(qx).sub(d.mul(qy)));
    }

    private static Fp12 sparse(Fp2 c0, Fp2 c1, Fp2 c3) {
        return new Fp12(new Fp6(c0, Fp2.ZERO, Fp2.ZERO), new Fp6(c1, c3, Fp2.ZERO));
    }

    /** f^((p¹² − 1)/r). */
    public static Fp12 finalExponentiation(Fp12 f) {
        // easy part: f^((p^6 - 1)(p^2 + 1))
        Fp12 t = f.conjugate().mul(f.inverse());
        t = t.frobenius(2).mul(t);
        // hard part: (p^4 - p^2 + 1)/r = l0 + l1·p + l2·p² + p³ with
        // l0 = -36x³ - 30x² - 18x - 2, l1 = -36x³ - 18x² - 12x + 1, l2 = 6x² + 1
        Fp12 a = powX(t);
        Fp12 b = powX(a);
        Fp12 c = powX(b);
        Fp12 c36 = powSmall(c, 36);
        Fp12 f0 = c36.mul(powSmall(b, 30)).mul(powSmall(a, 18)).mul(t.square()).conjugate();
        Fp12 f1 = c36.mul(powSmall(b, 18)).mul(powSmall(a, 12)).conjugate().mul(t);
        Fp12 f2 = powSmall(b, 6).mul(t);
        return f0.mul(f1.frobenius(1)).mul(f2.frobenius(2)).mul(t.frobenius(3));
    }

    private static Fp12 powX(Fp12 f) {
        return f.pow(X);
    }

    private static Fp12 powSmall(Fp12 f, int e) {
        return f.pow(BigInteger.valueOf(e));
    }
}
