package io.zkpfl.zk.mpcsetup;

import io.zkpfl.zk.bn254.G1;
import io.zkpfl.zk.bn254.G2;
import io.zkpfl.zk.groth16.KeyPair;
import io.zkpfl.zk.groth16.ProvingKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The public record of a phase-2 ceremony: the digest of the initial keys it started from and every
 * contribution in order, each chained to the previous one by its hash.
 *
 * <p>Binary format (version 1, big-endian counts, points in the EVM layout as in
 * {@link BinaryFormat}): {@code "ZP2T"}, version byte 1, three zero bytes; the 32-byte initial
 * digest; int32 numL, numH, count; then per contribution δ₁ (64 bytes), δ₂ (128), s·P1 (64),
 * s·P2 (128), numL G1 points of L, numH G1 points of H, and the 32-byte contribution hash.
 * {@link #decode} checks the header, the exact length before allocating anything sized by a count,
 * that every point is on its curve and every G2 point is in the order-r subgroup; it does not check
 * the cryptography, which is {@link Phase2#verify}'s job.
 */
public record Phase2Transcript(byte[] initialDigest, int numL, int numH, List<Phase2Contribution> contributions) {

    /** Current format version. */
    public static final int VERSION = 1;
    private static final byte[] MAGIC = {'Z', 'P', '2', 'T'};
    private static final int HEADER = 8 + Phase2Contribution.HASH_BYTES + 12;
    private static final int G1_BYTES = 64;
    private static final int G2_BYTES = 128;
    private static final int MAX_CONTRIBUTIONS = 1 << 16;

    public Phase2Transcript {
        if (initialDigest == null || initialDigest.length != Phase2Contribution.HASH_BYTES) {
            throw new IllegalArgumentException("initial digest must be " + Phase2Contribution.HASH_BYTES + " bytes");
        }
        if (numL < 0 || numH < 0) {
            throw new IllegalArgumentException("negative query size");
        }
        initialDigest = initialDigest.clone();
        contributions = List.copyOf(contributions);
        for (Phase2Contribution c : contributions) {
            if (c.l().length != numL || c.h().length != numH) {
                throw new IllegalArgumentException("contribution queries do not have " + numL + " L and " + numH + " H points");
            }
        }
    }

    /** An empty transcript for a ceremony starting from {@code initial} (usually the keys of {@link Groth16#setup}). */
    public static Phase2Transcript start(KeyPair initial) {
        ProvingKey pk = initial.provingKey();
        return new Phase2Transcript(Phase2.initialDigest(initial), pk.l().length, pk.h().length, List.of());
    }

    @Override
    public byte[] initialDigest() {
        return initialDigest.clone();
    }

    /** The hash the next contribution chains to: the last contribution's, or the initial digest. */
    public byte[] lastHash() {
        return contributions.isEmpty() ? initialDigest.clone() : contributions.getLast().hash();
    }

    /** Number of contributions. */
    public int size() {
        return contributions.size();
    }

    /** This transcript with {@code c} appended. */
    Phase2Transcript with(Phase2Contribution c) {
        List<Phase2Contribution> all = new ArrayList<>(contributions);
        all.add(c);
        return new Phase2Transcript(initialDigest, numL, numH, all);
    }

    /** This transcript with only its first {@code n} contributions. */
    public Phase2Transcript prefix(int n) {
        return new Phase2Transcript(initialDigest, numL, numH, contributions.subList(0, n));
    }

    /** The binary encoding. @throws IllegalArgumentException if it would exceed 2 GiB */
    public byte[] encode() {
        long len = length(numL, numH, contributions.size());
        if (len > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("transcript too large for one byte array (" + len + " bytes)");
        }
        ByteBuffer b = ByteBuffer.allocate((int) len);
        b.put(MAGIC).put((byte) VERSION).put((byte) 0).put((byte) 0).put((byte) 0);
        b.put(initialDigest).putInt(numL).putInt(numH).putInt(contributions.size());
        for (Phase2Contribution c : contributions) {
            b.put(c.delta1().toEvmBytes()).put(c.delta2().toEvmBytes());
            b.put(c.pokS1().toEvmBytes()).put(c.pokS2().toEvmBytes());
            for (G1 p : c.l()) {
                b.put(p.toEvmBytes());
            }
            for (G1 p : c.h()) {
                b.put(p.toEvmBytes());
            }
            b.put(c.hash());
        }
        return b.array();
    }

    /** Writes {@link #encode()} to {@code out}. */
    public void writeTo(OutputStream out) throws IOException {
        out.write(encode());
    }

    /**
     * Reads a transcript written by {@link #writeTo} (the whole stream).
     *
     * @throws Phase2Exception if it is malformed
     */
    public static Phase2Transcript readFrom(InputStream in) throws IOException {
        return decode(in.readAllBytes());
    }

    /**
     * Decodes a transcript.
     *
     * @throws Phase2Exception if it is malformed (bad header, truncated, trailing bytes, coordinates
     *     not below p, points off their curves or G2 points outside the subgroup)
     */
    public static Phase2Transcript decode(byte[] data) {
        if (data == null || data.length < HEADER) {
            throw new Phase2Exception(0, "input too short for a transcript header ("
                    + (data == null ? 0 : data.length) + " bytes)");
        }
        if (!Arrays.equals(data, 0, 4, MAGIC, 0, 4)) {
            throw new Phase2Exception(0, "not a zkPFL phase-2 transcript (bad magic)");
        }
        if (data[4] != VERSION || data[5] != 0 || data[6] != 0 || data[7] != 0) {
            throw new Phase2Exception(0, "unsupported transcript version " + data[4]);
        }
        ByteBuffer b = ByteBuffer.wrap(data);
        b.position(8);
        byte[] digest = new byte[Phase2Contribution.HASH_BYTES];
        b.get(digest);
        int numL = b.getInt();
        int numH = b.getInt();
        int count = b.getInt();
        if (numL < 0 || numL > (1 << 28) || numH < 0 || numH > (1 << 28) || count < 0 || count > MAX_CONTRIBUTIONS) {
            throw new Phase2Exception(0, "counts out of range (L " + numL + ", H " + numH + ", contributions " + count + ")");
        }
        long expected = length(numL, numH, count);
        if (data.length != expected) {
            throw new Phase2Exception(0, "expected " + expected + " bytes for " + count + " contributions, got "
                    + data.length + (data.length < expected ? " (truncated)" : " (trailing bytes)"));
        }
        List<Phase2Contribution> list = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            try {
                G1 d1 = G1.fromEvmBytes(take(b, G1_BYTES));
                G2 d2 = G2.fromEvmBytes(take(b, G2_BYTES));
                G1 s1 = G1.fromEvmBytes(take(b, G1_BYTES));
                G2 s2 = G2.fromEvmBytes(take(b, G2_BYTES));
                G1[] l = new G1[numL];
                for (int k = 0; k < numL; k++) {
                    l[k] = G1.fromEvmBytes(take(b, G1_BYTES));
                }
                G1[] h = new G1[numH];
                for (int k = 0; k < numH; k++) {
                    h[k] = G1.fromEvmBytes(take(b, G1_BYTES));
                }
                list.add(new Phase2Contribution(d1, d2, s1, s2, l, h, take(b, Phase2Contribution.HASH_BYTES)));
            } catch (Phase2Exception e) {
                throw e;
            } catch (IllegalArgumentException e) {
                throw new Phase2Exception(i, "malformed point: " + e.getMessage());
            }
        }
        return new Phase2Transcript(digest, numL, numH, list);
    }

    private static byte[] take(ByteBuffer b, int n) {
        byte[] out = new byte[n];
        b.get(out);
        return out;
    }

    private static long length(long numL, long numH, long count) {
        long per = 2L * G1_BYTES + 2L * G2_BYTES + (numL + numH) * G1_BYTES + Phase2Contribution.HASH_BYTES;
        return HEADER + count * per;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Phase2Transcript t && Arrays.equals(initialDigest, t.initialDigest) && numL == t.numL
                && numH == t.numH && contributions.equals(t.contributions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(initialDigest), numL, numH, contributions);
    }

    @Override
    public String toString() {
        return "Phase2Transcript[contributions=" + contributions.size() + ", L=" + numL + ", H=" + numH + "]";
    }
}
