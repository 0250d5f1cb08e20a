package io.zkpfl.protocol.validation;

import io.zkpfl.protocol.wire.WireFormatException;
import io.zkpfl.protocol.wire.WireReader;
import io.zkpfl.protocol.wire.WireWriter;
import java.util.Arrays;
import org.web3j.crypto.Hash;

/**
 * A job owner's validation set in canonical bytes, so that {@code bundleHash = keccak256(bytes)} is well defined
 * (docs/protocol.md, "Evaluation"; docs/adr/0105). Grey-scale images in the trainers' dataset layout (row-major
 * unsigned bytes, image after image), one class label per image and, when {@code groupCount > 0}, one group id in
 * {@code [0, groupCount)} per image.
 *
 * <p>Wire form: {@code "ZKPFLVAL" ‖ 0x01 (version) ‖ u32 count ‖ u16 rows ‖ u16 cols ‖ u8 groupCount ‖ pixels
 * (count·rows·cols) ‖ labels (count) ‖ groups (count, only when groupCount > 0)}. Decoding refuses anything else,
 * including trailing bytes, so two different byte strings never decode to the same set.
 *
 * @param groups one group id per sample, or {@code null} when {@code groupCount == 0}
 */
public record ValidationBundle(int rows, int cols, byte[] pixels, byte[] labels, byte[] groups, int groupCount) {

    /** Largest bundle accepted, in bytes (plaintext): 64 MiB. */
    public static final int MAX_BYTES = 64 << 20;
    /** Most groups a job may name (the contract's {@code uint16 groups}, bounded for calldata). */
    public static final int MAX_GROUPS = 64;
    /** Largest image side. */
    public static final int MAX_SIDE = 1024;
    static final byte[] MAGIC = "ZKPFLVAL".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    private static final int HEADER = 8 + 1 + 4 + 2 + 2 + 1;

    public ValidationBundle {
        if (rows < 1 || cols < 1 || rows > MAX_SIDE || cols > MAX_SIDE) {
            throw new IllegalArgumentException("image size must be within 1.." + MAX_SIDE + ", got " + rows + "x" + cols);
        }
        if (labels.length == 0) {
            throw new IllegalArgumentException("a validation set needs at least one sample");
        }
        if ((long) labels.length * rows * cols != pixels.length) {
            throw new IllegalArgumentException(labels.length + " labels do not match " + pixels.length + " bytes of "
                    + rows + "x" + cols + " images");
        }
        if (groupCount < 0 || groupCount > MAX_GROUPS) {
            throw new IllegalArgumentException("groups must be within 0.." + MAX_GROUPS + ", got " + groupCount);
        }
        if ((groupCount == 0) != (groups == null)) {
            throw new IllegalArgumentException(groupCount == 0 ? "group ids given for a set without groups"
                    : "a set with " + groupCount + " groups needs a group id per sample");
        }
        if (groups != null) {
            if (groups.length != labels.length) {
                throw new IllegalArgumentException(groups.length + " group ids for " + labels.length + " samples");
            }
            for (int i = 0; i < groups.length; i++) {
                if ((groups[i] & 0xff) >= groupCount) {
                    throw new IllegalArgumentException("sample " + i + " is in group " + (groups[i] & 0xff)
                            + ", outside [0, " + groupCount + ")");
                }
            }
        }
        long size = HEADER + (long) pixels.length + labels.length + (groups == null ? 0 : groups.length);
        if (size > MAX_BYTES) {
            throw new IllegalArgumentException("the validation set is " + size + " bytes, more than the "
                    + MAX_BYTES + " bytes allowed");
        }
    }

    /** Number of samples. */
    public int count() {
        return labels.length;
    }

    /** Group of sample {@code i}, or -1 for a set without groups. */
    public int group(int i) {
        return groups == null ? -1 : groups[i] & 0xff;
    }

    /** The canonical bytes. */
    public byte[] toBytes() {
        WireWriter w = new WireWriter(HEADER + pixels.length + 2 * labels.length);
        w.bytes(MAGIC).u8(VERSION).u32(labels.length).u16(rows).u16(cols).u8(groupCount).bytes(pixels).bytes(labels);
        if (groups != null) {
            w.bytes(groups);
        }
        return w.toByteArray();
    }

    /** {@code keccak256(toBytes())}: the bundle hash in the validation commitment. */
    public byte[] hash() {
        return Hash.sha3(toBytes());
    }

    /**
     * Decodes canonical bytes.
     *
     * @throws WireFormatException if they are not exactly one bundle of this version within the limits
     */
    public static ValidationBundle fromBytes(byte[] bytes) {
        if (bytes == null || bytes.length > MAX_BYTES) {
            throw new WireFormatException("validation bundle: " + (bytes == null ? "no bytes"
                    : bytes.length + " bytes, more than the " + MAX_BYTES + " allowed"));
        }
        WireReader r = new WireReader("validation bundle", bytes);
        if (!Arrays.equals(MAGIC, r.bytes("magic", MAGIC.length))) {
            throw new WireFormatException("validation bundle: not a zkPFL validation bundle (bad magic)");
        }
        r.version(VERSION);
        int count = r.u32InRange("count", 1, MAX_BYTES);
        int rows = r.u16("rows");
        int cols = r.u16("cols");
        int groupCount = r.u8("groupCount");
        long pixelBytes = (long) count * rows * cols;
        if (pixelBytes > MAX_BYTES) {
            throw new WireFormatException("validation bundle: " + count + " images of " + rows + "x" + cols
                    + " exceed the size limit");
        }
        byte[] pixels = r.bytes("pixels", (int) pixelBytes);
        byte[] labels = r.bytes("labels", count);
        byte[] groups = groupCount == 0 ? null : r.bytes("groups", count);
        r.end();
        try {
            return new ValidationBundle(rows, cols, pixels, labels, groups, groupCount);
        } catch (IllegalArgumentException e) {
            throw new WireFormatException("validation bundle: " + e.getMessage());
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ValidationBundle b && rows == b.rows && cols == b.cols && groupCount == b.groupCount
                && Arrays.equals(pixels, b.pixels) && Arrays.equals(labels, b.labels) && Arrays.equals(groups, b.groups);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(labels) + Arrays.hashCode(groups);
    }

    @Override
    public String toString() {
        return "ValidationBundle[" + count() + " x " + rows + "x" + cols + ", " + groupCount + " groups]";
    }
}
