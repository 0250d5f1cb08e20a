package io.zkpfl.protocol.ipfs;

import java.io.ByteArrayOutputStream;
import java.util.Objects;

/**
 * A content identifier (CID), version 0 or 1.
 *
 * <p>CIDv0 is a bare sha2-256 multihash of a dag-pb block, written in base58btc ({@code Qm…}). CIDv1 is
 * {@code varint(1) varint(codec) multihash}, written with a multibase prefix; {@link #toString()} uses
 * base32 lower case ({@code b…}), as Kubo does. {@link #parse(String)} also accepts base58btc ({@code z…})
 * and upper-case base32 ({@code B…}).
 *
 * @param version   0 or 1
 * @param codec     multicodec of the block format ({@link #DAG_PB} or {@link #RAW}; CIDv0 is always dag-pb)
 * @param multihash hash of the block
 */
public record Cid(int version, int codec, Multihash multihash) {

    /** Multicodec of dag-pb (protobuf Merkle DAG nodes). */
    public static final int DAG_PB = 0x70;
    /** Multicodec of raw binary blocks. */
    public static final int RAW = 0x55;

    /** Longest CID string accepted by {@link #parse(String)}. */
    public static final int MAX_STRING_LENGTH = 256;

    public Cid {
        Objects.requireNonNull(multihash, "multihash");
        if (version == 0) {
            if (codec != DAG_PB || multihash.code() != Multihash.SHA2_256) {
                throw new IllegalArgumentException("CIDv0 must be dag-pb with a sha2-256 multihash");
            }
        } else if (version != 1) {
            throw new IllegalArgumentException("unknown CID version " + version);
        }
        if (codec < 0) {
            throw new IllegalArgumentException("negative codec");
        }
    }

    /** CIDv0 of a dag-pb block. */
    public static Cid v0(byte[] dagPbBlock) {
        return new Cid(0, DAG_PB, Multihash.sha256(dagPbBlock));
    }

    /** CIDv1 of a block with the given codec. */
    public static Cid v1(int codec, byte[] block) {
        return new Cid(1, codec, Multihash.sha256(block));
    }

    /**
     * The CID that {@code ipfs add --cid-version=1 --raw-leaves --chunker=size-262144} prints for {@code content},
     * computed here without a node: up to one chunk (256 KiB) the raw block's CID, {@code v1(RAW, content)}; above
     * it the root of Kubo's balanced dag-pb tree over raw 256 KiB leaves (at most 174 links per node). This is how a
     * file of any size is named so that the CID is known before, and independently of, the upload
     * (docs/adr/0098-envelope-cids-for-any-size.md); {@link KuboClient.AddOptions#withCidVersion(int) cid-version 1}
     * uploads with exactly these options.
     */
    public static Cid ofFile(byte[] content) {
        return new UnixFsImporter(ImportOptions.cidV1()).cidOf(content);
    }

    /**
     * Whether this CID names {@code content} as a whole file: a raw CID whose block is exactly {@code content}, or the
     * root that {@code ipfs add} builds for {@code content} with the options of this CID's version (CIDv0: Kubo's
     * defaults; CIDv1 dag-pb: {@link #ofFile}). A file imported with other chunking is not recognised; fetching it
     * by CID ({@link KuboClient#catVerifiedBytes}) still checks it block by block.
     */
    public boolean namesFile(byte[] content) {
        if (codec == RAW) {
            return matches(content);
        }
        if (codec != DAG_PB) {
            return false;
        }
        Cid expected = version == 0 ? UnixFsImporter.kuboDefaults().cidOf(content) : ofFile(content);
        return equals(expected);
    }

    /**
     * Parses the string form of a CID.
     *
     * @throws IllegalArgumentException when the text is not a valid CID (the message says why)
     */
    public static Cid parse(String text) {
        Objects.requireNonNull(text, "cid");
        if (text.isEmpty()) {
            throw new IllegalArgumentException("empty CID");
        }
        if (text.length() > MAX_STRING_LENGTH) {
            throw new IllegalArgumentException("CID longer than " + MAX_STRING_LENGTH + " characters");
        }
        if (text.length() == 46 && text.startsWith("Qm")) {
            byte[] mh = Base58Btc.decode(text);
            return new Cid(0, DAG_PB, Multihash.fromBytes(mh));
        }
        char prefix = text.charAt(0);
        String body = text.substring(1);
        byte[] bytes = switch (prefix) {
            case 'b', 'B' -> Base32Lower.decode(body);
            case 'z' -> Base58Btc.decode(body);
            default -> throw new IllegalArgumentException("unsupported multibase prefix '" + prefix
                    + "' (expected a Qm… CIDv0, or b/B/z for CIDv1)");
        };
        return fromBytes(bytes);
    }

    /** Parses the binary form of a CID (v0: a sha2-256 multihash; v1: version, codec, multihash). */
    public static Cid fromBytes(byte[] bytes) {
        if (bytes.length == 34 && bytes[0] == 0x12 && bytes[1] == 0x20) {
            return new Cid(0, DAG_PB, Multihash.fromBytes(bytes));
        }
        int[] pos = {0};
        long version = Varint.read(bytes, pos, bytes.length);
        if (version != 1) {
            throw new IllegalArgumentException("unknown CID version " + version);
        }
        long codec = Varint.read(bytes, pos, bytes.length);
        if (codec > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("codec out of range");
        }
        Multihash mh = Multihash.read(bytes, pos, bytes.length);
        if (pos[0] != bytes.length) {
            throw new IllegalArgumentException("trailing bytes after CID");
        }
        return new Cid(1, (int) codec, mh);
    }

    /** Binary form: for v0 the multihash, for v1 {@code 0x01 varint(codec) multihash}. */
    public byte[] toBytes() {
        byte[] mh = multihash.toBytes();
        if (version == 0) {
            return mh;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(mh.length + 4);
        Varint.write(out, 1);
        Varint.write(out, codec);
        out.writeBytes(mh);
        return out.toByteArray();
    }

    /** The same content as a CIDv1 (v1 CIDs are returned unchanged). */
    public Cid toV1() {
        return version == 1 ? this : new Cid(1, codec, multihash);
    }

    /** Whether {@code block} hashes to this CID's multihash. */
    public boolean matches(byte[] block) {
        return multihash.matches(block);
    }

    /** Canonical string: base58btc for v0 ({@code Qm…}), base32 lower case for v1 ({@code b…}). */
    @Override
    public String toString() {
        return version == 0 ? Base58Btc.encode(toBytes()) : "b" + Base32Lower.encode(toBytes());
    }
}
