package io.zkpfl.protocol.vss;

import io.zkpfl.zk.kzg.Srs;

/**
 * The sharing's shape (docs/protocol.md, "Parameters"): threshold {@code t}, committee size {@code m}
 * (nodes at points {@code 1..m}), model length {@code d} and share length {@code D ≥ d + m}
 * ({@code d} update coordinates, {@code m} masks, zero padding). Blinding polynomials have degree
 * {@code m + 1}, i.e. {@link #blindingLength()} {@code = m + 2} coefficients
 * (docs/adr/0060-blinding-degree.md).
 */
public record VssParameters(int threshold, int committeeSize, int modelLength, int length) {

    public VssParameters {
        if (threshold < 2) {
            throw new IllegalArgumentException("threshold t must be at least 2, got " + threshold);
        }
        if (committeeSize < 2 * threshold - 1) {
            throw new IllegalArgumentException(
                    "committee size m must be at least 2t − 1 = " + (2 * threshold - 1) + ", got " + committeeSize);
        }
        if (modelLength < 1) {
            throw new IllegalArgumentException("model length d must be positive, got " + modelLength);
        }
        if ((long) length < (long) modelLength + committeeSize) {
            throw new IllegalArgumentException("share length D must be at least d + m = "
                    + ((long) modelLength + committeeSize) + ", got " + length);
        }
    }

    /** Coefficients of a blinding polynomial: {@code m + 2}. */
    public int blindingLength() {
        return committeeSize + 2;
    }

    /**
     * Checks that {@code srs} commits to vectors of length {@code D} with blindings of {@code m + 2}.
     *
     * @throws IllegalArgumentException naming the SRS's shortfall
     */
    public void requireFits(Srs srs) {
        if (srs.maxLength() < length) {
            throw new IllegalArgumentException(
                    "SRS has " + srs.maxLength() + " powers of tau, the share length D needs " + length);
        }
        if (srs.maxBlindingLength() < blindingLength()) {
            throw new IllegalArgumentException("SRS has " + srs.maxBlindingLength()
                    + " alpha powers, blinding polynomials of degree m + 1 need " + blindingLength());
        }
    }

    /** Checks that {@code k} is a committee point {@code 1..m}. */
    public void requireNode(int k) {
        if (k < 1 || k > committeeSize) {
            throw new IllegalArgumentException("node index must be in 1.." + committeeSize + ", got " + k);
        }
    }
}
