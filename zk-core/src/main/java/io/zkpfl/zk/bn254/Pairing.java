package io.zkpfl.zk.bn254;

import java.math.BigInteger;

/**
 * The optimal ate pairing e: G1 × G2 → GT ⊂ F_p¹² on BN254 (the pairing of EIP-197): a Miller loop
 * over 6x + 2 with the two Frobenius correction steps, then the final exponentiation to the power
 * (p¹² − 1)/r, computed exactly (easy part, then the hard part split into powers of x and p).
 */
public final class Pairing {

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

    private Pairing() {
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

    /** The Miller loop value f_{6x+2,Q}(P) with the ate correction lines (1 if either is infinity). */
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
        Fp2 tx = qx;
        Fp2 ty = qy;
        Fp12 f = Fp12.ONE;
        for (int i = LOOP.bitLength() - 2; i >= 0; i--) {
            Fp2 xx = tx.square();
            Fp2 lambda = xx.dbl().add(xx).mul(ty.dbl().inverse());
            f = f.square().mul(line(lambda, tx, ty, px, py));
            Fp2 nx = lambda.square().sub(tx.dbl());
            ty = lambda.mul(tx.sub(nx)).sub(ty);
            tx = nx;
            if (LOOP.testBit(i)) {
                lambda = qy.sub(ty).mul(qx.sub(tx).inverse());
                f = f.mul(line(lambda, tx, ty, px, py));
                nx = lambda.square().sub(tx).sub(qx);
                ty = lambda.mul(tx.sub(nx)).sub(ty);
                tx = nx;
            }
        }
        Fp2 q1x = qx.conjugate().mul(FROB_X1);
        Fp2 q1y = qy.conjugate().mul(FROB_Y1);
        Fp2 q2x = qx.mul(FROB_X2);
        Fp2 q2y = qy.mul(FROB_Y2).neg();
        Fp2 lambda = q1y.sub(ty).mul(q1x.sub(tx).inverse());
        f = f.mul(line(lambda, tx, ty, px, py));
        Fp2 nx = lambda.square().sub(tx).sub(q1x);
        ty = lambda.mul(tx.sub(nx)).sub(ty);
        tx = nx;
        lambda = q2y.sub(ty).mul(q2x.sub(tx).inverse());
        return f.mul(line(lambda, tx, ty, px, py));
    }

    /**
     * The line of slope λ through the untwisted T = (tx·w², ty·w³), evaluated at P:
     * yP − λ·xP·w + (λ·tx − ty)·w³.
     */
    private static Fp12 line(Fp2 lambda, Fp2 tx, Fp2 ty, Fp px, Fp py) {
        return new Fp12(
                new Fp6(new Fp2(py, Fp.ZERO), Fp2.ZERO, Fp2.ZERO),
                new Fp6(lambda.mul(px).neg(), lambda.mul(tx).sub(ty), Fp2.ZERO));
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
