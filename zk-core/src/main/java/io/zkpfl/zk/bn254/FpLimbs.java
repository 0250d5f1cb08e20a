package io.zkpfl.zk.bn254;

/**
 * F_p arithmetic on raw Montgomery limbs in {@code long[]} arrays (4 limbs per element at a given
 * offset), for allocation-free inner loops such as MSM bucket accumulation and NTT
 * butterflies. Outputs may alias inputs. Same representation as {@link Fp}.
 */
final class FpLimbs {

    private FpLimbs() {
    }

    /** r = a·b (Montgomery), the unrolled CIOS kernel of {@link Fp#mont}. */
    static void mul(long[] a, int ao, long[] b, int bo, long[] r, int ro) {
        long a0 = a[ao], a1 = a[ao + 1], a2 = a[ao + 2], a3 = a[ao + 3];
        long b0 = b[bo], b1 = b[bo + 1], b2 = b[bo + 2], b3 = b[bo + 3];
        long t0, t1, t2, t3, A, C, m, lo, hi, s;
        // i = 0
        t0 = a0 * b0;
        A = Math.unsignedMultiplyHigh(a0, b0);
        m = t0 * Fp.INV;
        lo = m * Fp.Q0;
        s = lo + t0;
        C = Math.unsignedMultiplyHigh(m, Fp.Q0) + Fp.carry(s, lo);
        lo = a1 * b0;
        t1 = lo + A;
        A = Math.unsignedMultiplyHigh(a1, b0) + Fp.carry(t1, lo);
        lo = m * Fp.Q1;
        hi = Math.unsignedMultiplyHigh(m, Fp.Q1);
        s = lo + t1;
        hi += Fp.carry(s, lo);
        t0 = s + C;
        C = hi + Fp.carry(t0, s);
        lo = a2 * b0;
        t2 = lo + A;
        A = Math.unsignedMultiplyHigh(a2, b0) + Fp.carry(t2, lo);
        lo = m * Fp.Q2;
        hi = Math.unsignedMultiplyHigh(m, Fp.Q2);
        s = lo + t2;
        hi += Fp.carry(s, lo);
        t1 = s + C;
        C = hi + Fp.carry(t1, s);
        lo = a3 * b0;
        t3 = lo + A;
        A = Math.unsignedMultiplyHigh(a3, b0) + Fp.carry(t3, lo);
        lo = m * Fp.Q3;
        hi = Math.unsignedMultiplyHigh(m, Fp.Q3);
        s = lo + t3;
        hi += Fp.carry(s, lo);
        t2 = s + C;
        C = hi + Fp.carry(t2, s);
        t3 = C + A;
        // i = 1
        lo = a0 * b1;
        hi = Math.unsignedMultiplyHigh(a0, b1);
        t0 += lo;
        A = hi + Fp.carry(t0, lo);
        m = t0 * Fp.INV;
        lo = m * Fp.Q0;
        s = lo + t0;
        C = Math.unsignedMultiplyHigh(m, Fp.Q0) + Fp.carry(s, lo);
        lo = a1 * b1;
        hi = Math.unsignedMultiplyHigh(a1, b1);
        s = lo + t1;
        hi += Fp.carry(s, lo);
        t1 = s + A;
        A = hi + Fp.carry(t1, s);
        lo = m * Fp.Q1;
        hi = Math.unsignedMultiplyHigh(m, Fp.Q1);
        s = lo + t1;
        hi += Fp.carry(s, lo);
        t0 = s + C;
        C = hi + Fp.carry(t0, s);
        lo = a2 * b1;
        hi = Math.unsignedMultiplyHigh(a2, b1);
        s = lo + t2;
        hi += Fp.carry(s, lo);
        t2 = s + A;
        A = hi + Fp.carry(t2, s);
        lo = m * Fp.Q2;
        hi = Math.unsignedMultiplyHigh(m, Fp.Q2);
        s = lo + t2;
        hi += Fp.carry(s, lo);
        t1 = s + C;
        C = hi + Fp.carry(t1, s);
        lo = a3 * b1;
        hi = Math.unsignedMultiplyHigh(a3, b1);
        s = lo + t3;
        hi += Fp.carry(s, lo);
        t3 = s + A;
        A = hi + Fp.carry(t3, s);
        lo = m * Fp.Q3;
        hi = Math.unsignedMultiplyHigh(m, Fp.Q3);
        s = lo + t3;
        hi += Fp.carry(s, lo);
        t2 = s + C;
        C = hi + Fp.carry(t2, s);
        t3 = C + A;
        // i = 2
        lo = a0 * b2;
        hi = Math.unsignedMultiplyHigh(a0, b2);
        t0 += lo;
        A = hi + Fp.carry(t0, lo);
        m = t0 * Fp.INV;
        lo = m * Fp.Q0;
        s = lo + t0;
        C = Math.unsignedMultiplyHigh(m, Fp.Q0) + Fp.carry(s, lo);
        lo = a1 * b2;
        hi = Math.unsignedMultiplyHigh(a1, b2);
        s = lo + t1;
        hi += Fp.carry(s, lo);
        t1 = s + A;
        A = hi + Fp.carry(t1, s);
        lo = m * Fp.Q1;
        hi = Math.unsignedMultiplyHigh(m, Fp.Q1);
        s = lo + t1;
        hi += Fp.carry(s, lo);
        t0 = s + C;
        C = hi + Fp.carry(t0, s);
        lo = a2 * b2;
        hi = Math.unsignedMultiplyHigh(a2, b2);
        s = lo + t2;
        hi += Fp.carry(s, lo);
        t2 = s + A;
        A = hi + Fp.carry(t2, s);
        lo = m * Fp.Q2;
        hi = Math.unsignedMultiplyHigh(m, Fp.Q2);
        s = lo + t2;
        hi += Fp.carry(s, lo);
        t1 = s + C;
        C = hi + Fp.carry(t1, s);
        lo = a3 * b2;
        hi = Math.unsignedMultiplyHigh(a3, b2);
        s = lo + t3;
        hi += Fp.carry(s, lo);
        t3 = s + A;
        A = hi + Fp.carry(t3, s);
        lo = m * Fp.Q3;
        hi = Math.unsignedMultiplyHigh(m, Fp.Q3);
        s = lo + t3;
        hi += Fp.carry(s, lo);
        t2 = s + C;
        C = hi + Fp.carry(t2, s);
        t3 = C + A;
        // i = 3
        lo = a0 * b3;
        hi = Math.unsignedMultiplyHigh(a0, b3);
        t0 += lo;
        A = hi + Fp.carry(t0, lo);
        m = t0 * Fp.INV;
        lo = m * Fp.Q0;
        s = lo + t0;
        C = Math.unsignedMultiplyHigh(m, Fp.Q0) + Fp.carry(s, lo);
        lo = a1 * b3;
        hi = Math.unsignedMultiplyHigh(a1, b3);
        s = lo + t1;
        hi += Fp.carry(s, lo);
        t1 = s + A;
        A = hi + Fp.carry(t1, s);
        lo = m * Fp.Q1;
        hi = Math.unsignedMultiplyHigh(m, Fp.Q1);
        s = lo + t1;
        hi += Fp.carry(s, lo);
        t0 = s + C;
        C = hi + Fp.carry(t0, s);
        lo = a2 * b3;
        hi = Math.unsignedMultiplyHigh(a2, b3);
        s = lo + t2;
        hi += Fp.carry(s, lo);
        t2 = s + A;
        A = hi + Fp.carry(t2, s);
        lo = m * Fp.Q2;
        hi = Math.unsignedMultiplyHigh(m, Fp.Q2);
        s = lo + t2;
        hi += Fp.carry(s, lo);
        t1 = s + C;
        C = hi + Fp.carry(t1, s);
        lo = a3 * b3;
        hi = Math.unsignedMultiplyHigh(a3, b3);
        s = lo + t3;
        hi += Fp.carry(s, lo);
        t3 = s + A;
        A = hi + Fp.carry(t3, s);
        lo = m * Fp.Q3;
        hi = Math.unsignedMultiplyHigh(m, Fp.Q3);
        s = lo + t3;
        hi += Fp.carry(s, lo);
        t2 = s + C;
        C = hi + Fp.carry(t2, s);
        t3 = C + A;
        reduceInto(t0, t1, t2, t3, r, ro);
    }

    static void sqr(long[] a, int ai, long[] r, int ri) {
        mul(a, ai, a, ai, r, ri);
    }

    static void add(long[] a, int ai, long[] b, int bi, long[] r, int ri) {
        long x0 = a[ai], x1 = a[ai + 1], x2 = a[ai + 2], x3 = a[ai + 3];
        long s0 = x0 + b[bi];
        long c = Fp.carry(s0, x0);
        long t = x1 + b[bi + 1];
        long c1 = Fp.carry(t, x1);
        long s1 = t + c;
        c = c1 | Fp.carry(s1, t);
        t = x2 + b[bi + 2];
        c1 = Fp.carry(t, x2);
        long s2 = t + c;
        c = c1 | Fp.carry(s2, t);
        long s3 = x3 + b[bi + 3] + c;
        reduceInto(s0, s1, s2, s3, r, ri);
    }

    static void dbl(long[] a, int ai, long[] r, int ri) {
        add(a, ai, a, ai, r, ri);
    }

    static void sub(long[] a, int ai, long[] b, int bi, long[] r, int ri) {
        long x0 = a[ai], x1 = a[ai + 1], x2 = a[ai + 2], x3 = a[ai + 3];
        long y0 = b[bi], y1 = b[bi + 1], y2 = b[bi + 2], y3 = b[bi + 3];
        long d0 = x0 - y0;
        long bw = Fp.borrow(x0, y0);
        long t = x1 - y1;
        long b1 = Fp.borrow(x1, y1);
        long d1 = t - bw;
        bw = b1 | Fp.borrow(t, bw);
        t = x2 - y2;
        b1 = Fp.borrow(x2, y2);
        long d2 = t - bw;
        bw = b1 | Fp.borrow(t, bw);
        t = x3 - y3;
        b1 = Fp.borrow(x3, y3);
        long d3 = t - bw;
        // add q back when the subtraction borrowed, without a data-dependent branch
        long mask = -(b1 | Fp.borrow(t, bw));
        long q0 = Fp.Q0 & mask;
        long e0 = d0 + q0;
        long c = Fp.carry(e0, q0);
        long u = d1 + (Fp.Q1 & mask);
        long c1 = Fp.carry(u, d1);
        long e1 = u + c;
        c = c1 | Fp.carry(e1, u);
        u = d2 + (Fp.Q2 & mask);
        c1 = Fp.carry(u, d2);
        long e2 = u + c;
        c = c1 | Fp.carry(e2, u);
        long e3 = d3 + (Fp.Q3 & mask) + c;
        r[ri] = e0;
        r[ri + 1] = e1;
        r[ri + 2] = e2;
        r[ri + 3] = e3;
    }

    static boolean isZero(long[] a, int ai) {
        return (a[ai] | a[ai + 1] | a[ai + 2] | a[ai + 3]) == 0;
    }

    static void copy(long[] a, int ai, long[] r, int ri) {
        System.arraycopy(a, ai, r, ri, 4);
    }

    static void put(Fp x, long[] r, int ri) {
        r[ri] = x.l0;
        r[ri + 1] = x.l1;
        r[ri + 2] = x.l2;
        r[ri + 3] = x.l3;
    }

    static Fp get(long[] a, int ai) {
        return new Fp(a[ai], a[ai + 1], a[ai + 2], a[ai + 3]);
    }

    /** r = s − q if s ≥ q, else s (branch-free). */
    private static void reduceInto(long s0, long s1, long s2, long s3, long[] r, int ri) {
        long d0 = s0 - Fp.Q0;
        long b = Fp.borrow(s0, Fp.Q0);
        long t = s1 - Fp.Q1;
        long b1 = Fp.borrow(s1, Fp.Q1);
        long d1 = t - b;
        b = b1 | Fp.borrow(t, b);
        t = s2 - Fp.Q2;
        b1 = Fp.borrow(s2, Fp.Q2);
        long d2 = t - b;
        b = b1 | Fp.borrow(t, b);
        t = s3 - Fp.Q3;
        b1 = Fp.borrow(s3, Fp.Q3);
        long d3 = t - b;
        long keep = -(b1 | Fp.borrow(t, b));
        r[ri] = (s0 & keep) | (d0 & ~keep);
        r[ri + 1] = (s1 & keep) | (d1 & ~keep);
        r[ri + 2] = (s2 & keep) | (d2 & ~keep);
        r[ri + 3] = (s3 & keep) | (d3 & ~keep);
    }
}
