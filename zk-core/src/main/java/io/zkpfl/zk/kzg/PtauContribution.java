package io.zkpfl.zk.kzg;

import io.zkpfl.zk.bn254.G1;
import io.zkpfl.zk.bn254.G2;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One entry of a {@code .ptau} contributions section (snarkjs' layout): the accumulator's first
 * points after this contribution ({@code τ·G1}, {@code τ·G2}, {@code α·G1}, {@code β·G1},
 * {@code β·G2}), the contributor's public key — for each secret x ∈ {τ, α, β} a random
 * {@code s·G1}, {@code x·s·G1} and {@code x·sp} where {@code sp} is the G2 point hashed from the
 * previous challenge and those two G1 points — the 216-byte Blake2b state after the response's
 * points ({@code partialHash}), the 64-byte challenge the next contributor builds on, the type
 * (0 contribution, 1 beacon) and the optional name and beacon parameters.
 *
 * <p>{@code numIterationsExp} and {@code beaconHash} are meaningful for beacons only ({@code 0} and
 * an empty array otherwise).
 */
public record PtauContribution(G1 tauG1, G2 tauG2, G1 alphaG1, G1 betaG1, G2 betaG2, Key tau, Key alpha, Key beta,
        byte[] partialHash, byte[] nextChallenge, int type, String name, int numIterationsExp, byte[] beaconHash) {

    /** Length of the stored Blake2b state. */
    public static final int PARTIAL_HASH_BYTES = 216;
    /** Length of a challenge hash (Blake2b-512). */
    public static final int HASH_BYTES = 64;
    /** Type of an ordinary contribution. */
    public static final int TYPE_CONTRIBUTION = 0;
    /** Type of a random beacon. */
    public static final int TYPE_BEACON = 1;

    /**
     * A contributor's public key for one secret x: {@code g1s = s·G1} (random), {@code g1sx = x·g1s}
     * and {@code g2spx = x·sp}, where {@code sp} is derived from the previous challenge, g1s and g1sx
     * (it is not stored: verifiers recompute it).
     */
    public record Key(G1 g1s, G1 g1sx, G2 g2spx) {

        public Key {
            Objects.requireNonNull(g1s, "g1s");
            Objects.requireNonNull(g1sx, "g1sx");
            Objects.requireNonNull(g2spx, "g2spx");
        }
    }

    public PtauContribution {
        Objects.requireNonNull(tauG1, "tauG1");
        Objects.requireNonNull(tauG2, "tauG2");
        Objects.requireNonNull(alphaG1, "alphaG1");
        Objects.requireNonNull(betaG1, "betaG1");
        Objects.requireNonNull(betaG2, "betaG2");
        Objects.requireNonNull(tau, "tau");
        Objects.requireNonNull(alpha, "alpha");
        Objects.requireNonNull(beta, "beta");
        if (partialHash == null || partialHash.length != PARTIAL_HASH_BYTES) {
            throw new IllegalArgumentException("partial hash must be " + PARTIAL_HASH_BYTES + " bytes");
        }
        if (nextChallenge == null || nextChallenge.length != HASH_BYTES) {
            throw new IllegalArgumentException("next challenge must be " + HASH_BYTES + " bytes");
        }
        if (type != TYPE_CONTRIBUTION && type != TYPE_BEACON) {
            throw new IllegalArgumentException("contribution type must be 0 or 1");
        }
        if (name != null && name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 255) {
            throw new IllegalArgumentException("contribution name longer than 255 bytes");
        }
        beaconHash = beaconHash == null ? new byte[0] : beaconHash.clone();
        if (beaconHash.length > 255) {
            throw new IllegalArgumentException("beacon hash longer than 255 bytes");
        }
        partialHash = partialHash.clone();
        nextChallenge = nextChallenge.clone();
    }

    @Override
    public byte[] partialHash() {
        return partialHash.clone();
    }

    @Override
    public byte[] nextChallenge() {
        return nextChallenge.clone();
    }

    @Override
    public byte[] beaconHash() {
        return beaconHash.clone();
    }

    /** The next challenge in hex, as snarkjs prints it (without its grouping). */
    public String nextChallengeHex() {
        return HexFormat.of().formatHex(nextChallenge);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PtauContribution c && tauG1.equals(c.tauG1) && tauG2.equals(c.tauG2)
                && alphaG1.equals(c.alphaG1) && betaG1.equals(c.betaG1) && betaG2.equals(c.betaG2)
                && tau.equals(c.tau) && alpha.equals(c.alpha) && beta.equals(c.beta)
                && Arrays.equals(partialHash, c.partialHash) && Arrays.equals(nextChallenge, c.nextChallenge)
                && type == c.type && Objects.equals(name, c.name) && numIterationsExp == c.numIterationsExp
                && Arrays.equals(beaconHash, c.beaconHash);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(nextChallenge);
    }

    @Override
    public String toString() {
        return "PtauContribution[" + (name == null ? "" : name + ", ") + (type == TYPE_BEACON ? "beacon, " : "")
                + "next challenge " + nextChallengeHex().substring(0, 16) + "…]";
    }
}
