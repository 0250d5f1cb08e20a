package io.zkpfl.zk.bn254;

/**
 * What code generic over G1 and G2 needs of a point ({@link FixedBase}); the hot MSM kernels do not
 * go through it, they are generated per group.
 *
 * @param <P> the point type itself
 */
public sealed interface CurvePoint<P extends CurvePoint<P>> permits G1, G2 {

    /** this + other. */
    P add(P other);

    /** this + q for a normalised (affine), finite q: a cheaper mixed addition. */
    P addNormalized(P q);

    /** Whether this is the point at infinity. */
    boolean isInfinity();
}
