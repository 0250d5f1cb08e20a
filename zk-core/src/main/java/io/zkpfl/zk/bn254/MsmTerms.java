package io.zkpfl.zk.bn254;

import java.util.function.Predicate;

/** The terms of an MSM that contribute: shared by {@link MsmG1} and {@link MsmG2}. */
final class MsmTerms {

    private MsmTerms() {
    }

    /**
     * Moves the terms with a non-zero scalar and a finite base to the front: {@code points} (the
     * caller's own copy) in place, their scalars into {@code kept}. Such terms add nothing, and a
     * proving key's B query has one infinite base per wire that no B row uses; dropping them before
     * the window width is chosen lets it fit the terms that remain.
     *
     * @return the number of terms kept
     */
    static <P> int compact(P[] points, Fr[] scalars, Predicate<P> infinite, Fr[] kept) {
        int n = 0;
        for (int i = 0; i < points.length; i++) {
            if (!infinite.test(points[i]) && !scalars[i].isZero()) {
                points[n] = points[i];
                kept[n++] = scalars[i];
            }
        }
        return n;
    }
}
