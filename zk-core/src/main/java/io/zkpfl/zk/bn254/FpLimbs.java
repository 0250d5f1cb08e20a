package io.zkpfl.zk.bn254;

/**
 * F_p arithmetic on raw Montgomery limbs in {@code long[]} arrays (4 limbs per element at a given
 * offset), for allocation-free inner loops such as MSM bucket accumulation. Outputs may alias
 * inputs. Same representation as {@link Fp}.
 */
final class FpLimbs {

    private FpLimbs() {
    }

    static void mul(long[] a, int ao, long[] b, int bo, long[] r, int ro) {
        long a0 = a[ao], a1 = a[ao + 1], a2 = a[ao + 2], a3 = a[ao + 3];
        long b0 = b[bo], b1 = b[bo + 1], b2 = b[bo + 2], b3 = b[bo + 3];

        long t0 = 0, t1 = 0, t2 = 0, t3 = 0;
        for (int i = 0; i < 4; i++) {
            long bi = i == 0 ? b0 : i == 1 ? b1 : i == 2 ? b2 : b3;
            long lo, hi, s, c1, c2, A, C, m;
            // j = 0
            lo = a0 * bi;
            hi = Math.unsignedMultiplyHigh(a0, bi);
            s = lo + t0;
            A = hi + Fp.carry(s, lo);
            t0 = s;
            m = t0 * Fp.INV;
            lo = m * Fp.Q0;
            hi = Math.unsignedMultiplyHigh(m, Fp.Q0);
            s = lo + t0;
            C = hi + Fp.carry(s, lo);
            // j = 1
            lo = a1 * bi;
            hi = Math.unsignedMultiplyHigh(a1, bi);
            s = lo + A;
            c1 = Fp.carry(s, lo);
            long u = s + t1;
            c2 = Fp.carry(u, s);
            A = hi + c1 + c2;
            lo = m * Fp.Q1;
            hi = Math.unsignedMultiplyHigh(m, Fp.Q1);
            s = lo + C;
            c1 = Fp.carry(s, lo);
            t0 = s + u;
            c2 = Fp.carry(t0, s);
            C = hi + c1 + c2;
            // j = 2
            lo = a2 * bi;
            hi = Math.unsignedMultiplyHigh(a2, bi);
            s = lo + A;
            c1 = Fp.carry(s, lo);
            u = s + t2;
            c2 = Fp.carry(u, s);
            A = hi + c1 + c2;
            lo = m * Fp.Q2;
            hi = Math.unsignedMultiplyHigh(m, Fp.Q2);
            s = lo + C;
            c1 = Fp.carry(s, lo);
            t1 = s + u;
            c2 = Fp.carry(t1, s);
            C = hi + c1 + c2;
            // j = 3
            lo = a3 * bi;
            hi = Math.unsignedMultiplyHigh(a3, bi);
            s = lo + A;
            c1 = Fp.carry(s, lo);
            u = s + t3;
            c2 = Fp.carry(u, s);
            A = hi + c1 + c2;
            lo = m * Fp.Q3;
            hi = Math.unsignedMultiplyHigh(m, Fp.Q3);
            s = lo + C;
            c1 = Fp.carry(s, lo);
            t2 = s + u;
            c2 = Fp.carry(t2, s);
            C = hi + c1 + c2;
            t3 = C + A;
        }
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
        bw = b1 | Fp.borrow(t, bw);
        if (bw != 0) {
            long e0 = d0 + Fp.Q0;
            long c = Fp.carry(e0, d0);
            long u = d1 + Fp.Q1;
            long c1 = Fp.carry(u, d1);
            long e1 = u + c;
            c = c1 | Fp.carry(e1, u);
            u = d2 + Fp.Q2;
            c1 = Fp.carry(u, d2);
            long e2 = u + c;
            c = c1 | Fp.carry(e2, u);
            d3 = d3 + Fp.Q3 + c;
            d0 = e0;
            d1 = e1;
            d2 = e2;
        }
        r[ri] = d0;
        r[ri + 1] = d1;
        r[ri + 2] = d2;
        r[ri + 3] = d3;
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

    private static void reduceInto(long s0, long s1, long s2, long s3, long[] r, int ri) {
        if (!Fp.lessThanModulus(s0, s1, s2, s3)) {
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
            s3 = s3 - Fp.Q3 - b;
            s0 = d0;
            s1 = d1;
            s2 = d2;
        }
        r[ri] = s0;
        r[ri + 1] = s1;
        r[ri + 2] = s2;
        r[ri + 3] = s3;
    }
}
