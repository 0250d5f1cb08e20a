package io.zkpfl.zk.bn254;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Multi-scalar multiplication Σ k_i·P_i in G2 by Pippenger's bucket method: scalars are recoded
 * into signed c-bit digits (2^(c−1) buckets per window), bases are added to affine buckets by
 * batched affine additions sharing one inversion per batch ({@link AffineBuckets}, ADR 0023), the
 * buckets of a window are summed by running sums on Jacobian limbs, and windows are processed in
 * parallel.
 */
public final class MsmG2 {

    private MsmG2() {
    }

    /**
     * Σ scalars[i]·bases[i].
     *
     * @throws IllegalArgumentException if the arrays differ in length
     */
    public static G2 msm(G2[] bases, Fr[] scalars) {
        if (bases.length != scalars.length) {
            throw new IllegalArgumentException("MSM needs as many scalars as bases");
        }
        G2[] affine = normalizeAll(bases);
        Fr[] k = new Fr[affine.length];
        int n = MsmTerms.compact(affine, scalars, G2::isInfinity, k);
        if (n == 0) {
            return G2.INFINITY;
        }
        if (n < 16) {
            G2 acc = G2.INFINITY;
            for (int i = 0; i < n; i++) {
                acc = acc.add(affine[i].mul(k[i]));
            }
            return acc;
        }
        int c = AffineBuckets.windowBits(n);
        short[][] digits = SignedDigits.recode(Arrays.copyOf(k, n), c);
        int windows = digits.length;
        G2[] windowSums = new G2[windows];
        long[] packed = new long[16 * n];
        for (int i = 0; i < n; i++) {
            Fp2Limbs.put(affine[i].x, packed, 16 * i);
            Fp2Limbs.put(affine[i].y, packed, 16 * i + 8);
        }
        IntStream.range(0, windows).parallel().forEach(w -> windowSums[w] = window(packed, digits[w], c));
        G2 acc = G2.INFINITY;
        for (int w = windows - 1; w >= 0; w--) {
            for (int i = 0; i < c; i++) {
                acc = acc.dbl();
            }
            acc = acc.add(windowSums[w]);
        }
        return acc;
    }

    // scratch layout (limb offsets)
    private static final int Z1Z1 = 0, U2 = 8, S2 = 16, H = 24, HH = 32, I = 40, J = 48, RR = 56, V = 64, T = 72,
            T2 = 80, NY = 88, SCRATCH = 96;

    /** One window: batched affine bucket accumulation, then Σ_k (k+1)·bucket_k by running sums. */
    private static G2 window(long[] bases, short[] digits, int c) {
        int nb = 1 << (c - 1);
        AffineBuckets buckets = new AffineBuckets(8, nb, Math.max(4, Math.min(512, nb / 4)));
        buckets.accumulate(bases, digits);
        // Σ_k (k+1)·B_k as a sum of running sums; the running sum stays on Jacobian limbs
        long[] xy = buckets.coordinates();
        long[] running = new long[24];
        long[] s = new long[SCRATCH];
        long[] t = new long[20];
        G2 sum = G2.INFINITY;
        for (int k = nb - 1; k >= 0; k--) {
            if (buckets.isFull(k)) {
                int bo = buckets.offset(k);
                addAffineInPlace(running, 0, xy, bo, xy, bo + 8, s, t);
            }
            if (buckets.hasOverflow(k)) {
                long[] o = buckets.overflow();
                int jo = 24 * k;
                G2 r = new G2(Fp2Limbs.get(running, 0), Fp2Limbs.get(running, 8), Fp2Limbs.get(running, 16))
                        .add(new G2(Fp2Limbs.get(o, jo), Fp2Limbs.get(o, jo + 8), Fp2Limbs.get(o, jo + 16)));
                Fp2Limbs.put(r.x, running, 0);
                Fp2Limbs.put(r.y, running, 8);
                Fp2Limbs.put(r.z, running, 16);
            }
            if (!Fp2Limbs.isZero(running, 16)) {
                sum = sum.add(new G2(Fp2Limbs.get(running, 0), Fp2Limbs.get(running, 8), Fp2Limbs.get(running, 16)));
            }
        }
        return sum;
    }

    private static final long[] ZERO8 = new long[8];
    private static final long[] ONE8 = {Fp.ONE.l0, Fp.ONE.l1, Fp.ONE.l2, Fp.ONE.l3, 0, 0, 0, 0};

    /** (X1, Y1, Z1) at bk[b..b+24) += (x2, y2) affine (madd-2007-bl). */
    static void addAffineInPlace(long[] bk, int b, long[] xs, int x2, long[] ys, int y2, long[] s, long[] t) {
        int x1 = b, y1 = b + 8, z1 = b + 16;
        if (Fp2Limbs.isZero(bk, z1)) {
            Fp2Limbs.copy(xs, x2, bk, x1);
            Fp2Limbs.copy(ys, y2, bk, y1);
            Fp2Limbs.copy(ONE8, 0, bk, z1);
            return;
        }
        Fp2Limbs.sqr(bk, z1, s, Z1Z1, t);
        Fp2Limbs.mul(xs, x2, s, Z1Z1, s, U2, t);
        Fp2Limbs.mul(ys, y2, bk, z1, s, S2, t);
        Fp2Limbs.mul(s, S2, s, Z1Z1, s, S2, t);
        Fp2Limbs.sub(s, U2, bk, x1, s, H);
        Fp2Limbs.sub(s, S2, bk, y1, s, RR);
        Fp2Limbs.dbl(s, RR, s, RR);
        if (Fp2Limbs.isZero(s, H)) {
            if (Fp2Limbs.isZero(s, RR)) {
                G2 d = new G2(Fp2Limbs.get(bk, x1), Fp2Limbs.get(bk, y1), Fp2Limbs.get(bk, z1)).dbl();
                Fp2Limbs.put(d.x, bk, x1);
                Fp2Limbs.put(d.y, bk, y1);
                Fp2Limbs.put(d.z, bk, z1);
            } else {
                Fp2Limbs.copy(ZERO8, 0, bk, z1);
            }
            return;
        }
        Fp2Limbs.sqr(s, H, s, HH, t);
        Fp2Limbs.dbl(s, HH, s, I);
        Fp2Limbs.dbl(s, I, s, I);
        Fp2Limbs.mul(s, H, s, I, s, J, t);
        Fp2Limbs.mul(bk, x1, s, I, s, V, t);
        // X3 = r² − J − 2V
        Fp2Limbs.sqr(s, RR, s, T, t);
        Fp2Limbs.sub(s, T, s, J, s, T);
        Fp2Limbs.sub(s, T, s, V, s, T);
        Fp2Limbs.sub(s, T, s, V, bk, x1);
        // Y3 = r·(V − X3) − 2·Y1·J
        Fp2Limbs.sub(s, V, bk, x1, s, T);
        Fp2Limbs.mul(s, RR, s, T, s, T, t);
        Fp2Limbs.mul(bk, y1, s, J, s, T2, t);
        Fp2Limbs.dbl(s, T2, s, T2);
        Fp2Limbs.sub(s, T, s, T2, bk, y1);
        // Z3 = (Z1 + H)² − Z1Z1 − HH
        Fp2Limbs.add(bk, z1, s, H, s, T);
        Fp2Limbs.sqr(s, T, s, T, t);
        Fp2Limbs.sub(s, T, s, Z1Z1, s, T);
        Fp2Limbs.sub(s, T, s, HH, bk, z1);
    }

    /** All points with Z = 1 (infinity stays infinity), using one field inversion. */
    public static G2[] normalizeAll(G2[] points) {
        int n = points.length;
        Fp2[] zs = new Fp2[n];
        int finite = 0;
        for (int i = 0; i < n; i++) {
            zs[i] = points[i].isInfinity() ? Fp2.ONE : points[i].z;
            if (!points[i].isInfinity() && !points[i].z.isOne()) {
                finite++;
            }
        }
        if (finite == 0) {
            return points.clone();
        }
        Fp2[] inv = new Fp2[n];
        Fp2.batchInverse(zs, inv);
        G2[] out = new G2[n];
        for (int i = 0; i < n; i++) {
            G2 p = points[i];
            if (p.isInfinity() || p.z.isOne()) {
                out[i] = p;
            } else {
                Fp2 zi2 = inv[i].square();
                out[i] = new G2(p.x.mul(zi2), p.y.mul(zi2).mul(inv[i]), Fp2.ONE);
            }
        }
        return out;
    }
}
