package io.zkpfl.protocol.vss;

import java.security.SecureRandom;
import java.util.random.RandomGenerator;

/**
 * A {@link RandomGenerator} that serves {@code nextLong} from blocks of a {@link SecureRandom}'s
 * output, so that drawing millions of field elements costs one {@code nextBytes} per 4 KiB rather
 * than per value. The output is the SecureRandom's own; the buffer holds secret material and is
 * overwritten as it is consumed. Not thread-safe.
 */
public final class BufferedSecureRandom implements RandomGenerator {

    private static final int BLOCK = 4096;

    private final SecureRandom source;
    private final byte[] buffer = new byte[BLOCK];
    private int pos = BLOCK;

    /** Draws from {@code source}. */
    public BufferedSecureRandom(SecureRandom source) {
        this.source = source;
    }

    /** Draws from a new default {@link SecureRandom}. */
    public BufferedSecureRandom() {
        this(new SecureRandom());
    }

    @Override
    public long nextLong() {
        if (pos > BLOCK - 8) {
            source.nextBytes(buffer);
            pos = 0;
        }
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (buffer[pos] & 0xFF);
            buffer[pos++] = 0;
        }
        return v;
    }

    @Override
    public String toString() {
        return "BufferedSecureRandom";
    }
}
