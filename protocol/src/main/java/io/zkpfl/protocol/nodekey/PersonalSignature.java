package io.zkpfl.protocol.nodekey;

import java.math.BigInteger;
import java.security.SignatureException;
import java.util.Arrays;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;

/**
 * EIP-191 version 0x45 ("personal_sign") signatures with secp256k1 keys: the signed hash is
 * {@code keccak256("\x19Ethereum Signed Message:\n" ‖ len(message) ‖ message)}; a signature is
 * {@code r ‖ s ‖ v} (65 bytes, {@code v ∈ {27, 28}}), low-s only, as OpenZeppelin's {@code ECDSA.recover}
 * accepts.
 */
final class PersonalSignature {

    /** secp256k1's group order n and n/2. */
    private static final BigInteger N = Sign.CURVE_PARAMS.getN();
    private static final BigInteger HALF_N = N.shiftRight(1);

    private PersonalSignature() {
    }

    static byte[] sign(byte[] message, ECKeyPair key) {
        Sign.SignatureData sig = Sign.signPrefixedMessage(message, key);
        byte[] out = new byte[65];
        System.arraycopy(sig.getR(), 0, out, 0, 32);
        System.arraycopy(sig.getS(), 0, out, 32, 32);
        out[64] = sig.getV()[0];
        return out;
    }

    /**
     * The address (lower-case {@code 0x}-hex) that signed {@code message}.
     *
     * @throws IllegalArgumentException if the signature is malformed, has a high s or a bad v, or
     *     recovers no key
     */
    static String recover(byte[] message, byte[] signature) {
        if (signature == null || signature.length != 65) {
            throw new IllegalArgumentException("signature must be 65 bytes (r ‖ s ‖ v)");
        }
        int v = signature[64] & 0xFF;
        if (v != 27 && v != 28) {
            throw new IllegalArgumentException("signature v must be 27 or 28, got " + v);
        }
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(signature, 0, 32));
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, 32, 64));
        if (r.signum() == 0 || r.compareTo(N) >= 0 || s.signum() == 0) {
            throw new IllegalArgumentException("signature r or s out of range");
        }
        if (s.compareTo(HALF_N) > 0) {
            throw new IllegalArgumentException("signature s is in the upper half of the curve order (malleable form)");
        }
        Sign.SignatureData sig = new Sign.SignatureData((byte) v, Arrays.copyOfRange(signature, 0, 32),
                Arrays.copyOfRange(signature, 32, 64));
        try {
            return "0x" + Keys.getAddress(Sign.signedPrefixedMessageToKey(message, sig));
        } catch (SignatureException | RuntimeException e) {
            throw new IllegalArgumentException("signature recovers no public key");
        }
    }
}
