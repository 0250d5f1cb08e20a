package io.zkpfl.protocol.ipfs;

import java.io.IOException;

/** Looks blocks up by CID. */
@FunctionalInterface
public interface BlockSource {

    /** The block's bytes, or {@code null} when this source does not have it. */
    byte[] get(Cid cid) throws IOException;
}
