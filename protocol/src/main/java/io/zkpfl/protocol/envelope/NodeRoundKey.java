package io.zkpfl.protocol.envelope;

import io.zkpfl.zk.bn254.Fr;
import io.zkpfl.zk.bn254.G1;
import java.util.random.RandomGenerator;

/**
 * A node's per-round envelope key pair on BN254 G1: secret {@code sk}, public {@code PK = sk·G}.
 * {@link #toString()} shows only the public key.
 */
public record NodeRoundKey(Fr secret, G1 publicKey) {

    public NodeRoundKey {
        if (secret.isZero()) {
            throw new IllegalArgumentException("a round key's secret must be non-zero");
        }
    }

    /** A fresh key pair from {@code rng} (a CSPRNG outside tests). */
    public static NodeRoundKey generate(RandomGenerator rng) {
        Fr sk;
        do {
            sk = Fr.random(rng);
        } while (sk.isZero());
        return new NodeRoundKey(sk, G1.GENERATOR.mul(sk).normalize());
    }

    /** {@code K = sk·E} for an envelope's ephemeral point {@code E}. */
    public G1 sharedPoint(G1 ephemeral) {
        ShareEnvelope.requireUsablePoint(ephemeral, "ephemeral point E");
        return ephemeral.mul(secret).normalize();
    }

    @Override
    public String toString() {
        return "NodeRoundKey[publicKey=" + publicKey + "]";
    }
}
