package io.zkpfl.protocol.ipfs;

import java.io.IOException;

/** A block a DAG needs is not available. */
public final class BlockNotFoundException extends IOException {

    private final transient Cid cid;

    /** The block {@code cid} was not found. */
    public BlockNotFoundException(Cid cid) {
        super("block was not found locally (offline): ipld: could not find " + cid);
        this.cid = cid;
    }

    /** The missing block. */
    public Cid cid() {
        return cid;
    }
}
