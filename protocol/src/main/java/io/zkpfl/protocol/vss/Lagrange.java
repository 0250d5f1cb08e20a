package io.zkpfl.protocol.vss;

import io.zkpfl.zk.bn254.Fr;
import java.util.HashSet;
import java.util.Set;

/** Lagrange coefficients for interpolating at 0 from shares at distinct non-zero points. */
public final class Lagrange {

    private Lagrange() {
    }

    /**
     * {@code λ_k = Π_{j≠k} j/(j − k)} for every point {@code k}, so that {@code Σ_k λ_k·f(k) = f(0)}
     * for every polynomial {@code f} of degree below {@code points.length}.
     *
     * @throws IllegalArgumentException if a point is not positive or appears twice
     */
    public static Fr[] atZero(int[] points) {
        Set<Integer> seen = new HashSet<>();
        for (int k : points) {
            if (k < 1) {
                throw new IllegalArgumentException("interpolation points must be positive, got " + k);
            }
            if (!seen.add(k)) {
                throw new IllegalArgumentException("interpolation point " + k + " appears twice");
            }
        }
        Fr[] num = new Fr[points.length];
        Fr[] den = new Fr[points.length];
        for (int a = 0; a < points.length; a++) {
            Fr n = Fr.ONE;
            Fr d = Fr.ONE;
            for (int c = 0; c < points.length; c++) {
                if (c != a) {
                    n = n.mul(Fr.of(points[c]));
                    d = d.mul(Fr.of(points[c] - points[a]));
                }
            }
            num[a] = n;
            den[a] = d;
        }
        Fr[] inv = new Fr[points.length];
        Fr.batchInverse(den, inv);
        Fr[] out = new Fr[points.length];
        for (int a = 0; a < points.length; a++) {
            out[a] = num[a].mul(inv[a]);
        }
        return out;
    }
}
