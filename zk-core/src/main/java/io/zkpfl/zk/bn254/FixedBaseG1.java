package io.zkpfl.zk.bn254;

import java.util.stream.IntStream;

/**
 * Many scalar multiplications of one fixed G1 base: a table of k·2^(8w)·P (affine) turns each
 * product into at most 32 mixed additions. Used by the set-up to build key queries.
 */
public final class FixedBaseG1 {

    private static final int C = 8;
    private static final int WINDOWS = 256 / C;

    private final G1[][] table;

    /** Precomputes the table for {@code base}. */
    public FixedBaseG1(G1 base) {
        G1[] flat = new G1[WINDOWS * ((1 << C) - 1)];
        G1 windowBase = base;
        for (int w = 0; w < WINDOWS; w++) {
            G1 acc = windowBase;
            for (int k = 1; k < (1 << C); k++) {
                flat[w * ((1 << C) - 1) + k - 1] = acc;
                acc = acc.add(windowBase);
            }
            windowBase = acc;
        }
        G1[] norm = MsmG1.normalizeAll(flat);
        table = new G1[WINDOWS][];
        for (int w = 0; w < WINDOWS; w++) {
            table[w] = java.util.Arrays.copyOfRange(norm, w * ((1 << C) - 1), (w + 1) * ((1 << C) - 1));
        }
    }

    /** k·P. */
    public G1 mul(Fr k) {
        long[] l = k.canonicalLimbs();
        G1 acc = G1.INFINITY;
        for (int w = 0; w < WINDOWS; w++) {
            int digit = (int) ((l[w >>> 3] >>> ((w & 7) * C)) & 0xFF);
            if (digit != 0) {
                G1 t = table[w][digit - 1];
                if (!t.isInfinity()) {
                    acc = acc.addAffine(t.x, t.y);
                }
            }
        }
        return acc;
    }

    /** k_i·P for every scalar, in parallel, normalised to affine. */
    public G1[] mulAll(Fr[] scalars) {
        G1[] out = new G1[scalars.length];
        IntStream.range(0, scalars.length).parallel().forEach(i -> out[i] = mul(scalars[i]));
        return MsmG1.normalizeAll(out);
    }
}
