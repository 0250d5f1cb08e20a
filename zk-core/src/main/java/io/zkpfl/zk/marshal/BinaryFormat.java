package io.zkpfl.zk.marshal;

import io.zkpfl.zk.bn254.Fp;
import io.zkpfl.zk.bn254.Fp2;
import io.zkpfl.zk.bn254.G1;
import io.zkpfl.zk.bn254.G2;
import io.zkpfl.zk.groth16.Groth16;
import io.zkpfl.zk.groth16.Proof;
import io.zkpfl.zk.groth16.ProvingKey;
import io.zkpfl.zk.groth16.VerifyingKey;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * zkPFL's binary encoding of Groth16 proofs and keys.
 *
 * <p>Every blob starts with an 8-byte header: the magic {@code "ZG16"}, a kind byte (1 proof, 2
 * verifying key, 3 proving key), the format version (1) and two zero bytes. Counts are big-endian
 * int32; points use the EVM layout (G1: x ‖ y, G2: x.im ‖ x.re ‖ y.im ‖ y.re, 32-byte big-endian
 * coordinates, all-zero for infinity). Decoding checks the header, the exact total length (before
 * allocating anything sized by a count), that coordinates are below p, that points are on their
 * curves, and that every G2 point (of proofs, verifying keys and proving keys) is in the order-r
 * subgroup ({@link G2#isInSubgroup()}, the ψ-endomorphism test).
 */
public final class BinaryFormat {

    /** Current format version. */
    public static final int VERSION = 1;
    private static final byte[] MAGIC = {'Z', 'G', '1', '6'};
    private static final int HEADER = 8;
    private static final int G1_BYTES = 64;
    private static final int G2_BYTES = 128;
    private static final byte KIND_PROOF = 1;
    private static final byte KIND_VK = 2;
    private static final byte KIND_PK = 3;

    private BinaryFormat() {
    }

    /** Encodes a proof (264 bytes). */
    public static byte[] encode(Proof p) {
        ByteBuffer b = header(KIND_PROOF, G1_BYTES * 2 + G2_BYTES);
        b.put(p.a().toEvmBytes()).put(p.b().toEvmBytes()).put(p.c().toEvmBytes());
        return b.array();
    }

    /**
     * Decodes a proof.
     *
     * @throws IllegalArgumentException on any malformed input
     */
    public static Proof decodeProof(byte[] data) {
        ByteBuffer b = open(data, KIND_PROOF, G1_BYTES * 2L + G2_BYTES);
        return new Proof(g1(b), g2(b, true), g1(b));
    }

    /** Encodes a verifying key. */
    public static byte[] encode(VerifyingKey vk) {
        G1[] ic = vk.ic();
        ByteBuffer b = header(KIND_VK, 4 + G1_BYTES + 3 * G2_BYTES + ic.length * G1_BYTES);
        b.putInt(vk.numPublic());
        b.put(vk.alpha1().toEvmBytes()).put(vk.beta2().toEvmBytes()).put(vk.gamma2().toEvmBytes())
                .put(vk.delta2().toEvmBytes());
        for (G1 p : ic) {
            b.put(p.toEvmBytes());
        }
        return b.array();
    }

    /**
     * Decodes a verifying key.
     *
     * @throws IllegalArgumentException on any malformed input
     */
    public static VerifyingKey decodeVerifyingKey(byte[] data) {
        int nPub = peekCount(data, KIND_VK, 0);
        ByteBuffer b = open(data, KIND_VK, 4 + G1_BYTES + 3L * G2_BYTES + (nPub + 1L) * G1_BYTES);
        b.getInt();
        G1 alpha = g1(b);
        G2 beta = g2(b, true);
        G2 gamma = g2(b, true);
        G2 delta = g2(b, true);
        G1[] ic = new G1[nPub + 1];
        for (int i = 0; i < ic.length; i++) {
            ic[i] = g1(b);
        }
        return new VerifyingKey(alpha, beta, gamma, delta, ic);
    }

    /** Encodes a proving key. */
    public static byte[] encode(ProvingKey pk) {
        long len = pkBodyLength(pk.numWires(), pk.numPublic(), pk.domainSize());
        if (len > Integer.MAX_VALUE - HEADER) {
            throw new IllegalArgumentException("proving key too large for a byte array");
        }
        ByteBuffer b = header(KIND_PK, (int) len);
        b.putInt(pk.numWires()).putInt(pk.numPublic()).putInt(pk.domainSize());
        b.put(pk.alpha1().toEvmBytes()).put(pk.beta1().toEvmBytes()).put(pk.beta2().toEvmBytes())
                .put(pk.delta1().toEvmBytes()).put(pk.delta2().toEvmBytes());
        for (G1 p : pk.a()) {
            b.put(p.toEvmBytes());
        }
        for (G1 p : pk.b1()) {
            b.put(p.toEvmBytes());
        }
        for (G2 p : pk.b2()) {
            b.put(p.toEvmBytes());
        }
        for (G1 p : pk.l()) {
            b.put(p.toEvmBytes());
        }
        for (G1 p : pk.h()) {
            b.put(p.toEvmBytes());
        }
        return b.array();
    }

    /**
     * Decodes a proving key. Every G2 point is checked to be on the twist and in the order-r
     * subgroup (the B₂ query in parallel).
     *
     * @throws IllegalArgumentException on any malformed input
     */
    public static ProvingKey decodeProvingKey(byte[] data) {
        int nWires = peekCount(data, KIND_PK, 0);
        int nPub = peekCount(data, KIND_PK, 4);
        int domain = peekCount(data, KIND_PK, 8);
        if (nWires < nPub + 1 || domain < 1 || Integer.bitCount(domain) != 1) {
            throw new IllegalArgumentException("proving key header has inconsistent counts");
        }
        ByteBuffer b = open(data, KIND_PK, pkBodyLength(nWires, nPub, domain));
        b.getInt();
        b.getInt();
        b.getInt();
        G1 alpha1 = g1(b);
        G1 beta1 = g1(b);
        G2 beta2 = g2(b, true);
        G1 delta1 = g1(b);
        G2 delta2 = g2(b, true);
        G1[] a = g1s(b, nWires);
        G1[] b1 = g1s(b, nWires);
        G2[] b2 = new G2[nWires];
        for (int i = 0; i < nWires; i++) {
            b2[i] = g2(b, false);
        }
        int bad = IntStream.range(0, nWires).parallel().filter(i -> !b2[i].isInSubgroup()).min().orElse(-1);
        if (bad >= 0) {
            throw new IllegalArgumentException("proving key B2 query point " + bad + " is not in the order-r subgroup of G2");
        }
        G1[] l = g1s(b, nWires - nPub - 1);
        G1[] h = g1s(b, domain - 1);
        return new ProvingKey(nWires, nPub, domain, alpha1, beta1, beta2, delta1, delta2, a, b1, b2, l, h);
    }

    private static long pkBodyLength(long nWires, long nPub, long domain) {
        return 12 + 4L * G1_BYTES + 2L * G2_BYTES + nWires * (2L * G1_BYTES + G2_BYTES)
                + (nWires - nPub - 1) * G1_BYTES + (domain - 1) * G1_BYTES;
    }

    private static ByteBuffer header(byte kind, int bodyLength) {
        ByteBuffer b = ByteBuffer.allocate(HEADER + bodyLength);
        b.put(MAGIC).put(kind).put((byte) VERSION).put((byte) 0).put((byte) 0);
        return b;
    }

    private static void checkHeader(byte[] data, byte kind) {
        if (data == null || data.length < HEADER) {
            throw new IllegalArgumentException("input too short for a zkPFL Groth16 header");
        }
        if (!Arrays.equals(data, 0, 4, MAGIC, 0, 4)) {
            throw new IllegalArgumentException("not a zkPFL Groth16 blob (bad magic)");
        }
        if (data[4] != kind) {
            throw new IllegalArgumentException("wrong blob kind " + data[4] + ", expected " + kind);
        }
        if (data[5] != VERSION || data[6] != 0 || data[7] != 0) {
            throw new IllegalArgumentException("unsupported format version " + data[5]);
        }
    }

    private static int peekCount(byte[] data, byte kind, int offset) {
        checkHeader(data, kind);
        if (data.length < HEADER + offset + 4) {
            throw new IllegalArgumentException("input truncated in the header");
        }
        int v = ByteBuffer.wrap(data, HEADER + offset, 4).getInt();
        if (v < 0 || v > (1 << 28)) {
            throw new IllegalArgumentException("count out of range: " + v);
        }
        return v;
    }

    private static ByteBuffer open(byte[] data, byte kind, long bodyLength) {
        checkHeader(data, kind);
        if (data.length != HEADER + bodyLength) {
            throw new IllegalArgumentException("expected " + (HEADER + bodyLength) + " bytes, got " + data.length);
        }
        ByteBuffer b = ByteBuffer.wrap(data);
        b.position(HEADER);
        return b;
    }

    private static G1 g1(ByteBuffer b) {
        byte[] raw = new byte[G1_BYTES];
        try {
            b.get(raw);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("input truncated", e);
        }
        return G1.fromEvmBytes(raw);
    }

    private static G1[] g1s(ByteBuffer b, int n) {
        G1[] out = new G1[n];
        for (int i = 0; i < n; i++) {
            out[i] = g1(b);
        }
        return out;
    }

    private static G2 g2(ByteBuffer b, boolean checkSubgroup) {
        byte[] raw = new byte[G2_BYTES];
        try {
            b.get(raw);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("input truncated", e);
        }
        if (checkSubgroup) {
            return G2.fromEvmBytes(raw);
        }
        Fp xi = Fp.fromBytesBE(Arrays.copyOfRange(raw, 0, 32));
        Fp xr = Fp.fromBytesBE(Arrays.copyOfRange(raw, 32, 64));
        Fp yi = Fp.fromBytesBE(Arrays.copyOfRange(raw, 64, 96));
        Fp yr = Fp.fromBytesBE(Arrays.copyOfRange(raw, 96, 128));
        if (xi.isZero() && xr.isZero() && yi.isZero() && yr.isZero()) {
            return G2.INFINITY;
        }
        return G2.fromAffine(new Fp2(xr, xi), new Fp2(yr, yi));
    }
}
