package io.zkpfl.zk.bn254;

import java.math.BigInteger;

/** An element {@code c0 + c1·u} of F_p² = F_p[u]/(u² + 1). */
public record Fp2(Fp c0, Fp c1) {

    /** Zero. */
    public static final Fp2 ZERO = new Fp2(Fp.ZERO, Fp.ZERO);
    /** One. */
    public static final Fp2 ONE = new Fp2(Fp.ONE, Fp.ZERO);
    /** The sextic non-residue ξ = 9 + u defining F_p⁶ and the twist. */
    public static final Fp2 XI = new Fp2(Fp.of(9), Fp.ONE);

    /** The element {@code a + b·u} from canonical integers. */
    public static Fp2 of(BigInteger a, BigInteger b) {
        return new Fp2(Fp.fromCanonical(a), Fp.fromCanonical(b));
    }

    public Fp2 add(Fp2 o) {
        return new Fp2(c0.add(o.c0), c1.add(o.c1));
    }

    public Fp2 sub(Fp2 o) {
        return new Fp2(c0.sub(o.c0), c1.sub(o.c1));
    }

    public Fp2 neg() {
        return new Fp2(c0.neg(), c1.neg());
    }

    public Fp2 dbl() {
        return new Fp2(c0.dbl(), c1.dbl());
    }

    public Fp2 mul(Fp2 o) {
        Fp t0 = c0.mul(o.c0);
        Fp t1 = c1.mul(o.c1);
        Fp t2 = c0.add(c1).mul(o.c0.add(o.c1));
        return new Fp2(t0.sub(t1), t2.sub(t0).sub(t1));
    }

    public Fp2 square() {
        Fp t = c0.mul(c1);
        return new Fp2(c0.add(c1).mul(c0.sub(c1)), t.dbl());
    }

    /** Multiplication by an element of the base field. */
    public Fp2 mul(Fp s) {
        return new Fp2(c0.mul(s), c1.mul(s));
    }

    /** Multiplication by ξ = 9 + u. */
    public Fp2 mulByXi() {
        Fp a8 = c0.dbl().dbl().dbl();
        Fp b8 = c1.dbl().dbl().dbl();
        return new Fp2(a8.add(c0).sub(c1), c0.add(b8).add(c1));
    }

    /** The Frobenius image {@code c0 - c1·u}. */
    public Fp2 conjugate() {
        return new Fp2(c0, c1.neg());
    }

    /**
     * The inverse.
     *
     * @throws ArithmeticException for zero
     */
    public Fp2 inverse() {
        Fp norm = c0.square().add(c1.square());
        Fp inv = norm.inverse();
        return new Fp2(c0.mul(inv), c1.neg().mul(inv));
    }

    /**
     * Inverts every element of {@code in} into {@code out} with one inversion (Montgomery's trick).
     *
     * @throws ArithmeticException if any element is zero
     */
    public static void batchInverse(Fp2[] in, Fp2[] out) {
        int n = in.length;
        if (n == 0) {
            return;
        }
        Fp2[] prefix = new Fp2[n];
        Fp2 acc = ONE;
        for (int i = 0; i < n; i++) {
            prefix[i] = acc;
            acc = acc.mul(in[i]);
        }
        Fp2 inv = acc.inverse();
        for (int i = n - 1; i >= 0; i--) {
            Fp2 x = in[i];
            out[i] = inv.mul(prefix[i]);
            inv = inv.mul(x);
        }
    }

    public Fp2 pow(BigInteger e) {
        if (e.signum() < 0) {
            return inverse().pow(e.negate());
        }
        Fp2 acc = ONE;
        for (int i = e.bitLength() - 1; i >= 0; i--) {
            acc = acc.square();
            if (e.testBit(i)) {
                acc = acc.mul(this);
            }
        }
        return acc;
    }

    /**
     * A square root (p ≡ 3 mod 4, via the norm: x0 = √((a + √N)/2), x1 = b/(2·x0)), or null if this
     * element is not a square.
     */
    public Fp2 sqrt() {
        if (isZero()) {
            return this;
        }
        BigInteger e = Fp.MODULUS.add(BigInteger.ONE).shiftRight(2);
        Fp n = c0.square().add(c1.square()).pow(e);
        Fp half = Fp.of(2).inverse();
        Fp t = c0.add(n).mul(half);
        Fp x0 = t.pow(e);
        if (!x0.square().equals(t)) {
            t = c0.sub(n).mul(half);
            x0 = t.pow(e);
        }
        Fp2 r = x0.isZero() ? new Fp2(Fp.ZERO, c1.mul(half).pow(e)) : new Fp2(x0, c1.mul(x0.dbl().inverse()));
        return r.square().equals(this) ? r : null;
    }

    public boolean isZero() {
        return c0.isZero() && c1.isZero();
    }

    public boolean isOne() {
        return c0.isOne() && c1.isZero();
    }

    @Override
    public String toString() {
        return "(" + c0 + " + " + c1 + "·u)";
    }
}
