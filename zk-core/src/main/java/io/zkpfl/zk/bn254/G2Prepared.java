package io.zkpfl.zk.bn254;

/**
 * The Miller-loop lines of a fixed G2 point Q, precomputed once: for every doubling and addition
 * step of the optimal ate loop the three F_p² coefficients (a, b, c) of the line
 * a·y_P + b·x_P·w + c·w³, so that a pairing with Q only evaluates them at P. A verifying key
 * prepares β, γ and δ this way; {@link Pairing} prepares variable points on the fly.
 */
public final class G2Prepared {

    private static final Fp INV_TWO = Fp.of(2).inverse();
    /** 3·b' for the twist y² = x³ + b', b' = 3/ξ. */
    private static final Fp2 THREE_B = G2.B.dbl().add(G2.B);

    /** Line coefficients, three per step, in loop order; empty for infinity. */
    final Fp2[] lines;

    private G2Prepared(Fp2[] lines) {
        this.lines = lines;
    }

    /** Whether Q was the point at infinity (its pairing with anything is 1). */
    public boolean isInfinity() {
        return lines.length == 0;
    }

    /** Precomputes the lines of {@code q}. */
    public static G2Prepared of(G2 q) {
        if (q.isInfinity()) {
            return new G2Prepared(new Fp2[0]);
        }
        G2 qa = q.normalize();
        Fp2 qx = qa.x;
        Fp2 qy = qa.y;
        Fp2 nqy = qy.neg();
        int[] digits = Pairing.LOOP_NAF;
        int steps = 0;
        for (int i = 1; i < digits.length; i++) {
            steps += digits[i] == 0 ? 1 : 2;
        }
        Fp2[] out = new Fp2[3 * (steps + 2)];
        // T in homogeneous projective coordinates (x = X/Z, y = Y/Z)
        Fp2[] t = {qx, qy, Fp2.ONE};
        int k = 0;
        for (int i = 1; i < digits.length; i++) {
            k = doubling(t, out, k);
            if (digits[i] != 0) {
                k = addition(t, qx, digits[i] > 0 ? qy : nqy, out, k);
            }
        }
        G2 q1 = qa.psi();
        G2 q2 = q1.psi().neg();
        k = addition(t, q1.x, q1.y, out, k);
        addition(t, q2.x, q2.y, out, k);
        return new G2Prepared(out);
    }

    /**
     * T ← 2T (Costello–Lange–Naehrig doubling for a = 0) and the tangent line at T, scaled by 2YZ:
     * 2YZ·y_P − 3X²·x_P·w + (Y² − 3b'Z²)·w³.
     */
    private static int doubling(Fp2[] t, Fp2[] out, int k) {
        Fp2 x = t[0];
        Fp2 y = t[1];
        Fp2 z = t[2];
        Fp2 a = x.mul(y).mul(INV_TWO);
        Fp2 b = y.square();
        Fp2 c = z.square();
        Fp2 e = THREE_B.mul(c);
        Fp2 f = e.dbl().add(e);
        Fp2 g = b.add(f).mul(INV_TWO);
        Fp2 h = y.add(z).square().sub(b).sub(c);
        Fp2 j = x.square();
        Fp2 ee = e.square();
        t[0] = a.mul(b.sub(f));
        t[1] = g.square().sub(ee.dbl().add(ee));
        t[2] = b.mul(h);
        out[k] = h;
        out[k + 1] = j.dbl().add(j).neg();
        out[k + 2] = b.sub(e);
        return k + 3;
    }

    /**
     * T ← T + Q for an affine Q (mixed homogeneous addition) and the line through T and Q, scaled
     * by v = x_Q·Z − X: v·y_P − u·x_P·w + (u·x_Q − v·y_Q)·w³ with u = y_Q·Z − Y.
     */
    private static int addition(Fp2[] t, Fp2 qx, Fp2 qy, Fp2[] out, int k) {
        Fp2 x = t[0];
        Fp2 y = t[1];
        Fp2 z = t[2];
        Fp2 u = qy.mul(z).sub(y);
        Fp2 v = qx.mul(z).sub(x);
        Fp2 vv = v.square();
        Fp2 vvv = v.mul(vv);
        Fp2 vvx = vv.mul(x);
        Fp2 a = u.square().mul(z).sub(vvv).sub(vvx.dbl());
        t[0] = v.mul(a);
        t[1] = u.mul(vvx.sub(a)).sub(vvv.mul(y));
        t[2] = vvv.mul(z);
        out[k] = v;
        out[k + 1] = u.neg();
        out[k + 2] = u.mul(qx).sub(v.mul(qy));
        return k + 3;
    }
}
