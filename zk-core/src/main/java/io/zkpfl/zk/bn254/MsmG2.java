package io.zkpfl.zk.bn254;

import java.util.stream.IntStream;

/**
 * Multi-scalar multiplication Σ k_i·P_i in G2 by Pippenger's bucket method: scalars are recoded
 * into signed c-bit digits (2^(c−1) buckets per window), bases are added to buckets with mixed
 * Jacobian+affine additions, and windows are processed in parallel.
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
        int n = bases.length;
        if (n == 0) {
            return G2.INFINITY;
        }
        G2[] affine = normalizeAll(bases);
        if (n < 16) {
            G2 acc = G2.INFINITY;
            for (int i = 0; i < n; i++) {
                acc = acc.add(affine[i].mul(scalars[i]));
            }
            return acc;
        }
        int c = windowBits(n);
        short[][] digits = SignedDigits.recode(scalars, c);
        int windows = digits.length;
        G2[] windowSums = new G2[windows];
        IntStream.range(0, windows).parallel().forEach(w -> windowSums[w] = window(affine, digits[w], c));
        G2 acc = G2.INFINITY;
        for (int w = windows - 1; w >= 0; w--) {
            for (int i = 0; i < c; i++) {
                acc = acc.dbl();
            }
            acc = acc.add(windowSums[w]);
        }
        return acc;
    }

    static int windowBits(int n) {
        int log = 32 - Integer.numberOfLeadingZeros(n);
        int c = log - (32 - Integer.numberOfLeadingZeros(log)) + 1;
        return Math.max(2, Math.min(15, c));
    }

    private static G2 window(G2[] bases, short[] digits, int c) {
        G2[] buckets = new G2[1 << (c - 1)];
        for (int i = 0; i < digits.length; i++) {
            int d = digits[i];
            if (d == 0) {
                continue;
            }
            G2 p = bases[i];
            if (p.isInfinity()) {
                continue;
            }
            int idx = Math.abs(d) - 1;
            Fp2 y = d > 0 ? p.y : p.y.neg();
            G2 b = buckets[idx];
            buckets[idx] = b == null ? new G2(p.x, y, Fp2.ONE) : b.addAffine(p.x, y);
        }
        G2 running = G2.INFINITY;
        G2 sum = G2.INFINITY;
        for (int k = buckets.length - 1; k >= 0; k--) {
            if (buckets[k] != null) {
                running = running.add(buckets[k]);
            }
            sum = sum.add(running);
        }
        return sum;
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
