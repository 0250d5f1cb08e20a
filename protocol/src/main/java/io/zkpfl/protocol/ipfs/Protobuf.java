package io.zkpfl.protocol.ipfs;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/** The few protobuf wire-format operations that dag-pb and UnixFS need. */
final class Protobuf {

    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LEN = 2;
    static final int FIXED32 = 5;

    private Protobuf() {
    }

    static void writeTag(ByteArrayOutputStream out, int field, int wireType) {
        Varint.write(out, ((long) field << 3) | wireType);
    }

    static void writeBytes(ByteArrayOutputStream out, int field, byte[] value) {
        writeTag(out, field, LEN);
        Varint.write(out, value.length);
        out.writeBytes(value);
    }

    static void writeVarint(ByteArrayOutputStream out, int field, long value) {
        writeTag(out, field, VARINT);
        Varint.write(out, value);
    }

    /** A cursor over one encoded message. */
    static final class Reader {
        private final byte[] buf;
        private final int[] pos;
        private final int limit;
        private int wireType;

        Reader(byte[] buf) {
            this(buf, 0, buf.length);
        }

        Reader(byte[] buf, int from, int to) {
            this.buf = buf;
            this.pos = new int[] {from};
            this.limit = to;
        }

        boolean hasMore() {
            return pos[0] < limit;
        }

        /** Reads the next tag and returns its field number. */
        int nextField() {
            long tag = Varint.read(buf, pos, limit);
            wireType = (int) (tag & 7);
            long field = tag >>> 3;
            if (field < 1 || field > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("invalid protobuf field number " + field);
            }
            return (int) field;
        }

        int wireType() {
            return wireType;
        }

        long readVarint() {
            expect(VARINT);
            return Varint.read(buf, pos, limit);
        }

        byte[] readBytes() {
            expect(LEN);
            long len = Varint.read(buf, pos, limit);
            if (len < 0 || len > limit - pos[0]) {
                throw new IllegalArgumentException("protobuf field length exceeds message");
            }
            byte[] value = Arrays.copyOfRange(buf, pos[0], pos[0] + (int) len);
            pos[0] += (int) len;
            return value;
        }

        void skip() {
            switch (wireType) {
                case VARINT -> Varint.read(buf, pos, limit);
                case FIXED64 -> advance(8);
                case LEN -> {
                    long len = Varint.read(buf, pos, limit);
                    if (len < 0 || len > limit - pos[0]) {
                        throw new IllegalArgumentException("protobuf field length exceeds message");
                    }
                    advance((int) len);
                }
                case FIXED32 -> advance(4);
                default -> throw new IllegalArgumentException("unsupported protobuf wire type " + wireType);
            }
        }

        private void advance(int n) {
            if (n > limit - pos[0]) {
                throw new IllegalArgumentException("truncated protobuf field");
            }
            pos[0] += n;
        }

        private void expect(int type) {
            if (wireType != type) {
                throw new IllegalArgumentException("protobuf wire type " + wireType + ", expected " + type);
            }
        }
    }
}
