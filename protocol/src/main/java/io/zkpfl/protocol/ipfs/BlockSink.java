package io.zkpfl.protocol.ipfs;

import java.io.IOException;

/** Receives the blocks of an import, children before parents, the root last. */
@FunctionalInterface
public interface BlockSink {

    /** Stores (or ignores) one block; {@code block} must not be modified afterwards. */
    void put(Cid cid, byte[] block) throws IOException;

    /** A sink that keeps nothing (to compute a CID only, like {@code ipfs add --only-hash}). */
    static BlockSink discard() {
        return (cid, block) -> { };
    }
}
