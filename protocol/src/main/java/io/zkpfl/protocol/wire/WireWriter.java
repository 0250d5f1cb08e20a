package io.zkpfl.protocol.wire;

import io.zkpfl.zk.bn254.Fr;
import io.zkpfl.zk.bn254.G1;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;

/**
 * Writes the round messages' fields: unsigned integers big-endian and fixed-width, field elements as
 * 32 canonical big-endian bytes, G1 points in their 64-byte EVM form (docs/adr/0063-round-message-format.md).
 */
public final class WireWriter {

    private final ByteArrayOutputStream out;

    public WireWriter(int sizeHint) {
        this.out = new ByteArrayOutputStream(sizeHint);
    }

    public WireWriter u8(int v) {
        out.write(v);
        return this;
    }

    public WireWriter u16(int v) {
        out.write(v >>> 8);
        out.write(v);
        return this;
    }

    public WireWriter u32(long v) {
        if (v < 0 || v > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("value " + v + " does not fit an unsigned 32-bit field");
        }
        for (int s = 24; s >= 0; s -= 8) {
            out.write((int) (v >>> s));
        }
        return this;
    }

    /** An unsigned 256-bit integer in 32 big-endian bytes. */
    public WireWriter u256(BigInteger v) {
        if (v.signum() < 0 || v.bitLength() > 256) {
            throw new IllegalArgumentException("value does not fit an unsigned 256-bit field");
        }
        byte[] raw = v.toByteArray();
        byte[] fixed = new byte[32];
        int n = Math.min(raw.length, 32);
        System.arraycopy(raw, raw.length - n, fixed, 32 - n, n);
        return bytes(fixed);
    }

    public WireWriter bytes(byte[] b) {
        out.writeBytes(b);
        return this;
    }

    public WireWriter fr(Fr x) {
        return bytes(x.toBytesBE());
    }

    public WireWriter frs(Fr[] xs) {
        for (Fr x : xs) {
            fr(x);
        }
        return this;
    }

    public WireWriter g1(G1 p) {
        return bytes(p.toEvmBytes());
    }

    public byte[] toByteArray() {
        return out.toByteArray();
    }
}
