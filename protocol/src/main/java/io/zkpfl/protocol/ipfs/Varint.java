package io.zkpfl.protocol.ipfs;

import java.io.ByteArrayOutputStream;

/** Unsigned LEB128 varints as used by multiformats and protobuf. */
final class Varint {

    private Varint() {
    }

    static void write(ByteArrayOutputStream out, long value) {
        while ((value & ~0x7FL) != 0) {
            out.write((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
    }

    static int size(long value) {
        int n = 1;
        while ((value & ~0x7FL) != 0) {
            value >>>= 7;
            n++;
        }
        return n;
    }

    /** Reads a varint at {@code pos[0]}, advancing it. */
    static long read(byte[] buf, int[] pos, int limit) {
        long result = 0;
        int shift = 0;
        while (true) {
            if (pos[0] >= limit) {
                throw new IllegalArgumentException("truncated varint");
            }
            if (shift > 63) {
                throw new IllegalArgumentException("varint too long");
            }
            int b = buf[pos[0]++] & 0xff;
            result |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
            shift += 7;
        }
    }
}
