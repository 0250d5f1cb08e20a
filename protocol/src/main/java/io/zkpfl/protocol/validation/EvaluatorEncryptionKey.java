package io.zkpfl.protocol.validation;

import io.zkpfl.protocol.envelope.NodeRoundKey;
import io.zkpfl.zk.bn254.Fr;
import io.zkpfl.zk.bn254.G1;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SignatureException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;
import org.web3j.utils.Numeric;

/**
 * The evaluator's encryption key for validation bundles (docs/adr/0105): a BN254 G1 key pair derived from the
 * evaluator's Ethereum key, {@code sk = HKDF-SHA256(ethereum secret, no salt, DERIVE_INFO, 48) mod r}, so it is as
 * persistent as the keystore and needs no file of its own; and the statement that binds its public key to the
 * evaluator's address by an EIP-191 ({@code personal_sign}) signature, which an owner checks without trusting the
 * server that hands it out. {@link #toString()} shows only the public key.
 */
public final class EvaluatorEncryptionKey {

    static final byte[] DERIVE_INFO = "zkPFL evaluator encryption key v1".getBytes(StandardCharsets.US_ASCII);
    private static final BigInteger HALF_N = Sign.CURVE_PARAMS.getN().shiftRight(1);

    private final NodeRoundKey key;

    private EvaluatorEncryptionKey(NodeRoundKey key) {
        this.key = key;
    }

    /** The encryption key derived from the evaluator's Ethereum key pair. */
    public static EvaluatorEncryptionKey derive(ECKeyPair ethereum) {
        byte[] ikm = Numeric.toBytesPadded(ethereum.getPrivateKey(), 32);
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(ikm, null, DERIVE_INFO));
        byte[] okm = new byte[48];
        hkdf.generateBytes(okm, 0, okm.length);
        Arrays.fill(ikm, (byte) 0);
        Fr sk = Fr.of(new BigInteger(1, okm));
        Arrays.fill(okm, (byte) 0);
        if (sk.isZero()) {
            throw new IllegalStateException("the derived encryption key is zero");
        }
        return new EvaluatorEncryptionKey(new NodeRoundKey(sk, G1.GENERATOR.mul(sk).normalize()));
    }

    /** The key pair, for {@link SealedBundle#open}. */
    public NodeRoundKey keyPair() {
        return key;
    }

    public G1 publicKey() {
        return key.publicKey();
    }

    /** The signed statement served at {@code GET /api/v1/evaluator/key}. */
    public Statement statement(long chainId, ECKeyPair ethereum) {
        String address = "0x" + Keys.getAddress(ethereum.getPublicKey());
        String message = message(chainId, address, key.publicKey());
        Sign.SignatureData sig = Sign.signPrefixedMessage(message.getBytes(StandardCharsets.UTF_8), ethereum);
        byte[] out = new byte[65];
        System.arraycopy(sig.getR(), 0, out, 0, 32);
        System.arraycopy(sig.getS(), 0, out, 32, 32);
        out[64] = sig.getV()[0];
        return new Statement(chainId, address.toLowerCase(Locale.ROOT), hex(key.publicKey().toEvmBytes()), message,
                hex(out));
    }

    /** The text the evaluator signs: names the chain, the evaluator and the key (64-byte EVM form, hex). */
    public static String message(long chainId, String evaluator, G1 publicKey) {
        return "zkPFL evaluator encryption key v1\nchain: " + chainId + "\nevaluator: "
                + evaluator.toLowerCase(Locale.ROOT) + "\nkey: " + hex(publicKey.toEvmBytes());
    }

    /**
     * The evaluator's encryption key as served: {@code message} is {@link #message} of the other fields,
     * {@code signature} is {@code r ‖ s ‖ v} (65 bytes, hex) over it.
     */
    public record Statement(long chainId, String evaluator, String publicKey, String message, String signature) {

        /**
         * The public key, once the statement is checked to be signed by {@code expectedEvaluator} on chain
         * {@code expectedChainId}.
         *
         * @throws ValidationRejectedException saying what does not hold
         */
        public G1 verify(long expectedChainId, String expectedEvaluator) {
            if (chainId != expectedChainId) {
                throw new ValidationRejectedException("the evaluator key is for chain " + chainId + ", not chain "
                        + expectedChainId);
            }
            if (!expectedEvaluator.equalsIgnoreCase(evaluator)) {
                throw new ValidationRejectedException("the key belongs to evaluator " + evaluator.toLowerCase(Locale.ROOT)
                        + ", not to the job's evaluator " + expectedEvaluator.toLowerCase(Locale.ROOT));
            }
            G1 pk;
            try {
                pk = G1.fromEvmBytes(Numeric.hexStringToByteArray(publicKey));
            } catch (RuntimeException e) {
                throw new ValidationRejectedException("the evaluator key is not a BN254 G1 point: " + e.getMessage());
            }
            if (pk.isInfinity() || !pk.isInSubgroup()) {
                throw new ValidationRejectedException("the evaluator key is not a usable BN254 G1 point");
            }
            String signed = EvaluatorEncryptionKey.message(chainId, expectedEvaluator, pk);
            if (!signed.equals(message)) {
                throw new ValidationRejectedException("the evaluator key's statement names another evaluator, chain or key");
            }
            String signer = recover(signed.getBytes(StandardCharsets.UTF_8), signature);
            if (!signer.equalsIgnoreCase(expectedEvaluator)) {
                throw new ValidationRejectedException("the evaluator key is signed by " + signer + ", not by the "
                        + "evaluator " + expectedEvaluator.toLowerCase(Locale.ROOT));
            }
            return pk;
        }
    }

    static String recover(byte[] message, String signatureHex) {
        byte[] s;
        try {
            s = Numeric.hexStringToByteArray(signatureHex);
        } catch (RuntimeException e) {
            throw new ValidationRejectedException("the evaluator key's signature is not hex");
        }
        if (s.length != 65 || ((s[64] & 0xff) != 27 && (s[64] & 0xff) != 28)) {
            throw new ValidationRejectedException("the evaluator key's signature is not r ‖ s ‖ v (65 bytes, v 27 or 28)");
        }
        if (new BigInteger(1, Arrays.copyOfRange(s, 32, 64)).compareTo(HALF_N) > 0) {
            throw new ValidationRejectedException("the evaluator key's signature has a high s (malleable form)");
        }
        Sign.SignatureData sig = new Sign.SignatureData(s[64], Arrays.copyOfRange(s, 0, 32), Arrays.copyOfRange(s, 32, 64));
        try {
            return "0x" + Keys.getAddress(Sign.signedPrefixedMessageToKey(message, sig));
        } catch (SignatureException | RuntimeException e) {
            throw new ValidationRejectedException("the evaluator key's signature recovers no key");
        }
    }

    private static String hex(byte[] b) {
        return "0x" + HexFormat.of().formatHex(b);
    }

    @Override
    public String toString() {
        return "EvaluatorEncryptionKey[publicKey=" + key.publicKey() + "]";
    }
}
