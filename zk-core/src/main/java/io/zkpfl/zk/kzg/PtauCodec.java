package io.zkpfl.zk.kzg;

import io.zkpfl.zk.bn254.Fp;
import io.zkpfl.zk.bn254.Fp2;
import io.zkpfl.zk.bn254.G1;
import io.zkpfl.zk.bn254.G2;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The point encodings of snarkjs' {@code .ptau} files and hashes (ffjavascript/wasmcurves):
 *
 * <ul>
 *   <li><b>LEM</b> (file storage): affine coordinates in Montgomery form {@code x·2^256 mod p}, each
 *       32 bytes little-endian; G1 is {@code x ‖ y} (64 bytes), G2 is
 *       {@code x.c0 ‖ x.c1 ‖ y.c0 ‖ y.c1} (128 bytes); infinity is all zeros.
 *   <li><b>uncompressed</b> (challenge hashes): canonical big-endian, G1 {@code x ‖ y}, G2
 *       {@code x.c1 ‖ x.c0 ‖ y.c1 ‖ y.c0}; infinity all zeros. This is exactly the EVM layout, so it
 *       is {@link G1#toEvmBytes()} / {@link G2#toEvmBytes()}.
 *   <li><b>compressed</b> (response hashes): the uncompressed x alone, with bit 7 of the first byte
 *       set when y is "negative" (for F_p: canonical value ≥ (p+1)/2; for F_p²: the sign of c1, or
 *       of c0 when c1 = 0); infinity is 0x40 followed by zeros.
 * </ul>
 */
final class PtauCodec {

    static final int G1_BYTES = 64;
    static final int G2_BYTES = 128;
    static final int G1_COMPRESSED = 32;
    static final int G2_COMPRESSED = 64;

    /** 2^256 mod p: multiplying a value by it gives its Montgomery form. */
    private static final Fp R = Fp.of(BigInteger.ONE.shiftLeft(256));
    /** 2^−256 mod p. */
    private static final Fp R_INV = Fp.of(BigInteger.ONE.shiftLeft(256).modInverse(Fp.MODULUS));
    private static final BigInteger HALF_P = Fp.MODULUS.shiftRight(1);

    private PtauCodec() {
    }

    /**
     * The field element stored little-endian in Montgomery form at {@code off}.
     *
     * @throws IllegalArgumentException if the stored integer is not below p
     */
    static Fp fpFromLem(ByteBuffer le, int off) {
        Fp m = Fp.fromCanonicalLimbs(le.getLong(off), le.getLong(off + 8), le.getLong(off + 16), le.getLong(off + 24));
        return m.mul(R_INV);
    }

    static void fpToLem(Fp v, ByteBuffer le, int off) {
        long[] l = v.mul(R).canonicalLimbs();
        le.putLong(off, l[0]).putLong(off + 8, l[1]).putLong(off + 16, l[2]).putLong(off + 24, l[3]);
    }

    /**
     * A G1 point from its LEM encoding at {@code off} of a little-endian buffer.
     *
     * @throws IllegalArgumentException if a coordinate is not below p or the point is not on the curve
     */
    static G1 g1FromLem(ByteBuffer le, int off) {
        if (allZero(le, off, G1_BYTES)) {
            return G1.INFINITY;
        }
        Fp x = fpFromLem(le, off);
        Fp y = fpFromLem(le, off + 32);
        return G1.fromAffine(x, y);
    }

    /**
     * A G2 point from its LEM encoding, checked to be on the twist and in the order-r subgroup.
     *
     * @throws IllegalArgumentException otherwise
     */
    static G2 g2FromLem(ByteBuffer le, int off) {
        if (allZero(le, off, G2_BYTES)) {
            return G2.INFINITY;
        }
        Fp2 x = new Fp2(fpFromLem(le, off), fpFromLem(le, off + 32));
        Fp2 y = new Fp2(fpFromLem(le, off + 64), fpFromLem(le, off + 96));
        return G2.fromAffineInSubgroup(x, y);
    }

    static void g1ToLem(G1 p, ByteBuffer le, int off) {
        if (p.isInfinity()) {
            for (int i = 0; i < G1_BYTES; i += 8) {
                le.putLong(off + i, 0L);
            }
            return;
        }
        G1 n = p.normalize();
        fpToLem(n.affineX(), le, off);
        fpToLem(n.affineY(), le, off + 32);
    }

    static void g2ToLem(G2 p, ByteBuffer le, int off) {
        if (p.isInfinity()) {
            for (int i = 0; i < G2_BYTES; i += 8) {
                le.putLong(off + i, 0L);
            }
            return;
        }
        G2 n = p.normalize();
        fpToLem(n.affineX().c0(), le, off);
        fpToLem(n.affineX().c1(), le, off + 32);
        fpToLem(n.affineY().c0(), le, off + 64);
        fpToLem(n.affineY().c1(), le, off + 96);
    }

    static byte[] g1Lem(G1 p) {
        ByteBuffer b = ByteBuffer.allocate(G1_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        g1ToLem(p, b, 0);
        return b.array();
    }

    static byte[] g2Lem(G2 p) {
        ByteBuffer b = ByteBuffer.allocate(G2_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        g2ToLem(p, b, 0);
        return b.array();
    }

    /** The uncompressed encoding (= the EVM layout). */
    static byte[] g1Uncompressed(G1 p) {
        return p.toEvmBytes();
    }

    /** The uncompressed encoding (= the EVM layout). */
    static byte[] g2Uncompressed(G2 p) {
        return p.toEvmBytes();
    }

    /** The compressed encoding (32 bytes). */
    static byte[] g1Compressed(G1 p) {
        byte[] out = new byte[G1_COMPRESSED];
        if (p.isInfinity()) {
            out[0] = 0x40;
            return out;
        }
        G1 n = p.normalize();
        System.arraycopy(n.affineX().toBytesBE(), 0, out, 0, 32);
        if (sign(n.affineY()) < 0) {
            out[0] |= (byte) 0x80;
        }
        return out;
    }

    /** The compressed encoding (64 bytes: x.c1 ‖ x.c0 big-endian, flag on the first byte). */
    static byte[] g2Compressed(G2 p) {
        byte[] out = new byte[G2_COMPRESSED];
        if (p.isInfinity()) {
            out[0] = 0x40;
            return out;
        }
        G2 n = p.normalize();
        System.arraycopy(n.affineX().c1().toBytesBE(), 0, out, 0, 32);
        System.arraycopy(n.affineX().c0().toBytesBE(), 0, out, 32, 32);
        int s = sign(n.affineY().c1());
        if (s == 0) {
            s = sign(n.affineY().c0());
        }
        if (s < 0) {
            out[0] |= (byte) 0x80;
        }
        return out;
    }

    /** wasmcurves' sign: 0 for zero, −1 when the canonical value exceeds (p−1)/2, else 1. */
    static int sign(Fp v) {
        if (v.isZero()) {
            return 0;
        }
        return v.toBigInteger().compareTo(HALF_P) > 0 ? -1 : 1;
    }

    /** wasmcurves' F_p² "isNegative": that of c1, or of c0 when c1 = 0. */
    static boolean isNegative(Fp2 v) {
        Fp c = v.c1().isZero() ? v.c0() : v.c1();
        return c.toBigInteger().compareTo(HALF_P) > 0;
    }

    private static boolean allZero(ByteBuffer b, int off, int len) {
        for (int i = 0; i < len; i += 8) {
            if (b.getLong(off + i) != 0L) {
                return false;
            }
        }
        return true;
    }
}
