package io.zkpfl.protocol.vss;

import io.zkpfl.zk.bn254.G1;
import java.util.List;

/** What node {@code k} holds from trainer {@code trainer}: its public commitments and its share. */
public record ReceivedShare(int trainer, List<G1> commitments, Share share) {

    public ReceivedShare {
        commitments = List.copyOf(commitments);
    }
}
