package io.zkpfl.zk.bn254;

/**
 * The group operations that code generic over G1 and G2 needs ({@link FixedBase}); the hot MSM
 * kernels do not go through it, they are generated per group.
 *
 * @param <P> the point type
 */
public sealed interface CurveGroup<P> permits CurveGroup.OfG1, CurveGroup.OfG2 {

    /** G1 on BN254. */
    CurveGroup<G1> G1_GROUP = new OfG1();
    /** G2 on BN254. */
    CurveGroup<G2> G2_GROUP = new OfG2();

    /** The point at infinity. */
    P infinity();

    /** a + b. */
    P add(P a, P b);

    /** acc + q for a normalised (affine) q that is not infinity. */
    P addAffine(P acc, P q);

    /** Whether p is the point at infinity. */
    boolean isInfinity(P p);

    /** The points normalised to affine coordinates, with one shared inversion. */
    P[] normalizeAll(P[] points);

    /** A new array of points. */
    P[] newArray(int n);

    /** G1's operations. */
    final class OfG1 implements CurveGroup<G1> {
        private OfG1() {
        }

        @Override
        public G1 infinity() {
            return G1.INFINITY;
        }

        @Override
        public G1 add(G1 a, G1 b) {
            return a.add(b);
        }

        @Override
        public G1 addAffine(G1 acc, G1 q) {
            return acc.addAffine(q.x, q.y);
        }

        @Override
        public boolean isInfinity(G1 p) {
            return p.isInfinity();
        }

        @Override
        public G1[] normalizeAll(G1[] points) {
            return MsmG1.normalizeAll(points);
        }

        @Override
        public G1[] newArray(int n) {
            return new G1[n];
        }
    }

    /** G2's operations. */
    final class OfG2 implements CurveGroup<G2> {
        private OfG2() {
        }

        @Override
        public G2 infinity() {
            return G2.INFINITY;
        }

        @Override
        public G2 add(G2 a, G2 b) {
            return a.add(b);
        }

        @Override
        public G2 addAffine(G2 acc, G2 q) {
            return acc.addAffine(q.x, q.y);
        }

        @Override
        public boolean isInfinity(G2 p) {
            return p.isInfinity();
        }

        @Override
        public G2[] normalizeAll(G2[] points) {
            return MsmG2.normalizeAll(points);
        }

        @Override
        public G2[] newArray(int n) {
            return new G2[n];
        }
    }
}
