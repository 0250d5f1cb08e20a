package io.zkpfl.protocol.ipfs;

/**
 * Parameters of a UnixFS file import.
 *
 * @param cidVersion 0 ({@code Qm…}, dag-pb leaves) or 1 ({@code bafy…}/{@code bafk…})
 * @param rawLeaves  whether chunks are stored as raw blocks (CIDv1, codec raw) instead of UnixFS dag-pb leaves
 * @param chunkSize  fixed chunk size in bytes
 * @param maxLinks   maximum links per internal node of the balanced DAG
 */
public record ImportOptions(int cidVersion, boolean rawLeaves, int chunkSize, int maxLinks) {

    /** Kubo's default chunk size: 256 KiB. */
    public static final int DEFAULT_CHUNK_SIZE = 262_144;
    /** Kubo's default maximum links per node. */
    public static final int DEFAULT_MAX_LINKS = 174;
    /** Largest chunk Kubo accepts (its block size limit is 1 MiB + overhead). */
    public static final int MAX_CHUNK_SIZE = 1 << 20;

    public ImportOptions {
        if (cidVersion != 0 && cidVersion != 1) {
            throw new IllegalArgumentException("unknown CID version " + cidVersion);
        }
        if (chunkSize < 1 || chunkSize > MAX_CHUNK_SIZE) {
            throw new IllegalArgumentException("chunk size must be in [1, " + MAX_CHUNK_SIZE + "]: " + chunkSize);
        }
        if (maxLinks < 2) {
            throw new IllegalArgumentException("maxLinks must be at least 2: " + maxLinks);
        }
    }

    /** {@code ipfs add} with Kubo's defaults: CIDv0, dag-pb leaves, 256 KiB chunks, 174 links. */
    public static ImportOptions kuboDefaults() {
        return new ImportOptions(0, false, DEFAULT_CHUNK_SIZE, DEFAULT_MAX_LINKS);
    }

    /** {@code ipfs add --cid-version=1}: CIDv1 with raw leaves (Kubo's implied default for v1). */
    public static ImportOptions cidV1() {
        return new ImportOptions(1, true, DEFAULT_CHUNK_SIZE, DEFAULT_MAX_LINKS);
    }

    /** Kubo's options for a CID version: {@link #kuboDefaults()} for 0, {@link #cidV1()} for 1. */
    public static ImportOptions forCidVersion(int version) {
        return switch (version) {
            case 0 -> kuboDefaults();
            case 1 -> cidV1();
            default -> throw new IllegalArgumentException("unknown CID version " + version);
        };
    }

    /** A copy with another chunk size. */
    public ImportOptions withChunkSize(int size) {
        return new ImportOptions(cidVersion, rawLeaves, size, maxLinks);
    }

    /** A copy with raw leaves on or off. */
    public ImportOptions withRawLeaves(boolean raw) {
        return new ImportOptions(cidVersion, raw, chunkSize, maxLinks);
    }
}
