package io.zkpfl.zk.groth16;

import io.zkpfl.zk.bn254.G1;
import io.zkpfl.zk.bn254.G2;
import java.util.Objects;

/** A Groth16 proof (A ∈ G1, B ∈ G2, C ∈ G1). */
public record Proof(G1 a, G2 b, G1 c) {

    public Proof {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        Objects.requireNonNull(c, "c");
    }
}
