package io.zkpfl.protocol.envelope;

import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** AES-256-GCM with a 96-bit nonce and a 128-bit tag appended to the ciphertext (JCA). */
final class Aes256Gcm {

    private Aes256Gcm() {
    }

    static byte[] seal(byte[] key, byte[] nonce, byte[] aad, byte[] plaintext) {
        return run(Cipher.ENCRYPT_MODE, key, nonce, aad, plaintext);
    }

    /** @throws EnvelopeRejectedException if authentication fails */
    static byte[] open(byte[] key, byte[] nonce, byte[] aad, byte[] ciphertext) {
        return run(Cipher.DECRYPT_MODE, key, nonce, aad, ciphertext);
    }

    private static byte[] run(int mode, byte[] key, byte[] nonce, byte[] aad, byte[] input) {
        if (key.length != 32 || nonce.length != 12) {
            throw new IllegalArgumentException("AES-256-GCM needs a 32-byte key and a 12-byte nonce");
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
            c.updateAAD(aad);
            return c.doFinal(input);
        } catch (AEADBadTagException e) {
            throw new EnvelopeRejectedException(
                    "envelope authentication failed: wrong key, wrong tag (job, round, attempt, trainer, node) or altered ciphertext");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM unavailable", e);
        }
    }
}
