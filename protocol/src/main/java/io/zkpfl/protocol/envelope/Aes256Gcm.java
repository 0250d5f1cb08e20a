package io.zkpfl.protocol.envelope;

import java.security.GeneralSecurityException;
import java.util.function.Supplier;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM with a 96-bit nonce and a 128-bit tag appended to the ciphertext (JCA), for share envelopes and for the
 * owner's sealed validation set.
 */
public final class Aes256Gcm {

    private Aes256Gcm() {
    }

    public static byte[] seal(byte[] key, byte[] nonce, byte[] aad, byte[] plaintext) {
        return run(Cipher.ENCRYPT_MODE, key, nonce, aad, plaintext, null);
    }

    /** @throws EnvelopeRejectedException if authentication fails */
    static byte[] open(byte[] key, byte[] nonce, byte[] aad, byte[] ciphertext) {
        return open(key, nonce, aad, ciphertext, () -> new EnvelopeRejectedException(
                "envelope authentication failed: wrong key, wrong tag (job, round, attempt, trainer, node) or altered ciphertext"));
    }

    /** Decrypts; throws what {@code forged} makes if authentication fails (wrong key, data or ciphertext). */
    public static byte[] open(byte[] key, byte[] nonce, byte[] aad, byte[] ciphertext, Supplier<? extends RuntimeException> forged) {
        return run(Cipher.DECRYPT_MODE, key, nonce, aad, ciphertext, forged);
    }

    private static byte[] run(int mode, byte[] key, byte[] nonce, byte[] aad, byte[] input,
                              Supplier<? extends RuntimeException> forged) {
        if (key.length != 32 || nonce.length != 12) {
            throw new IllegalArgumentException("AES-256-GCM needs a 32-byte key and a 12-byte nonce");
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
            c.updateAAD(aad);
            return c.doFinal(input);
        } catch (AEADBadTagException e) {
            throw forged.get();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM unavailable", e);
        }
    }
}
