package io.zkpfl.zk.bn254;

import java.math.BigInteger;
import java.util.random.RandomGenerator;

/**
 * An immutable element of the BN254 scalar field F_r,
 * r = 21888242871839275222246405745257275088548364400416034343698204186575808495617.
 *
 * <p>Stored in Montgomery form (x·2^256 mod r) on four little-endian {@code long} limbs; every
 * operation keeps the limbs fully reduced, so equal elements have equal limbs.
 */
public final class Fr {

    /** The field modulus r. */
    public static final BigInteger MODULUS =
            new BigInteger("21888242871839275222246405745257275088548364400416034343698204186575808495617");

    static final long Q0 = MODULUS.longValue();
    static final long Q1 = MODULUS.shiftRight(64).longValue();
    static final long Q2 = MODULUS.shiftRight(128).longValue();
    static final long Q3 = MODULUS.shiftRight(192).longValue();
    /** -q^-1 mod 2^64. */
    static final long INV = BigInteger.ONE.shiftLeft(64)
            .subtract(MODULUS.modInverse(BigInteger.ONE.shiftLeft(64))).longValue();
    private static final BigInteger R2 = BigInteger.ONE.shiftLeft(512).mod(MODULUS);
    private static final long R2_0 = R2.longValue();
    private static final long R2_1 = R2.shiftRight(64).longValue();
    private static final long R2_2 = R2.shiftRight(128).longValue();
    private static final long R2_3 = R2.shiftRight(192).longValue();
    private static final long[] MINUS_TWO = canonicalLimbsOf(MODULUS.subtract(BigInteger.TWO));

    /** The additive identity. */
    public static final Fr ZERO = new Fr(0, 0, 0, 0);
    /** The multiplicative identity. */
    public static final Fr ONE = mont(1, 0, 0, 0, R2_0, R2_1, R2_2, R2_3);

    final long l0;
    final long l1;
    final long l2;
    final long l3;

    Fr(long l0, long l1, long l2, long l3) {
        this.l0 = l0;
        this.l1 = l1;
        this.l2 = l2;
        this.l3 = l3;
    }

    /** The element {@code v mod r}; a negative {@code v} maps to {@code r - |v|}. */
    public static Fr of(long v) {
        if (v >= 0) {
            return fromLimbsUnchecked(v, 0, 0, 0);
        }
        return v == Long.MIN_VALUE ? of(BigInteger.valueOf(v)) : fromLimbsUnchecked(-v, 0, 0, 0).neg();
    }

    /** The element {@code v mod r} for any integer {@code v}. */
    public static Fr of(BigInteger v) {
        return fromCanonical(v.mod(MODULUS));
    }

    /**
     * The element whose canonical value is {@code v}.
     *
     * @throws IllegalArgumentException if {@code v < 0} or {@code v >= r}
     */
    public static Fr fromCanonical(BigInteger v) {
        if (v.signum() < 0 || v.compareTo(MODULUS) >= 0) {
            throw new IllegalArgumentException("Fr value out of range [0, r)");
        }
        long[] l = canonicalLimbsOf(v);
        return fromLimbsUnchecked(l[0], l[1], l[2], l[3]);
    }

    /**
     * The element encoded as a 32-byte big-endian canonical integer.
     *
     * @throws IllegalArgumentException if the array is not 32 bytes or the value is not below r
     */
    public static Fr fromBytesBE(byte[] b) {
        if (b == null || b.length != 32) {
            throw new IllegalArgumentException("Fr encoding must be 32 bytes");
        }
        long l3 = readLong(b, 0);
        long l2 = readLong(b, 8);
        long l1 = readLong(b, 16);
        long l0 = readLong(b, 24);
        if (!lessThanModulus(l0, l1, l2, l3)) {
            throw new IllegalArgumentException("Fr encoding is not below the modulus r");
        }
        return fromLimbsUnchecked(l0, l1, l2, l3);
    }

    /**
     * The element with canonical little-endian limbs {@code c0..c3}.
     *
     * @throws IllegalArgumentException if the value is not below r
     */
    public static Fr fromCanonicalLimbs(long c0, long c1, long c2, long c3) {
        if (!lessThanModulus(c0, c1, c2, c3)) {
            throw new IllegalArgumentException("Fr limbs are not below the modulus r");
        }
        return fromLimbsUnchecked(c0, c1, c2, c3);
    }

    private static Fr fromLimbsUnchecked(long c0, long c1, long c2, long c3) {
        return mont(c0, c1, c2, c3, R2_0, R2_1, R2_2, R2_3);
    }

    /** A uniformly random element, drawn by rejection sampling from {@code rng}. */
    public static Fr random(RandomGenerator rng) {
        long topMask = -1L >>> Long.numberOfLeadingZeros(Q3);
        while (true) {
            long c0 = rng.nextLong();
            long c1 = rng.nextLong();
            long c2 = rng.nextLong();
            long c3 = rng.nextLong() & topMask;
            if (lessThanModulus(c0, c1, c2, c3)) {
                return fromLimbsUnchecked(c0, c1, c2, c3);
            }
        }
    }

    /** The canonical value in {@code [0, r)}. */
    public BigInteger toBigInteger() {
        long[] c = canonicalLimbs();
        byte[] b = new byte[33];
        writeLong(b, 1, c[3]);
        writeLong(b, 9, c[2]);
        writeLong(b, 17, c[1]);
        writeLong(b, 25, c[0]);
        return new BigInteger(b);
    }

    /** The canonical value as 32 big-endian bytes. */
    public byte[] toBytesBE() {
        long[] c = canonicalLimbs();
        byte[] b = new byte[32];
        writeLong(b, 0, c[3]);
        writeLong(b, 8, c[2]);
        writeLong(b, 16, c[1]);
        writeLong(b, 24, c[0]);
        return b;
    }

    /** The canonical value as four little-endian limbs (a fresh array). */
    public long[] canonicalLimbs() {
        Fr c = mont(l0, l1, l2, l3, 1, 0, 0, 0);
        return new long[] {c.l0, c.l1, c.l2, c.l3};
    }

    /** {@code this + o}. */
    public Fr add(Fr o) {
        long s0 = l0 + o.l0;
        long c = carry(s0, l0);
        long t = l1 + o.l1;
        long c1 = carry(t, l1);
        long s1 = t + c;
        c = c1 | carry(s1, t);
        t = l2 + o.l2;
        c1 = carry(t, l2);
        long s2 = t + c;
        c = c1 | carry(s2, t);
        long s3 = l3 + o.l3 + c;
        return reduceOnce(s0, s1, s2, s3);
    }

    /** {@code this - o}. */
    public Fr sub(Fr o) {
        long d0 = l0 - o.l0;
        long b = borrow(l0, o.l0);
        long t = l1 - o.l1;
        long b1 = borrow(l1, o.l1);
        long d1 = t - b;
        b = b1 | borrow(t, b);
        t = l2 - o.l2;
        b1 = borrow(l2, o.l2);
        long d2 = t - b;
        b = b1 | borrow(t, b);
        t = l3 - o.l3;
        b1 = borrow(l3, o.l3);
        long d3 = t - b;
        b = b1 | borrow(t, b);
        if (b != 0) {
            long e0 = d0 + Q0;
            long c = carry(e0, d0);
            long u = d1 + Q1;
            long c1 = carry(u, d1);
            long e1 = u + c;
            c = c1 | carry(e1, u);
            u = d2 + Q2;
            c1 = carry(u, d2);
            long e2 = u + c;
            c = c1 | carry(e2, u);
            long e3 = d3 + Q3 + c;
            return new Fr(e0, e1, e2, e3);
        }
        return new Fr(d0, d1, d2, d3);
    }

    /** {@code -this}. */
    public Fr neg() {
        return isZero() ? this : ZERO.sub(this);
    }

    /** {@code this · o}. */
    public Fr mul(Fr o) {
        return mont(l0, l1, l2, l3, o.l0, o.l1, o.l2, o.l3);
    }

    /** {@code this²}. */
    public Fr square() {
        return mont(l0, l1, l2, l3, l0, l1, l2, l3);
    }

    /** {@code 2·this}. */
    public Fr dbl() {
        return add(this);
    }

    /**
     * The multiplicative inverse.
     *
     * @throws ArithmeticException if this is zero
     */
    public Fr inverse() {
        if (isZero()) {
            throw new ArithmeticException("inverse of zero in Fr");
        }
        return powLimbs(MINUS_TWO);
    }

    /** {@code this^e}; a negative {@code e} inverts first (ArithmeticException for zero). */
    public Fr pow(long e) {
        if (e < 0) {
            return e == Long.MIN_VALUE ? inverse().pow(Long.MAX_VALUE).mul(inverse()) : inverse().pow(-e);
        }
        return powLimbs(new long[] {e, 0, 0, 0});
    }

    /** {@code this^e} for a non-negative exponent. */
    public Fr pow(BigInteger e) {
        if (e.signum() < 0) {
            return inverse().pow(e.negate());
        }
        Fr acc = ONE;
        for (int i = e.bitLength() - 1; i >= 0; i--) {
            acc = acc.square();
            if (e.testBit(i)) {
                acc = acc.mul(this);
            }
        }
        return acc;
    }

    private Fr powLimbs(long[] e) {
        Fr acc = ONE;
        for (int i = 255; i >= 0; i--) {
            acc = acc.square();
            if (((e[i >>> 6] >>> (i & 63)) & 1) != 0) {
                acc = acc.mul(this);
            }
        }
        return acc;
    }

    /** Whether this is zero. */
    public boolean isZero() {
        return (l0 | l1 | l2 | l3) == 0;
    }

    /** Whether this is one. */
    public boolean isOne() {
        return equals(ONE);
    }

    /**
     * Inverts every element of {@code in} into {@code out} (same length; may be the same array) with
     * one field inversion (Montgomery's trick).
     *
     * @throws ArithmeticException if any element is zero
     */
    public static void batchInverse(Fr[] in, Fr[] out) {
        if (in.length != out.length) {
            throw new IllegalArgumentException("batchInverse: arrays differ in length");
        }
        int n = in.length;
        if (n == 0) {
            return;
        }
        Fr[] prefix = new Fr[n];
        Fr acc = ONE;
        for (int i = 0; i < n; i++) {
            if (in[i].isZero()) {
                throw new ArithmeticException("batchInverse: element " + i + " is zero");
            }
            prefix[i] = acc;
            acc = acc.mul(in[i]);
        }
        Fr inv = acc.inverse();
        for (int i = n - 1; i >= 0; i--) {
            Fr x = in[i];
            out[i] = inv.mul(prefix[i]);
            inv = inv.mul(x);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Fr f && f.l0 == l0 && f.l1 == l1 && f.l2 == l2 && f.l3 == l3;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(l0 * 31 + l1 * 17 + l2 * 7 + l3);
    }

    /** The canonical value in decimal. */
    @Override
    public String toString() {
        return toBigInteger().toString();
    }

    // ---- limb-level kernels ------------------------------------------------------------------

    static long carry(long sum, long addend) {
        return Long.compareUnsigned(sum, addend) < 0 ? 1 : 0;
    }

    static long borrow(long a, long b) {
        return Long.compareUnsigned(a, b) < 0 ? 1 : 0;
    }

    static boolean lessThanModulus(long c0, long c1, long c2, long c3) {
        if (c3 != Q3) {
            return Long.compareUnsigned(c3, Q3) < 0;
        }
        if (c2 != Q2) {
            return Long.compareUnsigned(c2, Q2) < 0;
        }
        if (c1 != Q1) {
            return Long.compareUnsigned(c1, Q1) < 0;
        }
        return Long.compareUnsigned(c0, Q0) < 0;
    }

    /**
     * s − q if s ≥ q, else s. A branch here (unlike in {@link FrLimbs}) keeps dependent chains of
     * value-object operations (pairing, exponentiation) short; ADR 0024.
     */
    private static Fr reduceOnce(long s0, long s1, long s2, long s3) {
        if (lessThanModulus(s0, s1, s2, s3)) {
            return new Fr(s0, s1, s2, s3);
        }
        long d0 = s0 - Q0;
        long b = borrow(s0, Q0);
        long t = s1 - Q1;
        long b1 = borrow(s1, Q1);
        long d1 = t - b;
        b = b1 | borrow(t, b);
        t = s2 - Q2;
        b1 = borrow(s2, Q2);
        long d2 = t - b;
        b = b1 | borrow(t, b);
        long d3 = s3 - Q3 - b;
        return new Fr(d0, d1, d2, d3);
    }

    /**
     * Montgomery product a·b·2^-256 mod q: fully unrolled CIOS in the "no-carry" form (the top limb
     * of q is below 2^63 − 1, so the running sum never needs a fifth word), then one conditional
     * subtraction.
     */
    static Fr mont(long a0, long a1, long a2, long a3, long b0, long b1, long b2, long b3) {
        long t0, t1, t2, t3, A, C, m, lo, hi, s;
        // i = 0
        t0 = a0 * b0;
        A = Math.unsignedMultiplyHigh(a0, b0);
        m = t0 * INV;
        lo = m * Q0;
        s = lo + t0;
        C = Math.unsignedMultiplyHigh(m, Q0) + carry(s, lo);
        lo = a1 * b0;
        t1 = lo + A;
        A = Math.unsignedMultiplyHigh(a1, b0) + carry(t1, lo);
        lo = m * Q1;
        hi = Math.unsignedMultiplyHigh(m, Q1);
        s = lo + t1;
        hi += carry(s, lo);
        t0 = s + C;
        C = hi + carry(t0, s);
        lo = a2 * b0;
        t2 = lo + A;
        A = Math.unsignedMultiplyHigh(a2, b0) + carry(t2, lo);
        lo = m * Q2;
        hi = Math.unsignedMultiplyHigh(m, Q2);
        s = lo + t2;
        hi += carry(s, lo);
        t1 = s + C;
        C = hi + carry(t1, s);
        lo = a3 * b0;
        t3 = lo + A;
        A = Math.unsignedMultiplyHigh(a3, b0) + carry(t3, lo);
        lo = m * Q3;
        hi = Math.unsignedMultiplyHigh(m, Q3);
        s = lo + t3;
        hi += carry(s, lo);
        t2 = s + C;
        C = hi + carry(t2, s);
        t3 = C + A;
        // i = 1
        lo = a0 * b1;
        hi = Math.unsignedMultiplyHigh(a0, b1);
        t0 += lo;
        A = hi + carry(t0, lo);
        m = t0 * INV;
        lo = m * Q0;
        s = lo + t0;
        C = Math.unsignedMultiplyHigh(m, Q0) + carry(s, lo);
        lo = a1 * b1;
        hi = Math.unsignedMultiplyHigh(a1, b1);
        s = lo + t1;
        hi += carry(s, lo);
        t1 = s + A;
        A = hi + carry(t1, s);
        lo = m * Q1;
        hi = Math.unsignedMultiplyHigh(m, Q1);
        s = lo + t1;
        hi += carry(s, lo);
        t0 = s + C;
        C = hi + carry(t0, s);
        lo = a2 * b1;
        hi = Math.unsignedMultiplyHigh(a2, b1);
        s = lo + t2;
        hi += carry(s, lo);
        t2 = s + A;
        A = hi + carry(t2, s);
        lo = m * Q2;
        hi = Math.unsignedMultiplyHigh(m, Q2);
        s = lo + t2;
        hi += carry(s, lo);
        t1 = s + C;
        C = hi + carry(t1, s);
        lo = a3 * b1;
        hi = Math.unsignedMultiplyHigh(a3, b1);
        s = lo + t3;
        hi += carry(s, lo);
        t3 = s + A;
        A = hi + carry(t3, s);
        lo = m * Q3;
        hi = Math.unsignedMultiplyHigh(m, Q3);
        s = lo + t3;
        hi += carry(s, lo);
        t2 = s + C;
        C = hi + carry(t2, s);
        t3 = C + A;
        // i = 2
        lo = a0 * b2;
        hi = Math.unsignedMultiplyHigh(a0, b2);
        t0 += lo;
        A = hi + carry(t0, lo);
        m = t0 * INV;
        lo = m * Q0;
        s = lo + t0;
        C = Math.unsignedMultiplyHigh(m, Q0) + carry(s, lo);
        lo = a1 * b2;
        hi = Math.unsignedMultiplyHigh(a1, b2);
        s = lo + t1;
        hi += carry(s, lo);
        t1 = s + A;
        A = hi + carry(t1, s);
        lo = m * Q1;
        hi = Math.unsignedMultiplyHigh(m, Q1);
        s = lo + t1;
        hi += carry(s, lo);
        t0 = s + C;
        C = hi + carry(t0, s);
        lo = a2 * b2;
        hi = Math.unsignedMultiplyHigh(a2, b2);
        s = lo + t2;
        hi += carry(s, lo);
        t2 = s + A;
        A = hi + carry(t2, s);
        lo = m * Q2;
        hi = Math.unsignedMultiplyHigh(m, Q2);
        s = lo + t2;
        hi += carry(s, lo);
        t1 = s + C;
        C = hi + carry(t1, s);
        lo = a3 * b2;
        hi = Math.unsignedMultiplyHigh(a3, b2);
        s = lo + t3;
        hi += carry(s, lo);
        t3 = s + A;
        A = hi + carry(t3, s);
        lo = m * Q3;
        hi = Math.unsignedMultiplyHigh(m, Q3);
        s = lo + t3;
        hi += carry(s, lo);
        t2 = s + C;
        C = hi + carry(t2, s);
        t3 = C + A;
        // i = 3
        lo = a0 * b3;
        hi = Math.unsignedMultiplyHigh(a0, b3);
        t0 += lo;
        A = hi + carry(t0, lo);
        m = t0 * INV;
        lo = m * Q0;
        s = lo + t0;
        C = Math.unsignedMultiplyHigh(m, Q0) + carry(s, lo);
        lo = a1 * b3;
        hi = Math.unsignedMultiplyHigh(a1, b3);
        s = lo + t1;
        hi += carry(s, lo);
        t1 = s + A;
        A = hi + carry(t1, s);
        lo = m * Q1;
        hi = Math.unsignedMultiplyHigh(m, Q1);
        s = lo + t1;
        hi += carry(s, lo);
        t0 = s + C;
        C = hi + carry(t0, s);
        lo = a2 * b3;
        hi = Math.unsignedMultiplyHigh(a2, b3);
        s = lo + t2;
        hi += carry(s, lo);
        t2 = s + A;
        A = hi + carry(t2, s);
        lo = m * Q2;
        hi = Math.unsignedMultiplyHigh(m, Q2);
        s = lo + t2;
        hi += carry(s, lo);
        t1 = s + C;
        C = hi + carry(t1, s);
        lo = a3 * b3;
        hi = Math.unsignedMultiplyHigh(a3, b3);
        s = lo + t3;
        hi += carry(s, lo);
        t3 = s + A;
        A = hi + carry(t3, s);
        lo = m * Q3;
        hi = Math.unsignedMultiplyHigh(m, Q3);
        s = lo + t3;
        hi += carry(s, lo);
        t2 = s + C;
        C = hi + carry(t2, s);
        t3 = C + A;
        return reduceOnce(t0, t1, t2, t3);
    }

    static long[] canonicalLimbsOf(BigInteger v) {
        return new long[] {
            v.longValue(), v.shiftRight(64).longValue(), v.shiftRight(128).longValue(), v.shiftRight(192).longValue()
        };
    }

    private static long readLong(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xFFL);
        }
        return v;
    }

    private static void writeLong(byte[] b, int off, long v) {
        for (int i = 7; i >= 0; i--) {
            b[off + i] = (byte) v;
            v >>>= 8;
        }
    }
}
