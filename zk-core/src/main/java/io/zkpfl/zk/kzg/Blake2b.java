package io.zkpfl.zk.kzg;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Blake2b-512 (RFC 7693, unkeyed) whose running state can be exported and resumed in the 216-byte
 * layout that snarkjs stores as a contribution's {@code partialHash} (the internals of
 * {@code @noble/hashes}' BLAKE2b): the 128-byte block buffer, the eight 64-bit chaining words as
 * little-endian 32-bit halves (low first), then {@code length − pos} (bytes already compressed) and
 * {@code pos} (bytes waiting in the buffer) as 64-bit little-endian values, and 8 zero bytes. As in
 * every Blake2 implementation the last block is kept until more input arrives or the digest is
 * taken, so {@code pos} is in 1..128 once anything has been absorbed.
 */
final class Blake2b {

    static final int STATE_BYTES = 216;
    private static final long[] IV = {
        0x6a09e667f3bcc908L, 0xbb67ae8584caa73bL, 0x3c6ef372fe94f82bL, 0xa54ff53a5f1d36f1L,
        0x510e527fade682d1L, 0x9b05688c2b3e6c1fL, 0x1f83d9abfb41bd6bL, 0x5be0cd19137e2179L};
    private static final byte[][] SIGMA = {
        {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
        {14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3},
        {11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4},
        {7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8},
        {9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13},
        {2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9},
        {12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11},
        {13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10},
        {6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5},
        {10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0}};

    private final long[] h = new long[8];
    private final byte[] buffer = new byte[128];
    private final long[] m = new long[16];
    private final long[] v = new long[16];
    private int pos;
    /** Bytes absorbed so far, buffered ones included. */
    private long length;

    Blake2b() {
        System.arraycopy(IV, 0, h, 0, 8);
        h[0] ^= 0x01010000L ^ 64; // digest length 64, no key, fanout 1, depth 1
    }

    /** Blake2b-512 of the concatenation of {@code parts}. */
    static byte[] hash(byte[]... parts) {
        Blake2b b = new Blake2b();
        for (byte[] p : parts) {
            b.update(p);
        }
        return b.digest();
    }

    Blake2b update(byte[] data) {
        return update(data, 0, data.length);
    }

    Blake2b update(byte[] data, int off, int len) {
        int end = off + len;
        while (off < end) {
            if (pos == 128) {
                compress(false);
                pos = 0;
            }
            int take = Math.min(128 - pos, end - off);
            System.arraycopy(data, off, buffer, pos, take);
            pos += take;
            length += take;
            off += take;
        }
        return this;
    }

    /** The 64-byte digest; this instance must not be used afterwards. */
    byte[] digest() {
        Arrays.fill(buffer, pos, 128, (byte) 0);
        compress(true);
        ByteBuffer out = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        for (long w : h) {
            out.putLong(w);
        }
        return out.array();
    }

    /** The running state in snarkjs' {@code partialHash} layout (bytes of the buffer past {@code pos} as they are). */
    byte[] exportState() {
        ByteBuffer out = ByteBuffer.allocate(STATE_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        out.put(buffer);
        for (long w : h) {
            out.putLong(w); // low 32 bits first, then high: the v<i>l, v<i>h words of @noble/hashes
        }
        out.putLong(length - pos).putLong(pos).putLong(0L);
        return out.array();
    }

    /**
     * A hasher resumed from an exported state.
     *
     * @throws IllegalArgumentException if the state is not 216 bytes or its counters are impossible
     */
    static Blake2b importState(byte[] state) {
        if (state == null || state.length != STATE_BYTES) {
            throw new IllegalArgumentException("Blake2b state must be " + STATE_BYTES + " bytes");
        }
        ByteBuffer in = ByteBuffer.wrap(state).order(ByteOrder.LITTLE_ENDIAN);
        Blake2b b = new Blake2b();
        in.get(b.buffer);
        for (int i = 0; i < 8; i++) {
            b.h[i] = in.getLong();
        }
        long compressed = in.getLong();
        long pos = in.getLong();
        if (pos < 0 || pos > 128 || compressed < 0 || compressed % 128 != 0 || (compressed > 0 && pos == 0)) {
            throw new IllegalArgumentException("Blake2b state has impossible counters (compressed " + compressed
                    + ", buffered " + pos + ")");
        }
        b.pos = (int) pos;
        b.length = compressed + pos;
        return b;
    }

    /** Whether two exported states describe the same running hash (buffer bytes past pos ignored). */
    static boolean sameState(byte[] a, byte[] b) {
        ByteBuffer x = ByteBuffer.wrap(a).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer y = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        long posA = x.getLong(128 + 72);
        if (posA != y.getLong(128 + 72) || posA < 0 || posA > 128) {
            return false;
        }
        return Arrays.equals(a, 128, 128 + 72, b, 128, 128 + 72) && Arrays.equals(a, 0, (int) posA, b, 0, (int) posA);
    }

    private void compress(boolean last) {
        ByteBuffer in = ByteBuffer.wrap(buffer).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 16; i++) {
            m[i] = in.getLong(8 * i);
        }
        System.arraycopy(h, 0, v, 0, 8);
        System.arraycopy(IV, 0, v, 8, 8);
        v[12] ^= length; // the 128-bit byte counter; inputs stay below 2^64 bytes
        if (last) {
            v[14] = ~v[14];
        }
        for (int r = 0; r < 12; r++) {
            byte[] s = SIGMA[r % 10];
            mix(0, 4, 8, 12, m[s[0]], m[s[1]]);
            mix(1, 5, 9, 13, m[s[2]], m[s[3]]);
            mix(2, 6, 10, 14, m[s[4]], m[s[5]]);
            mix(3, 7, 11, 15, m[s[6]], m[s[7]]);
            mix(0, 5, 10, 15, m[s[8]], m[s[9]]);
            mix(1, 6, 11, 12, m[s[10]], m[s[11]]);
            mix(2, 7, 8, 13, m[s[12]], m[s[13]]);
            mix(3, 4, 9, 14, m[s[14]], m[s[15]]);
        }
        for (int i = 0; i < 8; i++) {
            h[i] ^= v[i] ^ v[i + 8];
        }
    }

    private void mix(int a, int b, int c, int d, long x, long y) {
        v[a] += v[b] + x;
        v[d] = Long.rotateRight(v[d] ^ v[a], 32);
        v[c] += v[d];
        v[b] = Long.rotateRight(v[b] ^ v[c], 24);
        v[a] += v[b] + y;
        v[d] = Long.rotateRight(v[d] ^ v[a], 16);
        v[c] += v[d];
        v[b] = Long.rotateRight(v[b] ^ v[c], 63);
    }
}
