package io.zkpfl.protocol.ipfs;

import java.util.Objects;

/**
 * A link of a dag-pb node.
 *
 * @param cid   the target block
 * @param name  link name; Kubo writes an empty name for file chunks
 * @param tsize cumulative size in bytes of the target's DAG (its block plus everything below it)
 */
public record DagPbLink(Cid cid, String name, long tsize) {

    public DagPbLink {
        Objects.requireNonNull(cid, "cid");
        Objects.requireNonNull(name, "name");
        if (tsize < 0) {
            throw new IllegalArgumentException("negative tsize");
        }
    }
}
