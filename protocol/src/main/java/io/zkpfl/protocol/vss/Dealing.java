package io.zkpfl.protocol.vss;

import io.zkpfl.zk.bn254.G1;
import java.util.List;

/**
 * A trainer's dealing: the public commitments {@code C_i0 … C_i,t−1} and the secret shares for nodes
 * {@code 1..m} ({@code shares.get(k − 1)} is node {@code k}'s).
 */
public record Dealing(List<G1> commitments, List<Share> shares) {

    public Dealing {
        commitments = List.copyOf(commitments);
        shares = List.copyOf(shares);
    }

    /** Node {@code k}'s share. */
    public Share shareFor(int k) {
        return shares.get(k - 1);
    }

    @Override
    public String toString() {
        return "Dealing[commitments=" + commitments.size() + ", shares=" + shares.size() + "]";
    }
}
