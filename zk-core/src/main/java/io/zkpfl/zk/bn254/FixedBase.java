package io.zkpfl.zk.bn254;

import java.lang.reflect.Array;
import java.util.Arrays;
import java.util.function.IntFunction;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;

/**
 * Many scalar multiplications of one fixed base point (G1 or G2): a table of k·2^(8w)·P (affine)
 * turns each product into at most 32 mixed additions. Used by set-ups to build key queries and
 * reference strings.
 *
 * @param <P> the point type
 */
public final class FixedBase<P extends CurvePoint<P>> {

    private static final int C = 8;
    private static final int WINDOWS = 256 / C;

    private final P infinity;
    private final IntFunction<P[]> newArray;
    private final UnaryOperator<P[]> normalizeAll;
    private final P[][] table;

    @SuppressWarnings("unchecked")
    private FixedBase(P base, P infinity, IntFunction<P[]> newArray, UnaryOperator<P[]> normalizeAll) {
        this.infinity = infinity;
        this.newArray = newArray;
        this.normalizeAll = normalizeAll;
        P[] flat = newArray.apply(WINDOWS * ((1 << C) - 1));
        P windowBase = base;
        for (int w = 0; w < WINDOWS; w++) {
            P acc = windowBase;
            for (int k = 1; k < (1 << C); k++) {
                flat[w * ((1 << C) - 1) + k - 1] = acc;
                acc = acc.add(windowBase);
            }
            windowBase = acc;
        }
        P[] norm = normalizeAll.apply(flat);
        table = (P[][]) Array.newInstance(flat.getClass(), WINDOWS);
        for (int w = 0; w < WINDOWS; w++) {
            table[w] = Arrays.copyOfRange(norm, w * ((1 << C) - 1), (w + 1) * ((1 << C) - 1));
        }
    }

    /** A table for a G1 base. */
    public static FixedBase<G1> ofG1(G1 base) {
        return new FixedBase<>(base, G1.INFINITY, G1[]::new, MsmG1::normalizeAll);
    }

    /** A table for a G2 base. */
    public static FixedBase<G2> ofG2(G2 base) {
        return new FixedBase<>(base, G2.INFINITY, G2[]::new, MsmG2::normalizeAll);
    }

    /** k·P. */
    public P mul(Fr k) {
        long[] l = k.canonicalLimbs();
        P acc = infinity;
        for (int w = 0; w < WINDOWS; w++) {
            int digit = (int) ((l[w >>> 3] >>> ((w & 7) * C)) & 0xFF);
            if (digit != 0) {
                P t = table[w][digit - 1];
                if (!t.isInfinity()) {
                    acc = acc.addNormalized(t);
                }
            }
        }
        return acc;
    }

    /** k_i·P for every scalar, in parallel, normalised to affine. */
    public P[] mulAll(Fr[] scalars) {
        P[] out = newArray.apply(scalars.length);
        IntStream.range(0, scalars.length).parallel().forEach(i -> out[i] = mul(scalars[i]));
        return normalizeAll.apply(out);
    }
}
