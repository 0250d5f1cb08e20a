package io.zkpfl.zk.bn254;

import java.math.BigInteger;

/**
 * A point of the BN254 curve E(F_p): y² = x³ + 3, in Jacobian coordinates (X, Y, Z) with
 * x = X/Z², y = Y/Z³; Z = 0 is the point at infinity. Immutable.
 */
public final class G1 {

    static final Fp B = Fp.of(3);

    /** The point at infinity. */
    public static final G1 INFINITY = new G1(Fp.ONE, Fp.ONE, Fp.ZERO);
    /** The standard generator (1, 2). */
    public static final G1 GENERATOR = new G1(Fp.of(1), Fp.of(2), Fp.ONE);

    final Fp x;
    final Fp y;
    final Fp z;

    G1(Fp x, Fp y, Fp z) {
        this.x = x;
        this.y = y;
        this.z = z;
    }

    /**
     * The affine point (x, y).
     *
     * @throws IllegalArgumentException if it is not on the curve (the subgroup is the whole group)
     */
    public static G1 fromAffine(Fp x, Fp y) {
        if (!isOnCurve(x, y)) {
            throw new IllegalArgumentException("G1 point is not on the curve");
        }
        return new G1(x, y, Fp.ONE);
    }

    /** Whether the affine (x, y) satisfies the curve equation. */
    public static boolean isOnCurve(Fp x, Fp y) {
        return y.square().equals(x.square().mul(x).add(B));
    }

    public boolean isInfinity() {
        return z.isZero();
    }

    /** This point normalised to Z = 1 (or the canonical infinity). */
    public G1 normalize() {
        if (isInfinity()) {
            return INFINITY;
        }
        if (z.isOne()) {
            return this;
        }
        Fp zi = z.inverse();
        Fp zi2 = zi.square();
        return new G1(x.mul(zi2), y.mul(zi2).mul(zi), Fp.ONE);
    }

    /** The affine x coordinate (zero for infinity). */
    public Fp affineX() {
        return isInfinity() ? Fp.ZERO : normalize().x;
    }

    /** The affine y coordinate (zero for infinity). */
    public Fp affineY() {
        return isInfinity() ? Fp.ZERO : normalize().y;
    }

    public G1 neg() {
        return isInfinity() ? this : new G1(x, y.neg(), z);
    }

    /** 2·this (dbl-2009-l). */
    public G1 dbl() {
        if (isInfinity() || y.isZero()) {
            return INFINITY;
        }
        Fp a = x.square();
        Fp b = y.square();
        Fp c = b.square();
        Fp d = x.add(b).square().sub(a).sub(c).dbl();
        Fp e = a.dbl().add(a);
        Fp f = e.square();
        Fp x3 = f.sub(d.dbl());
        Fp c8 = c.dbl().dbl().dbl();
        Fp y3 = e.mul(d.sub(x3)).sub(c8);
        Fp z3 = y.mul(z).dbl();
        return new G1(x3, y3, z3);
    }

    /** this + o (add-2007-bl, complete via the doubling and infinity cases). */
    public G1 add(G1 o) {
        if (isInfinity()) {
            return o;
        }
        if (o.isInfinity()) {
            return this;
        }
        if (o.z.isOne()) {
            return addAffine(o.x, o.y);
        }
        Fp z1z1 = z.square();
        Fp z2z2 = o.z.square();
        Fp u1 = x.mul(z2z2);
        Fp u2 = o.x.mul(z1z1);
        Fp s1 = y.mul(o.z).mul(z2z2);
        Fp s2 = o.y.mul(z).mul(z1z1);
        Fp h = u2.sub(u1);
        Fp r = s2.sub(s1).dbl();
        if (h.isZero()) {
            return r.isZero() ? dbl() : INFINITY;
        }
        Fp i = h.dbl().square();
        Fp j = h.mul(i);
        Fp v = u1.mul(i);
        Fp x3 = r.square().sub(j).sub(v.dbl());
        Fp y3 = r.mul(v.sub(x3)).sub(s1.mul(j).dbl());
        Fp z3 = z.add(o.z).square().sub(z1z1).sub(z2z2).mul(h);
        return new G1(x3, y3, z3);
    }

    /** this + (ax, ay) for an affine, finite (ax, ay) (madd-2007-bl). */
    public G1 addAffine(Fp ax, Fp ay) {
        if (isInfinity()) {
            return new G1(ax, ay, Fp.ONE);
        }
        Fp z1z1 = z.square();
        Fp u2 = ax.mul(z1z1);
        Fp s2 = ay.mul(z).mul(z1z1);
        Fp h = u2.sub(x);
        Fp r = s2.sub(y).dbl();
        if (h.isZero()) {
            return r.isZero() ? dbl() : INFINITY;
        }
        Fp hh = h.square();
        Fp i = hh.dbl().dbl();
        Fp j = h.mul(i);
        Fp v = x.mul(i);
        Fp x3 = r.square().sub(j).sub(v.dbl());
        Fp y3 = r.mul(v.sub(x3)).sub(y.mul(j).dbl());
        Fp z3 = z.add(h).square().sub(z1z1).sub(hh);
        return new G1(x3, y3, z3);
    }

    public G1 sub(G1 o) {
        return add(o.neg());
    }

    /** k·this for a scalar in F_r. */
    public G1 mul(Fr k) {
        long[] e = k.canonicalLimbs();
        G1 acc = INFINITY;
        for (int i = 255; i >= 0; i--) {
            acc = acc.dbl();
            if (((e[i >>> 6] >>> (i & 63)) & 1) != 0) {
                acc = acc.add(this);
            }
        }
        return acc;
    }

    /** k·this for any non-negative integer k. */
    public G1 mul(BigInteger k) {
        if (k.signum() < 0) {
            return neg().mul(k.negate());
        }
        G1 acc = INFINITY;
        for (int i = k.bitLength() - 1; i >= 0; i--) {
            acc = acc.dbl();
            if (k.testBit(i)) {
                acc = acc.add(this);
            }
        }
        return acc;
    }

    /** Whether the point is on the curve (always true for points built by this API). */
    public boolean isOnCurve() {
        return isInfinity() || isOnCurve(affineX(), affineY());
    }

    /** Whether the point lies in the order-r subgroup. */
    public boolean isInSubgroup() {
        return isInfinity() || mul(Fr.MODULUS).isInfinity();
    }

    /**
     * Decodes the 64-byte EVM layout x ‖ y (big-endian, all-zero for infinity).
     *
     * @throws IllegalArgumentException on a wrong length, a coordinate ≥ p, or a point off the curve
     */
    public static G1 fromEvmBytes(byte[] b) {
        if (b == null || b.length != 64) {
            throw new IllegalArgumentException("G1 encoding must be 64 bytes");
        }
        Fp px = Fp.fromBytesBE(java.util.Arrays.copyOfRange(b, 0, 32));
        Fp py = Fp.fromBytesBE(java.util.Arrays.copyOfRange(b, 32, 64));
        if (px.isZero() && py.isZero()) {
            return INFINITY;
        }
        return fromAffine(px, py);
    }

    /** The 64-byte EVM layout x ‖ y (all-zero for infinity). */
    public byte[] toEvmBytes() {
        byte[] out = new byte[64];
        if (!isInfinity()) {
            G1 n = normalize();
            System.arraycopy(n.x.toBytesBE(), 0, out, 0, 32);
            System.arraycopy(n.y.toBytesBE(), 0, out, 32, 32);
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof G1 p)) {
            return false;
        }
        if (isInfinity() || p.isInfinity()) {
            return isInfinity() && p.isInfinity();
        }
        Fp z1z1 = z.square();
        Fp z2z2 = p.z.square();
        return x.mul(z2z2).equals(p.x.mul(z1z1)) && y.mul(z2z2).mul(p.z).equals(p.y.mul(z1z1).mul(z));
    }

    @Override
    public int hashCode() {
        return isInfinity() ? 0 : affineX().hashCode();
    }

    @Override
    public String toString() {
        return isInfinity() ? "G1(infinity)" : "G1(" + affineX() + ", " + affineY() + ")";
    }
}
