package io.zkpfl.protocol.envelope;

import io.zkpfl.zk.bn254.G1;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * The AES-256-GCM key and 96-bit nonce of one envelope, derived from the ECDH shared point alone:
 * {@code HKDF-SHA256(IKM = K in EVM form (64 bytes), no salt, info = INFO, L = 44)}, the first 32
 * bytes the key, the last 12 the nonce (docs/adr/0061-share-envelope-format.md). A fresh ephemeral key
 * per envelope makes every (key, nonce) pair fresh. {@link #toString()} shows nothing.
 */
record EnvelopeKeys(byte[] key, byte[] nonce) {

    /** The HKDF info string. */
    static final byte[] INFO = "zkPFL share envelope v1: AES-256-GCM key and nonce".getBytes(StandardCharsets.US_ASCII);

    /**
     * The keys for shared point {@code k}.
     *
     * @throws EnvelopeRejectedException if {@code k} is the point at infinity
     */
    static EnvelopeKeys fromSharedPoint(G1 k) {
        if (k.isInfinity()) {
            throw new EnvelopeRejectedException("shared point is the point at infinity");
        }
        byte[] okm = hkdfSha256(k.toEvmBytes(), null, INFO, 44);
        return new EnvelopeKeys(Arrays.copyOf(okm, 32), Arrays.copyOfRange(okm, 32, 44));
    }

    /** HKDF-SHA256 (RFC 5869); a null or empty salt means the RFC's default of zeros. */
    static byte[] hkdfSha256(byte[] ikm, byte[] salt, byte[] info, int length) {
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(ikm, salt, info));
        byte[] out = new byte[length];
        hkdf.generateBytes(out, 0, length);
        return out;
    }

    @Override
    public String toString() {
        return "EnvelopeKeys[redacted]";
    }
}
