package io.zkpfl.protocol.wire;

import io.zkpfl.zk.bn254.Fr;
import io.zkpfl.zk.bn254.G1;
import java.math.BigInteger;
import java.util.Arrays;

/**
 * Reads the fields {@link WireWriter} writes, refusing truncated input, non-canonical field elements,
 * points off the curve and trailing bytes with a {@link WireFormatException} that names the message,
 * the field and its offset.
 */
public final class WireReader {

    private final String message;
    private final byte[] in;
    private int pos;

    /** A reader of {@code in}, a {@code message} (its name appears in every error). */
    public WireReader(String message, byte[] in) {
        if (in == null) {
            throw new WireFormatException(message + ": no bytes");
        }
        this.message = message;
        this.in = in;
    }

    /** Reads the version byte and refuses any other than {@code expected}. */
    public void version(int expected) {
        int v = u8("version");
        if (v != expected) {
            throw fail("version", "unsupported version " + v + ", expected " + expected);
        }
    }

    /** Reads a kind byte and refuses any other than {@code expected}. */
    public void kind(int expected) {
        int v = u8("kind");
        if (v != expected) {
            throw fail("kind", "message kind " + v + ", expected " + expected);
        }
    }

    public int u8(String field) {
        need(field, 1);
        return in[pos++] & 0xFF;
    }

    public int u16(String field) {
        need(field, 2);
        int v = ((in[pos] & 0xFF) << 8) | (in[pos + 1] & 0xFF);
        pos += 2;
        return v;
    }

    public long u32(String field) {
        need(field, 4);
        long v = 0;
        for (int i = 0; i < 4; i++) {
            v = (v << 8) | (in[pos + i] & 0xFF);
        }
        pos += 4;
        return v;
    }

    /** A u32 that must lie in {@code [min, max]}. */
    public int u32InRange(String field, long min, long max) {
        int at = pos;
        long v = u32(field);
        if (v < min || v > max) {
            throw new WireFormatException(message + ": field " + field + " at offset " + at + " is " + v
                    + ", outside [" + min + ", " + max + "]");
        }
        return (int) v;
    }

    public BigInteger u256(String field) {
        return new BigInteger(1, bytes(field, 32));
    }

    public byte[] bytes(String field, int n) {
        need(field, n);
        byte[] b = Arrays.copyOfRange(in, pos, pos + n);
        pos += n;
        return b;
    }

    public Fr fr(String field) {
        int at = pos;
        byte[] b = bytes(field, 32);
        try {
            return Fr.fromBytesBE(b);
        } catch (IllegalArgumentException e) {
            throw new WireFormatException(message + ": field " + field + " at offset " + at
                    + " is not a canonical field element (not below r)");
        }
    }

    /** {@code n} field elements; the length is checked against the remaining input before allocating. */
    public Fr[] frs(String field, int n) {
        need(field, (long) n * 32);
        Fr[] out = new Fr[n];
        for (int j = 0; j < n; j++) {
            out[j] = fr(field + "[" + j + "]");
        }
        return out;
    }

    public G1 g1(String field) {
        int at = pos;
        byte[] b = bytes(field, 64);
        try {
            return G1.fromEvmBytes(b);
        } catch (IllegalArgumentException e) {
            throw new WireFormatException(message + ": field " + field + " at offset " + at
                    + " is not a BN254 G1 point (" + e.getMessage() + ")");
        }
    }

    /** Refuses trailing bytes. */
    public void end() {
        if (pos != in.length) {
            throw new WireFormatException(message + ": " + (in.length - pos) + " unexpected bytes after offset " + pos);
        }
    }

    private void need(String field, long n) {
        if (in.length - pos < n) {
            throw new WireFormatException(message + ": truncated at field " + field + " (offset " + pos + ", needs "
                    + n + " bytes, " + (in.length - pos) + " left)");
        }
    }

    private WireFormatException fail(String field, String what) {
        return new WireFormatException(message + ": field " + field + " at offset " + (pos - 1) + ": " + what);
    }
}
