package io.zkpfl.zk.groth16;

import io.zkpfl.zk.bn254.G1;
import io.zkpfl.zk.bn254.G2;
import java.util.Objects;

/**
 * A Groth16 proving key for a constraint system with {@code numWires} wires of which
 * {@code numPublic} are public (wire 0 excluded), over an evaluation domain of
 * {@code domainSize} points. All points are affine (normalised).
 *
 * <ul>
 *   <li>{@code a[i] = [u_i(τ)]₁}, {@code b1[i] = [v_i(τ)]₁}, {@code b2[i] = [v_i(τ)]₂} for every wire;
 *   <li>{@code l[k] = [(β·u_i + α·v_i + w_i)(τ)/δ]₁} for the private wire i = numPublic + 1 + k;
 *   <li>{@code h[j] = [τ^j·Z(τ)/δ]₁} for j = 0 … domainSize − 2.
 * </ul>
 *
 * <p>Arrays are shared, not copied (keys are large); treat them as read-only.
 */
public record ProvingKey(int numWires, int numPublic, int domainSize, G1 alpha1, G1 beta1, G2 beta2,
        G1 delta1, G2 delta2, G1[] a, G1[] b1, G2[] b2, G1[] l, G1[] h) {

    public ProvingKey {
        Objects.requireNonNull(alpha1, "alpha1");
        Objects.requireNonNull(beta1, "beta1");
        Objects.requireNonNull(beta2, "beta2");
        Objects.requireNonNull(delta1, "delta1");
        Objects.requireNonNull(delta2, "delta2");
        if (numPublic < 0 || numWires < numPublic + 1) {
            throw new IllegalArgumentException("inconsistent wire counts");
        }
        if (domainSize < 1 || Integer.bitCount(domainSize) != 1) {
            throw new IllegalArgumentException("domain size must be a power of two");
        }
        if (a.length != numWires || b1.length != numWires || b2.length != numWires) {
            throw new IllegalArgumentException("A/B queries must have one point per wire");
        }
        if (l.length != numWires - numPublic - 1) {
            throw new IllegalArgumentException("L query must have one point per private wire");
        }
        if (h.length != domainSize - 1) {
            throw new IllegalArgumentException("H query must have domainSize - 1 points");
        }
    }

    @Override
    public String toString() {
        return "ProvingKey[wires=" + numWires + ", public=" + numPublic + ", domain=" + domainSize + "]";
    }
}
