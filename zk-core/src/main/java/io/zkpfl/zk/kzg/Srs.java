package io.zkpfl.zk.kzg;

import io.zkpfl.zk.bn254.FixedBase;
import io.zkpfl.zk.bn254.Fr;
import io.zkpfl.zk.bn254.G1;
import io.zkpfl.zk.bn254.G2;
import io.zkpfl.zk.bn254.MsmG1;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The structured reference string of the hiding KZG commitments (docs/protocol.md, "SRS"):
 * {@code G_j = [τ^j]_1} for {@code j < g.length}, {@code H_l = [α·τ^l]_1} for {@code l < h.length},
 * {@code [1]_2} and {@code [τ]_2}. The G1 points are kept normalised (affine).
 *
 * <p>One SRS serves every vector length up to {@link #maxLength()}; blinding polynomials have at most
 * {@link #maxBlindingLength()} coefficients.
 */
public final class Srs {

    private final G1[] g;
    private final G1[] h;
    private final G2 one;
    private final G2 tau;
    private byte[] hash;

    /**
     * An SRS from its points. The caller vouches for them (a verified {@code .ptau} or ceremony);
     * this constructor checks only shapes.
     */
    public Srs(G1[] g, G1[] h, G2 one, G2 tau) {
        if (g.length < 2 || h.length < 1) {
            throw new IllegalArgumentException("an SRS needs at least 2 powers of tau and 1 of alpha·tau");
        }
        this.g = MsmG1.normalizeAll(g.clone());
        this.h = MsmG1.normalizeAll(h.clone());
        this.one = one.normalize();
        this.tau = tau.normalize();
    }

    /**
     * An SRS computed from known secrets: for tests and benchmarks only, since whoever knows
     * {@code τ} or {@code α} can open a commitment to anything.
     */
    public static Srs insecureFromSecrets(Fr tauSecret, Fr alphaSecret, int gLength, int hLength) {
        Fr[] gs = new Fr[gLength];
        Fr[] hs = new Fr[hLength];
        Fr p = Fr.ONE;
        for (int j = 0; j < Math.max(gLength, hLength); j++) {
            if (j < gLength) {
                gs[j] = p;
            }
            if (j < hLength) {
                hs[j] = alphaSecret.mul(p);
            }
            p = p.mul(tauSecret);
        }
        // one fixed-base table for the generator: 2^20 powers take seconds instead of minutes
        FixedBase<G1> table = FixedBase.ofG1(G1.GENERATOR);
        return new Srs(table.mulAll(gs), table.mulAll(hs), G2.GENERATOR, G2.GENERATOR.mul(tauSecret));
    }

    /**
     * The SRS of a checked powers-of-tau accumulator: {@code G_j = tauG1[j]} for {@code j < gLength},
     * {@code H_l = alphaTauG1[l]} for {@code l < hLength} (α of the ceremony, of which no G2 power
     * is published), {@code [1]_2 = tauG2[0]} and {@code [τ]_2 = tauG2[1]}. Whether the ceremony
     * behind it is trustworthy is {@link PowersOfTau#verify}'s question, not this method's.
     *
     * @throws IllegalArgumentException if the accumulator holds fewer powers than asked for
     */
    public static Srs fromPtau(Ptau ptau, int gLength, int hLength) {
        if (gLength > ptau.tauG1Count()) {
            throw new IllegalArgumentException("the ptau holds " + ptau.tauG1Count() + " tauG1 powers, " + gLength
                    + " asked for");
        }
        if (hLength > ptau.alphaTauG1Count()) {
            throw new IllegalArgumentException("the ptau holds " + ptau.alphaTauG1Count() + " alphaTauG1 powers, "
                    + hLength + " asked for");
        }
        return new Srs(ptau.tauG1Prefix(gLength), ptau.alphaTauG1Prefix(hLength), ptau.tauG2(0), ptau.tauG2(1));
    }

    /**
     * Reads the SRS from a {@code .ptau} file (snarkjs' or {@link PowersOfTau}'), taking only the
     * points it needs and checking them as {@link Ptau#read(Path, int, int)} does.
     *
     * @throws PtauException if the file is malformed or inconsistent
     * @throws IllegalArgumentException if it holds fewer powers than asked for
     */
    public static Srs fromPtau(Path file, int gLength, int hLength) throws IOException {
        return fromPtau(Ptau.read(file, Math.max(2, Math.max(gLength, hLength)), 2), gLength, hLength);
    }

    /** The longest vector this SRS commits to (its number of G1 powers). */
    public int maxLength() {
        return g.length;
    }

    /** The longest blinding polynomial (coefficients) this SRS commits to. */
    public int maxBlindingLength() {
        return h.length;
    }

    /** {@code G_j = [τ^j]_1}. */
    public G1 g(int j) {
        return g[j];
    }

    /** {@code H_l = [α·τ^l]_1}. */
    public G1 h(int l) {
        return h[l];
    }

    /** The first {@code n} powers {@code G_0 … G_{n−1}} (a copy). */
    public G1[] gPrefix(int n) {
        return Arrays.copyOf(g, n);
    }

    /** The first {@code n} blinding bases {@code H_0 … H_{n−1}} (a copy). */
    public G1[] hPrefix(int n) {
        return Arrays.copyOf(h, n);
    }

    /** {@code [1]_2}. */
    public G2 g2One() {
        return one;
    }

    /** {@code [τ]_2}. */
    public G2 g2Tau() {
        return tau;
    }

    /**
     * SHA-256 of the SRS's canonical encoding: the domain string {@code "zkPFL-KZG-SRS-v1"}, the two
     * lengths as big-endian 32-bit integers, every G1 point in EVM form (64 bytes), then {@code [1]_2}
     * and {@code [τ]_2} in EVM form (128 bytes each). This is the value fixed on chain.
     */
    public synchronized byte[] hash() {
        if (hash == null) {
            try {
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                md.update("zkPFL-KZG-SRS-v1".getBytes(StandardCharsets.US_ASCII));
                md.update(ByteBuffer.allocate(8).putInt(g.length).putInt(h.length).array());
                for (G1 p : g) {
                    md.update(p.toEvmBytes());
                }
                for (G1 p : h) {
                    md.update(p.toEvmBytes());
                }
                md.update(one.toEvmBytes());
                md.update(tau.toEvmBytes());
                hash = md.digest();
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
        return hash.clone();
    }
}
