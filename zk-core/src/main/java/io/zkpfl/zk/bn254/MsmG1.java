package io.zkpfl.zk.bn254;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Multi-scalar multiplication Σ k_i·P_i in G1 by Pippenger's bucket method: scalars are recoded
 * into signed c-bit digits (2^(c−1) buckets per window), bases are added to affine buckets by
 * batched affine additions sharing one inversion per batch ({@link AffineBuckets}, ADR 0023), the
 * buckets of a window are summed by running sums on Jacobian limbs, and windows are processed in
 * parallel.
 */
public final class MsmG1 {

    private MsmG1() {
    }

    /**
     * Σ scalars[i]·bases[i].
     *
     * @throws IllegalArgumentException if the arrays differ in length
     */
    public static G1 msm(G1[] bases, Fr[] scalars) {
        if (bases.length != scalars.length) {
            throw new IllegalArgumentException("MSM needs as many scalars as bases");
        }
        G1[] affine = normalizeAll(bases);
        Fr[] k = new Fr[affine.length];
        int n = MsmTerms.compact(affine, scalars, G1::isInfinity, k);
        if (n == 0) {
            return G1.INFINITY;
        }
        if (n < 16) {
            G1 acc = G1.INFINITY;
            for (int i = 0; i < n; i++) {
                acc = acc.add(affine[i].mul(k[i]));
            }
            return acc;
        }
        int c = AffineBuckets.windowBits(n);
        short[][] digits = SignedDigits.recode(Arrays.copyOf(k, n), c);
        int windows = digits.length;
        G1[] windowSums = new G1[windows];
        long[] packed = new long[8 * n];
        for (int i = 0; i < n; i++) {
            FpLimbs.put(affine[i].x, packed, 8 * i);
            FpLimbs.put(affine[i].y, packed, 8 * i + 4);
        }
        IntStream.range(0, windows).parallel().forEach(w -> windowSums[w] = window(packed, digits[w], c));
        G1 acc = G1.INFINITY;
        for (int w = windows - 1; w >= 0; w--) {
            for (int i = 0; i < c; i++) {
                acc = acc.dbl();
            }
            acc = acc.add(windowSums[w]);
        }
        return acc;
    }

    // scratch layout (limb offsets)
    private static final int Z1Z1 = 0, U2 = 4, S2 = 8, H = 12, HH = 16, I = 20, J = 24, RR = 28, V = 32, T = 36,
            T2 = 40, NY = 44, SCRATCH = 48;

    /** One window: batched affine bucket accumulation, then Σ_k (k+1)·bucket_k by running sums. */
    private static G1 window(long[] bases, short[] digits, int c) {
        int nb = 1 << (c - 1);
        AffineBuckets buckets = new AffineBuckets(4, nb, Math.max(4, Math.min(512, nb / 4)));
        buckets.accumulate(bases, digits);
        // Σ_k (k+1)·B_k as a sum of running sums; the running sum stays on Jacobian limbs
        long[] xy = buckets.coordinates();
        long[] running = new long[12];
        long[] s = new long[SCRATCH];
        
        G1 sum = G1.INFINITY;
        for (int k = nb - 1; k >= 0; k--) {
            if (buckets.isFull(k)) {
                int bo = buckets.offset(k);
                addAffineInPlace(running, 0, xy, bo, xy, bo + 4, s);
            }
            if (buckets.hasOverflow(k)) {
                long[] o = buckets.overflow();
                int jo = 12 * k;
                G1 r = new G1(FpLimbs.get(running, 0), FpLimbs.get(running, 4), FpLimbs.get(running, 8))
                        .add(new G1(FpLimbs.get(o, jo), FpLimbs.get(o, jo + 4), FpLimbs.get(o, jo + 8)));
                FpLimbs.put(r.x, running, 0);
                FpLimbs.put(r.y, running, 4);
                FpLimbs.put(r.z, running, 8);
            }
            if (!FpLimbs.isZero(running, 8)) {
                sum = sum.add(new G1(FpLimbs.get(running, 0), FpLimbs.get(running, 4), FpLimbs.get(running, 8)));
            }
        }
        return sum;
    }

    private static final long[] ZERO4 = new long[4];
    private static final long[] ONE4 = {Fp.ONE.l0, Fp.ONE.l1, Fp.ONE.l2, Fp.ONE.l3};

    /** (X1, Y1, Z1) at bk[b..b+12) += (x2, y2) affine (madd-2007-bl). */
    static void addAffineInPlace(long[] bk, int b, long[] xs, int x2, long[] ys, int y2, long[] s) {
        int x1 = b, y1 = b + 4, z1 = b + 8;
        if (FpLimbs.isZero(bk, z1)) {
            FpLimbs.copy(xs, x2, bk, x1);
            FpLimbs.copy(ys, y2, bk, y1);
            FpLimbs.copy(ONE4, 0, bk, z1);
            return;
        }
        FpLimbs.sqr(bk, z1, s, Z1Z1);
        FpLimbs.mul(xs, x2, s, Z1Z1, s, U2);
        FpLimbs.mul(ys, y2, bk, z1, s, S2);
        FpLimbs.mul(s, S2, s, Z1Z1, s, S2);
        FpLimbs.sub(s, U2, bk, x1, s, H);
        FpLimbs.sub(s, S2, bk, y1, s, RR);
        FpLimbs.dbl(s, RR, s, RR);
        if (FpLimbs.isZero(s, H)) {
            if (FpLimbs.isZero(s, RR)) {
                G1 d = new G1(FpLimbs.get(bk, x1), FpLimbs.get(bk, y1), FpLimbs.get(bk, z1)).dbl();
                FpLimbs.put(d.x, bk, x1);
                FpLimbs.put(d.y, bk, y1);
                FpLimbs.put(d.z, bk, z1);
            } else {
                FpLimbs.copy(ZERO4, 0, bk, z1);
            }
            return;
        }
        FpLimbs.sqr(s, H, s, HH);
        FpLimbs.dbl(s, HH, s, I);
        FpLimbs.dbl(s, I, s, I);
        FpLimbs.mul(s, H, s, I, s, J);
        FpLimbs.mul(bk, x1, s, I, s, V);
        // X3 = r² − J − 2V
        FpLimbs.sqr(s, RR, s, T);
        FpLimbs.sub(s, T, s, J, s, T);
        FpLimbs.sub(s, T, s, V, s, T);
        FpLimbs.sub(s, T, s, V, bk, x1);
        // Y3 = r·(V − X3) − 2·Y1·J
        FpLimbs.sub(s, V, bk, x1, s, T);
        FpLimbs.mul(s, RR, s, T, s, T);
        FpLimbs.mul(bk, y1, s, J, s, T2);
        FpLimbs.dbl(s, T2, s, T2);
        FpLimbs.sub(s, T, s, T2, bk, y1);
        // Z3 = (Z1 + H)² − Z1Z1 − HH
        FpLimbs.add(bk, z1, s, H, s, T);
        FpLimbs.sqr(s, T, s, T);
        FpLimbs.sub(s, T, s, Z1Z1, s, T);
        FpLimbs.sub(s, T, s, HH, bk, z1);
    }

    /** All points with Z = 1 (infinity stays infinity), using one field inversion. */
    public static G1[] normalizeAll(G1[] points) {
        int n = points.length;
        Fp[] zs = new Fp[n];
        int finite = 0;
        for (int i = 0; i < n; i++) {
            zs[i] = points[i].isInfinity() ? Fp.ONE : points[i].z;
            if (!points[i].isInfinity() && !points[i].z.isOne()) {
                finite++;
            }
        }
        if (finite == 0) {
            return points.clone();
        }
        Fp[] inv = new Fp[n];
        Fp.batchInverse(zs, inv);
        G1[] out = new G1[n];
        for (int i = 0; i < n; i++) {
            G1 p = points[i];
            if (p.isInfinity() || p.z.isOne()) {
                out[i] = p;
            } else {
                Fp zi2 = inv[i].square();
                out[i] = new G1(p.x.mul(zi2), p.y.mul(zi2).mul(inv[i]), Fp.ONE);
            }
        }
        return out;
    }
}
