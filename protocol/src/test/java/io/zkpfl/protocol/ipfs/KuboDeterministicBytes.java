package io.zkpfl.protocol.ipfs;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Cipher;
import javax.crypto.spec.ChaCha20ParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The deterministic "random" bytes Kubo's CLI tests add ({@code testutils.DeterministicRandomReaderBytes}):
 * the ChaCha20 (RFC 8439) key stream under key {@code sha256(seed)}, an all-zero nonce and counter 0.
 * The JDK's ChaCha20 is an implementation independent of the code under test.
 */
public final class KuboDeterministicBytes extends InputStream {

    private final Cipher cipher;
    private long remaining;
    private final byte[] zeros = new byte[65536];

    public KuboDeterministicBytes(String seed, long size) {
        try {
            byte[] key = MessageDigest.getInstance("SHA-256").digest(seed.getBytes(StandardCharsets.UTF_8));
            cipher = Cipher.getInstance("ChaCha20");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "ChaCha20"), new ChaCha20ParameterSpec(new byte[12], 0));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        this.remaining = size;
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (remaining <= 0) {
            return -1;
        }
        int n = (int) Math.min(Math.min(len, remaining), zeros.length);
        try {
            cipher.update(zeros, 0, n, b, off);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        remaining -= n;
        return n;
    }
}
