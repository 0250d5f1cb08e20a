package io.zkpfl.zk.bn254;

/**
 * The buckets of one Pippenger window, kept in affine coordinates and filled by batched affine
 * additions (ADR 0023): an addition P + Q needs λ = (y_Q − y_P)/(x_Q − x_P), and the denominators of
 * up to {@code cap} pending additions (each into a different bucket) share one field inversion by
 * Montgomery's trick. That costs about 6 multiplications per added point where a mixed
 * Jacobian–affine addition costs 11.
 *
 * <p>Works over F_p (G1, {@code w = 4} limbs per coordinate) or F_p² (G2, {@code w = 8}). Points
 * and buckets are packed as x ‖ y, {@code 2w} limbs each. A point whose bucket already has an
 * addition pending in the current batch is deferred to a second pass; if its bucket is busy again
 * there, it goes into a per-bucket Jacobian "overflow" sum by a mixed addition instead (this keeps
 * windows where most points share a few buckets, such as the top window, from degenerating into
 * one inversion per point). The two exceptional sums (P + P, P + (−P)) are resolved at once
 * without inversion.
 */
final class AffineBuckets {

    private final int w;
    private final int nb;
    private final long[] buckets;
    private final boolean[] full;
    private final int[] stamp;
    private final int cap;
    private final int[] slotBucket;
    private final int[] slotPoint;
    private final boolean[] slotNeg;
    private final long[] den;
    private final long[] pre;
    // scratch: ACC, DINV, Y2, LAM, T (w limbs each) and Fp2 multiplication scratch
    private final long[] s;
    private final long[] t = new long[20];
    private final int acc;
    private final int dinv;
    private final int y2;
    private final int lam;
    private final int tt;
    private int k;
    private int epoch = 1;
    private long[] overflow;
    private long[] overflowScratch;

    /** {@code nb} buckets over F_p ({@code w = 4}) or F_p² ({@code w = 8}), batches of {@code cap}. */
    AffineBuckets(int w, int nb, int cap) {
        this.w = w;
        this.nb = nb;
        this.buckets = new long[2 * w * nb];
        this.full = new boolean[nb];
        this.stamp = new int[nb];
        this.cap = cap;
        this.slotBucket = new int[cap];
        this.slotPoint = new int[cap];
        this.slotNeg = new boolean[cap];
        this.den = new long[w * cap];
        this.pre = new long[w * cap];
        this.s = new long[5 * w];
        this.acc = 0;
        this.dinv = w;
        this.y2 = 2 * w;
        this.lam = 3 * w;
        this.tt = 4 * w;
    }

    /** Number of buckets. */
    int size() {
        return nb;
    }

    /** Whether bucket {@code b} holds a point (an empty bucket is the point at infinity). */
    boolean isFull(int b) {
        return full[b];
    }

    /** The packed affine coordinates (x at {@link #offset}, y after it). */
    long[] coordinates() {
        return buckets;
    }

    /** Offset of bucket {@code b}'s x coordinate in {@link #coordinates()}. */
    int offset(int b) {
        return 2 * w * b;
    }

    /**
     * Adds ±point {@code i} of {@code points} to bucket |d| − 1 for every non-zero digit
     * {@code digits[i]} (sign = sign of the digit); the points are finite (the MSM dropped the rest).
     */
    void accumulate(long[] points, short[] digits) {
        int n = digits.length;
        int[] pending = null;
        int np = 0;
        for (int i = 0; i < n; i++) {
            int d = digits[i];
            if (d == 0) {
                continue;
            }
            if (!offer(points, i, d)) {
                if (pending == null) {
                    pending = new int[n - i];
                }
                pending[np++] = i;
            }
        }
        flush(points);
        for (int j = 0; j < np; j++) {
            int i = pending[j];
            if (!offer(points, i, digits[i])) {
                addToOverflow(points, i, digits[i]);
            }
        }
        flush(points);
    }

    /** Whether bucket {@code b} has a Jacobian overflow sum (Z ≠ 0) to add to its affine point. */
    boolean hasOverflow(int b) {
        if (overflow == null) {
            return false;
        }
        int z = 3 * w * b + 2 * w;
        for (int i = 0; i < w; i++) {
            if (overflow[z + i] != 0) {
                return true;
            }
        }
        return false;
    }

    /** The Jacobian overflow sums, X ‖ Y ‖ Z ({@code 3w} limbs) per bucket; null if none was needed. */
    long[] overflow() {
        return overflow;
    }

    /** overflow[|d| − 1] += sign(d)·P_i by a mixed Jacobian–affine addition. */
    private void addToOverflow(long[] points, int i, int d) {
        if (overflow == null) {
            overflow = new long[3 * w * nb];
            overflowScratch = new long[96];
        }
        int po = 2 * w * i;
        loadY(points, po, d < 0, s, y2);
        int jo = 3 * w * (Math.abs(d) - 1);
        if (w == 4) {
            MsmG1.addAffineInPlace(overflow, jo, points, po, s, y2, overflowScratch);
        } else {
            MsmG2.addAffineInPlace(overflow, jo, points, po, s, y2, overflowScratch, t);
        }
    }

    /** Schedules (or performs) bucket[|d|−1] += sign(d)·P_i; false if that bucket is busy in this batch. */
    private boolean offer(long[] points, int i, int d) {
        int b = Math.abs(d) - 1;
        if (stamp[b] == epoch) {
            return false;
        }
        boolean neg = d < 0;
        int bo = 2 * w * b;
        int po = 2 * w * i;
        if (!full[b]) {
            System.arraycopy(points, po, buckets, bo, w);
            loadY(points, po, neg, buckets, bo + w);
            full[b] = true;
            return true;
        }
        int slot = k * w;
        sub(points, po, buckets, bo, den, slot);
        if (isZero(den, slot)) {
            loadY(points, po, neg, s, y2);
            if (equal(s, y2, buckets, bo + w)) {
                doubleInPlace(bo);
            } else {
                full[b] = false;
            }
            return true;
        }
        stamp[b] = epoch;
        slotBucket[k] = b;
        slotPoint[k] = i;
        slotNeg[k] = neg;
        k++;
        if (k == cap) {
            flush(points);
        }
        return true;
    }

    /** Completes the pending additions with one inversion. */
    private void flush(long[] points) {
        if (k == 0) {
            return;
        }
        setOne(s, acc);
        for (int j = 0; j < k; j++) {
            System.arraycopy(s, acc, pre, j * w, w);
            mul(s, acc, den, j * w, s, acc);
        }
        invert(s, acc);
        for (int j = k - 1; j >= 0; j--) {
            int slot = j * w;
            mul(s, acc, pre, slot, s, dinv);
            mul(s, acc, den, slot, s, acc);
            int bo = 2 * w * slotBucket[j];
            int po = 2 * w * slotPoint[j];
            // λ = (y2 − y1)/(x2 − x1); x3 = λ² − x1 − x2; y3 = λ·(x1 − x3) − y1
            loadY(points, po, slotNeg[j], s, y2);
            sub(s, y2, buckets, bo + w, s, lam);
            mul(s, lam, s, dinv, s, lam);
            sqr(s, lam, s, tt);
            sub(s, tt, buckets, bo, s, tt);
            sub(s, tt, points, po, s, tt);
            sub(buckets, bo, s, tt, s, y2);
            System.arraycopy(s, tt, buckets, bo, w);
            mul(s, lam, s, y2, s, y2);
            sub(s, y2, buckets, bo + w, buckets, bo + w);
        }
        k = 0;
        epoch++;
    }

    private void loadY(long[] points, int po, boolean neg, long[] r, int ro) {
        if (neg) {
            sub(ZERO, 0, points, po + w, r, ro);
        } else {
            System.arraycopy(points, po + w, r, ro, w);
        }
    }

    private void doubleInPlace(int bo) {
        if (w == 4) {
            G1 d = new G1(FpLimbs.get(buckets, bo), FpLimbs.get(buckets, bo + 4), Fp.ONE).dbl().normalize();
            full[bo / (2 * w)] = !d.isInfinity();
            FpLimbs.put(d.x, buckets, bo);
            FpLimbs.put(d.y, buckets, bo + 4);
        } else {
            G2 d = new G2(Fp2Limbs.get(buckets, bo), Fp2Limbs.get(buckets, bo + 8), Fp2.ONE).dbl().normalize();
            full[bo / (2 * w)] = !d.isInfinity();
            Fp2Limbs.put(d.x, buckets, bo);
            Fp2Limbs.put(d.y, buckets, bo + 8);
        }
    }

    private static final long[] ZERO = new long[8];

    private void mul(long[] a, int ao, long[] b, int bo, long[] r, int ro) {
        if (w == 4) {
            FpLimbs.mul(a, ao, b, bo, r, ro);
        } else {
            Fp2Limbs.mul(a, ao, b, bo, r, ro, t);
        }
    }

    private void sqr(long[] a, int ao, long[] r, int ro) {
        if (w == 4) {
            FpLimbs.sqr(a, ao, r, ro);
        } else {
            Fp2Limbs.sqr(a, ao, r, ro, t);
        }
    }

    private void sub(long[] a, int ao, long[] b, int bo, long[] r, int ro) {
        if (w == 4) {
            FpLimbs.sub(a, ao, b, bo, r, ro);
        } else {
            Fp2Limbs.sub(a, ao, b, bo, r, ro);
        }
    }

    private boolean isZero(long[] a, int ao) {
        return w == 4 ? FpLimbs.isZero(a, ao) : Fp2Limbs.isZero(a, ao);
    }

    private boolean equal(long[] a, int ao, long[] b, int bo) {
        for (int i = 0; i < w; i++) {
            if (a[ao + i] != b[bo + i]) {
                return false;
            }
        }
        return true;
    }

    private void setOne(long[] r, int ro) {
        java.util.Arrays.fill(r, ro, ro + w, 0L);
        FpLimbs.put(Fp.ONE, r, ro);
    }

    private void invert(long[] r, int ro) {
        if (w == 4) {
            FpLimbs.put(FpLimbs.get(r, ro).inverse(), r, ro);
        } else {
            Fp2Limbs.put(Fp2Limbs.get(r, ro).inverse(), r, ro);
        }
    }

    /**
     * The window width c, for G1 and G2 alike, minimising (256/c + 1)·(6·n + 27·2^(c−1)): about
     * 6 multiplications per batched affine bucket addition against about 27 per bucket in the
     * running-sum reduction.
     */
    static int windowBits(int n) {
        int best = 2;
        double bestCost = Double.MAX_VALUE;
        for (int c = 2; c <= 15; c++) {
            double cost = ((256 + c - 1) / c + 1) * (6.0 * n + 27.0 * (1 << (c - 1)));
            if (cost < bestCost) {
                bestCost = cost;
                best = c;
            }
        }
        return best;
    }
}
