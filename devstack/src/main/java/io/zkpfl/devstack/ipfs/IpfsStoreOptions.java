package io.zkpfl.devstack.ipfs;

import java.nio.file.Path;

/**
 * How to run the embedded IPFS store.
 *
 * @param dataDir      directory for blocks and pins; {@code null} for a temporary one deleted on close
 * @param maxBodyBytes largest request body accepted (larger uploads get 413)
 */
public record IpfsStoreOptions(Path dataDir, long maxBodyBytes) {

    /** Default body limit: 1 GiB. */
    public static final long DEFAULT_MAX_BODY_BYTES = 1L << 30;

    public IpfsStoreOptions {
        if (maxBodyBytes < 1) {
            throw new IllegalArgumentException("maxBodyBytes must be positive: " + maxBodyBytes);
        }
    }

    /** A temporary store with a 1 GiB body limit. */
    public static IpfsStoreOptions defaults() {
        return new IpfsStoreOptions(null, DEFAULT_MAX_BODY_BYTES);
    }

    /** A copy that keeps its blocks in {@code dir} (not deleted on close). */
    public IpfsStoreOptions withDataDir(Path dir) {
        return new IpfsStoreOptions(dir, maxBodyBytes);
    }

    /** A copy with another body limit. */
    public IpfsStoreOptions withMaxBodyBytes(long limit) {
        return new IpfsStoreOptions(dataDir, limit);
    }
}
