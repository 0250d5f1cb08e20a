package io.zkpfl.protocol.dp;

import java.nio.ByteBuffer;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/** A deterministic {@link SecureRandom} for reproducible tests: SHA1PRNG seeded before its first use. */
final class SeededRandom {

    private SeededRandom() {
    }

    static SecureRandom of(long seed) {
        try {
            SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
            random.setSeed(ByteBuffer.allocate(Long.BYTES).putLong(seed).array());
            return random;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
