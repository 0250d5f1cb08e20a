package io.zkpfl.zk.kzg;

import io.zkpfl.zk.bn254.Fr;
import java.math.BigInteger;
import org.bouncycastle.crypto.digests.KeccakDigest;

/** Keccak-256 (the EVM's {@code keccak256}, not SHA3-256) for challenges that Solidity recomputes. */
final class Keccak {

    private final KeccakDigest digest = new KeccakDigest(256);

    Keccak update(byte[] b) {
        digest.update(b, 0, b.length);
        return this;
    }

    byte[] digest() {
        byte[] out = new byte[32];
        digest.doFinal(out, 0);
        return out;
    }

    /** The digest as a uint256 reduced mod r, as {@code uint256(keccak256(...)) % R} in Solidity. */
    Fr digestModR() {
        return Fr.of(new BigInteger(1, digest()));
    }

    static byte[] hash(byte[]... parts) {
        Keccak k = new Keccak();
        for (byte[] p : parts) {
            k.update(p);
        }
        return k.digest();
    }
}
