package io.zkpfl.zk.mpcsetup;

import io.zkpfl.zk.bn254.G1;
import io.zkpfl.zk.bn254.G2;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One published phase-2 contribution: the new δ in G1 and G2, the proof of knowledge of the
 * contributor's secret s ({@code pokS1 = s·P1} and {@code pokS2 = s·P2} for challenge points P1, P2
 * derived by hashing the transcript so far), the L and H queries divided by s, and the contribution's
 * hash, which chains it to everything before it.
 *
 * <p>Arrays are shared, not copied (they are as large as the proving key's L and H); treat them as
 * read-only.
 */
public record Phase2Contribution(G1 delta1, G2 delta2, G1 pokS1, G2 pokS2, G1[] l, G1[] h, byte[] hash) {

    /** Length of a contribution hash (SHA-256). */
    public static final int HASH_BYTES = 32;

    public Phase2Contribution {
        Objects.requireNonNull(delta1, "delta1");
        Objects.requireNonNull(delta2, "delta2");
        Objects.requireNonNull(pokS1, "pokS1");
        Objects.requireNonNull(pokS2, "pokS2");
        Objects.requireNonNull(l, "l");
        Objects.requireNonNull(h, "h");
        if (hash == null || hash.length != HASH_BYTES) {
            throw new IllegalArgumentException("contribution hash must be " + HASH_BYTES + " bytes");
        }
        hash = hash.clone();
    }

    @Override
    public byte[] hash() {
        return hash.clone();
    }

    /** The contribution hash in hex, which a contributor publishes so others can find it in the transcript. */
    public String hashHex() {
        return HexFormat.of().formatHex(hash);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Phase2Contribution c && delta1.equals(c.delta1) && delta2.equals(c.delta2)
                && pokS1.equals(c.pokS1) && pokS2.equals(c.pokS2) && Arrays.equals(l, c.l)
                && Arrays.equals(h, c.h) && Arrays.equals(hash, c.hash);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(hash);
    }

    @Override
    public String toString() {
        return "Phase2Contribution[" + hashHex() + "]";
    }
}
