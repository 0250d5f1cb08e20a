package io.zkpfl.zk.kzg;

import io.zkpfl.zk.bn254.Fr;
import io.zkpfl.zk.bn254.G1;

/**
 * An opening of a hiding KZG commitment {@code C = Com(v; b)} at {@code z}: {@code y = v(z)},
 * {@code yHat = b(z)} and {@code proof = Com(q; q̂)} with {@code q = (v − y)/(X − z)},
 * {@code q̂ = (b − ŷ)/(X − z)} (docs/protocol.md, "Opening").
 */
public record Opening(Fr z, Fr y, Fr yHat, G1 proof) {
}
