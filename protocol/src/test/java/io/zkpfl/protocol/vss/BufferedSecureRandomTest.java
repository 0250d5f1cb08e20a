package io.zkpfl.protocol.vss;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class BufferedSecureRandomTest {

    private static SecureRandom seeded() throws Exception {
        SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
        r.setSeed(new byte[] {1, 2, 3});
        return r;
    }

    @Test
    void servesTheSourcesBytesInOrderAcrossBlocks() throws Exception {
        BufferedSecureRandom buffered = new BufferedSecureRandom(seeded());
        SecureRandom reference = seeded();
        for (int block = 0; block < 3; block++) {
            byte[] b = new byte[4096];
            reference.nextBytes(b);
            ByteBuffer expected = ByteBuffer.wrap(b);
            for (int i = 0; i < 512; i++) {
                assertEquals(expected.getLong(), buffered.nextLong(), "block " + block + ", long " + i);
            }
        }
    }
}
