package io.zkpfl.zk.bn254;

import java.math.BigInteger;

/**
 * A point of the BN254 curve twist E'(F_p²): y² = x³ + 3/ξ, in Jacobian coordinates (X, Y, Z) with
 * x = X/Z², y = Y/Z³; Z = 0 is the point at infinity. Immutable.
 */
public final class G2 {

    static final Fp2 B = new Fp2(Fp.of(3), Fp.ZERO).mul(Fp2.XI.inverse());
    /** The BN seed x (the curve's "u"), 63 bits. */
    static final long SEED = 4965661367192848881L;
    /** ψ's x factor ξ^((p−1)/3). */
    static final Fp2 PSI_X = Fp2.XI.pow(Fp.MODULUS.subtract(BigInteger.ONE).divide(BigInteger.valueOf(3)));
    /** ψ's y factor ξ^((p−1)/2). */
    static final Fp2 PSI_Y = Fp2.XI.pow(Fp.MODULUS.subtract(BigInteger.ONE).shiftRight(1));

    /** The point at infinity. */
    public static final G2 INFINITY = new G2(Fp2.ONE, Fp2.ONE, Fp2.ZERO);
    /** The standard generator of the order-r subgroup (as in EIP-197). */
    public static final G2 GENERATOR = new G2(
            Fp2.of(new BigInteger("10857046999023057135944570762232829481370756359578518086990519993285655852781"),
                    new BigInteger("11559732032986387107991004021392285783925812861821192530917403151452391805634")),
            Fp2.of(new BigInteger("8495653923123431417604973247489272438418190587263600148770280649306958101930"),
                    new BigInteger("4082367875863433681332203403145435568316851327593401208105741076214120093531")),
            Fp2.ONE);

    final Fp2 x;
    final Fp2 y;
    final Fp2 z;

    G2(Fp2 x, Fp2 y, Fp2 z) {
        this.x = x;
        this.y = y;
        this.z = z;
    }

    /**
     * The affine point (x, y).
     *
     * @throws IllegalArgumentException if it is not on the curve (membership of the order-r subgroup is checked by {@link #isInSubgroup()})
     */
    public static G2 fromAffine(Fp2 x, Fp2 y) {
        if (!isOnCurve(x, y)) {
            throw new IllegalArgumentException("G2 point is not on the curve");
        }
        return new G2(x, y, Fp2.ONE);
    }

    /** Whether the affine (x, y) satisfies the curve equation. */
    public static boolean isOnCurve(Fp2 x, Fp2 y) {
        return y.square().equals(x.square().mul(x).add(B));
    }

    public boolean isInfinity() {
        return z.isZero();
    }

    /** This point normalised to Z = 1 (or the canonical infinity). */
    public G2 normalize() {
        if (isInfinity()) {
            return INFINITY;
        }
        if (z.isOne()) {
            return this;
        }
        Fp2 zi = z.inverse();
        Fp2 zi2 = zi.square();
        return new G2(x.mul(zi2), y.mul(zi2).mul(zi), Fp2.ONE);
    }

    /** The affine x coordinate (zero for infinity). */
    public Fp2 affineX() {
        return isInfinity() ? Fp2.ZERO : normalize().x;
    }

    /** The affine y coordinate (zero for infinity). */
    public Fp2 affineY() {
        return isInfinity() ? Fp2.ZERO : normalize().y;
    }

    public G2 neg() {
        return isInfinity() ? this : new G2(x, y.neg(), z);
    }

    /** 2·this (dbl-2009-l). */
    public G2 dbl() {
        if (isInfinity() || y.isZero()) {
            return INFINITY;
        }
        Fp2 a = x.square();
        Fp2 b = y.square();
        Fp2 c = b.square();
        Fp2 d = x.add(b).square().sub(a).sub(c).dbl();
        Fp2 e = a.dbl().add(a);
        Fp2 f = e.square();
        Fp2 x3 = f.sub(d.dbl());
        Fp2 c8 = c.dbl().dbl().dbl();
        Fp2 y3 = e.mul(d.sub(x3)).sub(c8);
        Fp2 z3 = y.mul(z).dbl();
        return new G2(x3, y3, z3);
    }

    /** this + o (add-2007-bl, complete via the doubling and infinity cases). */
    public G2 add(G2 o) {
        if (isInfinity()) {
            return o;
        }
        if (o.isInfinity()) {
            return this;
        }
        if (o.z.isOne()) {
            return addAffine(o.x, o.y);
        }
        Fp2 z1z1 = z.square();
        Fp2 z2z2 = o.z.square();
        Fp2 u1 = x.mul(z2z2);
        Fp2 u2 = o.x.mul(z1z1);
        Fp2 s1 = y.mul(o.z).mul(z2z2);
        Fp2 s2 = o.y.mul(z).mul(z1z1);
        Fp2 h = u2.sub(u1);
        Fp2 r = s2.sub(s1).dbl();
        if (h.isZero()) {
            return r.isZero() ? dbl() : INFINITY;
        }
        Fp2 i = h.dbl().square();
        Fp2 j = h.mul(i);
        Fp2 v = u1.mul(i);
        Fp2 x3 = r.square().sub(j).sub(v.dbl());
        Fp2 y3 = r.mul(v.sub(x3)).sub(s1.mul(j).dbl());
        Fp2 z3 = z.add(o.z).square().sub(z1z1).sub(z2z2).mul(h);
        return new G2(x3, y3, z3);
    }

    /** this + (ax, ay) for an affine, finite (ax, ay) (madd-2007-bl). */
    public G2 addAffine(Fp2 ax, Fp2 ay) {
        if (isInfinity()) {
            return new G2(ax, ay, Fp2.ONE);
        }
        Fp2 z1z1 = z.square();
        Fp2 u2 = ax.mul(z1z1);
        Fp2 s2 = ay.mul(z).mul(z1z1);
        Fp2 h = u2.sub(x);
        Fp2 r = s2.sub(y).dbl();
        if (h.isZero()) {
            return r.isZero() ? dbl() : INFINITY;
        }
        Fp2 hh = h.square();
        Fp2 i = hh.dbl().dbl();
        Fp2 j = h.mul(i);
        Fp2 v = x.mul(i);
        Fp2 x3 = r.square().sub(j).sub(v.dbl());
        Fp2 y3 = r.mul(v.sub(x3)).sub(y.mul(j).dbl());
        Fp2 z3 = z.add(h).square().sub(z1z1).sub(hh);
        return new G2(x3, y3, z3);
    }

    public G2 sub(G2 o) {
        return add(o.neg());
    }

    /** k·this for a scalar in F_r. */
    public G2 mul(Fr k) {
        long[] e = k.canonicalLimbs();
        G2 acc = INFINITY;
        for (int i = 255; i >= 0; i--) {
            acc = acc.dbl();
            if (((e[i >>> 6] >>> (i & 63)) & 1) != 0) {
                acc = acc.add(this);
            }
        }
        return acc;
    }

    /** k·this for any non-negative integer k. */
    public G2 mul(BigInteger k) {
        if (k.signum() < 0) {
            return neg().mul(k.negate());
        }
        G2 acc = INFINITY;
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

    /**
     * Whether the point (assumed on the twist) lies in the order-r subgroup G2, by the endomorphism
     * test of Dai, Lin, Zhao and Zhou, "Fast subgroup membership testings for G1, G2 and GT on
     * pairing-friendly curves" (ePrint 2022/348, §5.1 for BN curves): P ∈ G2 iff
     * [x+1]P + ψ([x]P) + ψ²([x]P) = ψ³([2x]P), valid because the BN254 seed x satisfies
     * x ≢ 4 (mod 13) and x ≢ 92 (mod 97). It costs one 63-bit scalar multiplication instead of the
     * 254-bit [r]P.
     */
    public boolean isInSubgroup() {
        if (isInfinity()) {
            return true;
        }
        G2 xp = mulBySeed();
        G2 psiXp = xp.psi();
        G2 lhs = xp.add(this).add(psiXp).add(psiXp.psi());
        G2 rhs = xp.dbl().psi().psi().psi();
        return lhs.equals(rhs);
    }

    /**
     * The untwist-Frobenius-twist endomorphism ψ(x, y) = (x̄·ξ^((p−1)/3), ȳ·ξ^((p−1)/2)) (Galbraith–Scott),
     * applied to Jacobian coordinates (Z is conjugated too). On G2 it acts as multiplication by p mod r.
     */
    public G2 psi() {
        if (isInfinity()) {
            return INFINITY;
        }
        return new G2(x.conjugate().mul(PSI_X), y.conjugate().mul(PSI_Y), z.conjugate());
    }

    /** [x]P for the BN seed x, by double-and-add over its 63 bits. */
    G2 mulBySeed() {
        G2 acc = this;
        for (int i = 62 - Long.numberOfLeadingZeros(SEED); i >= 0; i--) {
            acc = acc.dbl();
            if (((SEED >>> i) & 1) != 0) {
                acc = acc.add(this);
            }
        }
        return acc;
    }

    /**
     * Decodes the 128-byte EVM layout x.im ‖ x.re ‖ y.im ‖ y.re (all-zero for infinity) and checks
     * that the point is on the twist and in the order-r subgroup.
     *
     * @throws IllegalArgumentException on a wrong length, a coordinate ≥ p, or a point off the
     *     curve or outside the subgroup
     */
    public static G2 fromEvmBytes(byte[] b) {
        if (b == null || b.length != 128) {
            throw new IllegalArgumentException("G2 encoding must be 128 bytes");
        }
        Fp xi = Fp.fromBytesBE(java.util.Arrays.copyOfRange(b, 0, 32));
        Fp xr = Fp.fromBytesBE(java.util.Arrays.copyOfRange(b, 32, 64));
        Fp yi = Fp.fromBytesBE(java.util.Arrays.copyOfRange(b, 64, 96));
        Fp yr = Fp.fromBytesBE(java.util.Arrays.copyOfRange(b, 96, 128));
        if (xi.isZero() && xr.isZero() && yi.isZero() && yr.isZero()) {
            return INFINITY;
        }
        return fromAffineInSubgroup(new Fp2(xr, xi), new Fp2(yr, yi));
    }

    /**
     * The affine point (x, y), checked to be on the twist and in the order-r subgroup.
     *
     * @throws IllegalArgumentException otherwise
     */
    public static G2 fromAffineInSubgroup(Fp2 x, Fp2 y) {
        G2 q = fromAffine(x, y);
        if (!q.isInSubgroup()) {
            throw new IllegalArgumentException("G2 point is not in the order-r subgroup");
        }
        return q;
    }

    /** The 128-byte EVM layout x.im ‖ x.re ‖ y.im ‖ y.re (all-zero for infinity). */
    public byte[] toEvmBytes() {
        byte[] out = new byte[128];
        if (!isInfinity()) {
            G2 n = normalize();
            System.arraycopy(n.x.c1().toBytesBE(), 0, out, 0, 32);
            System.arraycopy(n.x.c0().toBytesBE(), 0, out, 32, 32);
            System.arraycopy(n.y.c1().toBytesBE(), 0, out, 64, 32);
            System.arraycopy(n.y.c0().toBytesBE(), 0, out, 96, 32);
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof G2 p)) {
            return false;
        }
        if (isInfinity() || p.isInfinity()) {
            return isInfinity() && p.isInfinity();
        }
        Fp2 z1z1 = z.square();
        Fp2 z2z2 = p.z.square();
        return x.mul(z2z2).equals(p.x.mul(z1z1)) && y.mul(z2z2).mul(p.z).equals(p.y.mul(z1z1).mul(z));
    }

    @Override
    public int hashCode() {
        return isInfinity() ? 0 : affineX().hashCode();
    }

    @Override
    public String toString() {
        return isInfinity() ? "G2(infinity)" : "G2(" + affineX() + ", " + affineY() + ")";
    }
}
