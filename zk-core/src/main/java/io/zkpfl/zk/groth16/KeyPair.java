package io.zkpfl.zk.groth16;

import java.util.Objects;

/** The proving and verifying key produced by one set-up. */
public record KeyPair(ProvingKey provingKey, VerifyingKey verifyingKey) {

    public KeyPair {
        Objects.requireNonNull(provingKey, "provingKey");
        Objects.requireNonNull(verifyingKey, "verifyingKey");
        if (provingKey.numPublic() != verifyingKey.numPublic()) {
            throw new IllegalArgumentException("keys disagree on the number of public inputs");
        }
    }
}
