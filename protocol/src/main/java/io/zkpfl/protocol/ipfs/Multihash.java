package io.zkpfl.protocol.ipfs;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A self-describing hash: multicodec hash function code and digest.
 *
 * @param code   the multicodec of the hash function ({@link #SHA2_256} is the only one computed here)
 * @param digest the digest bytes
 */
public record Multihash(int code, byte[] digest) {

    /** Multicodec code of sha2-256. */
    public static final int SHA2_256 = 0x12;

    public Multihash {
        if (code < 0) {
            throw new IllegalArgumentException("negative multihash code");
        }
        digest = digest.clone();
        if (code == SHA2_256 && digest.length != 32) {
            throw new IllegalArgumentException("sha2-256 digest must be 32 bytes, got " + digest.length);
        }
    }

    /** The sha2-256 multihash of {@code data}. */
    public static Multihash sha256(byte[] data) {
        return new Multihash(SHA2_256, newSha256().digest(data));
    }

    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK without SHA-256", e);
        }
    }

    /** Parses the binary form {@code varint(code) varint(length) digest}, which must span all of {@code bytes}. */
    public static Multihash fromBytes(byte[] bytes) {
        int[] pos = {0};
        Multihash mh = read(bytes, pos, bytes.length);
        if (pos[0] != bytes.length) {
            throw new IllegalArgumentException("trailing bytes after multihash");
        }
        return mh;
    }

    static Multihash read(byte[] bytes, int[] pos, int limit) {
        long code = Varint.read(bytes, pos, limit);
        long length = Varint.read(bytes, pos, limit);
        if (code > Integer.MAX_VALUE || length > 128 || pos[0] + length > limit) {
            throw new IllegalArgumentException("invalid multihash header");
        }
        byte[] digest = Arrays.copyOfRange(bytes, pos[0], pos[0] + (int) length);
        pos[0] += (int) length;
        return new Multihash((int) code, digest);
    }

    /** The digest bytes (a copy). */
    @Override
    public byte[] digest() {
        return digest.clone();
    }

    /** Binary form {@code varint(code) varint(length) digest}. */
    public byte[] toBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(digest.length + 4);
        Varint.write(out, code);
        Varint.write(out, digest.length);
        out.writeBytes(digest);
        return out.toByteArray();
    }

    /** Whether this is the sha2-256 multihash of {@code data}. */
    public boolean matches(byte[] data) {
        return code == SHA2_256 && MessageDigest.isEqual(digest, newSha256().digest(data));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Multihash m && m.code == code && Arrays.equals(m.digest, digest);
    }

    @Override
    public int hashCode() {
        return 31 * code + Arrays.hashCode(digest);
    }

    @Override
    public String toString() {
        return "Multihash[0x" + Integer.toHexString(code) + ":" + HexFormat.of().formatHex(digest) + "]";
    }
}
