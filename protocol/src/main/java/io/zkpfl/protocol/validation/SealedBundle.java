package io.zkpfl.protocol.validation;

import io.zkpfl.protocol.envelope.Aes256Gcm;
import io.zkpfl.protocol.envelope.NodeRoundKey;
import io.zkpfl.protocol.wire.WireReader;
import io.zkpfl.protocol.wire.WireWriter;
import io.zkpfl.zk.bn254.Fr;
import io.zkpfl.zk.bn254.G1;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.random.RandomGenerator;
import javax.crypto.Cipher;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.web3j.crypto.Hash;

/**
 * A validation bundle encrypted to one evaluator (docs/adr/0105): the bundle under AES-256-GCM with a random
 * 32-byte {@code contentKey} and random nonce, and the content key wrapped to the evaluator's encryption key
 * {@code PK} on BN254 G1 as the share envelopes do it: ephemeral {@code E = e·G}, shared point {@code K = e·PK},
 * {@code HKDF-SHA256(K in EVM form, no salt, WRAP_INFO, 44)} giving the wrapping key and nonce.
 *
 * <p>Wire form: {@code "ZKPFLVSB" ‖ 0x01 ‖ E (64) ‖ wrapped key (48) ‖ nonce (12) ‖ u32 length ‖ ciphertext}; the
 * wrapped key's associated data is {@code E}, the bundle's the header up to the nonce. The job commits to
 * {@code keccak256(abi.encode(bundleHash, contentKey))} ({@link #commitment}); disclosing {@code bundleHash} and
 * {@code contentKey} later lets anyone decrypt the sealed bytes and check the commitment without the evaluator.
 */
public final class SealedBundle {

    static final byte[] MAGIC = "ZKPFLVSB".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    /** HKDF info of the content-key wrap. */
    static final byte[] WRAP_INFO = "zkPFL validation bundle v1: content key wrap".getBytes(StandardCharsets.US_ASCII);
    private static final int HEADER = 8 + 1 + 64 + 48 + 12;
    /** Largest sealed bundle: the largest plaintext, its header and tag. */
    public static final int MAX_BYTES = ValidationBundle.MAX_BYTES + HEADER + 4 + 16;

    private SealedBundle() {
    }

    /** A sealed bundle and the secrets its owner keeps for disclosure. {@link #toString()} shows no secret. */
    public record Sealed(byte[] bytes, byte[] contentKey, byte[] bundleHash) {
        /** {@code keccak256(abi.encode(bundleHash, contentKey))}. */
        public byte[] commitment() {
            return SealedBundle.commitment(bundleHash, contentKey);
        }

        @Override
        public String toString() {
            return "Sealed[" + bytes.length + " bytes, secrets redacted]";
        }
    }

    /** A sealed bundle opened: its plaintext and content key. {@link #toString()} shows no secret. */
    public record Opened(byte[] bundle, byte[] contentKey) {
        public byte[] bundleHash() {
            return Hash.sha3(bundle);
        }

        @Override
        public String toString() {
            return "Opened[" + bundle.length + " bytes, key redacted]";
        }
    }

    /** {@code keccak256(abi.encode(bytes32 bundleHash, bytes32 contentKey))}. */
    public static byte[] commitment(byte[] bundleHash, byte[] contentKey) {
        if (bundleHash.length != 32 || contentKey.length != 32) {
            throw new IllegalArgumentException("bundleHash and contentKey must be 32 bytes each");
        }
        byte[] both = Arrays.copyOf(bundleHash, 64);
        System.arraycopy(contentKey, 0, both, 32, 32);
        return Hash.sha3(both);
    }

    /** Seals {@code bundle} (canonical bytes) to the evaluator's encryption key {@code evaluatorKey}. */
    public static Sealed seal(byte[] bundle, G1 evaluatorKey, RandomGenerator rng) {
        requireUsable(evaluatorKey);
        if (bundle.length > ValidationBundle.MAX_BYTES) {
            throw new IllegalArgumentException("the validation set is " + bundle.length + " bytes, more than the "
                    + ValidationBundle.MAX_BYTES + " bytes allowed");
        }
        byte[] contentKey = new byte[32];
        byte[] nonce = new byte[12];
        SecureRandom secure = rng instanceof SecureRandom s ? s : null;
        fill(contentKey, rng, secure);
        fill(nonce, rng, secure);
        Fr e;
        do {
            e = Fr.random(rng);
        } while (e.isZero());
        G1 ephemeral = G1.GENERATOR.mul(e).normalize();
        byte[][] wrap = wrapKeys(evaluatorKey.mul(e).normalize());
        byte[] ephemeralBytes = ephemeral.toEvmBytes();
        byte[] wrapped = aes(Cipher.ENCRYPT_MODE, wrap[0], wrap[1], ephemeralBytes, contentKey);
        byte[] header = new WireWriter(HEADER).bytes(MAGIC).u8(VERSION).bytes(ephemeralBytes).bytes(wrapped).bytes(nonce)
                .toByteArray();
        byte[] ct = aes(Cipher.ENCRYPT_MODE, contentKey, nonce, header, bundle);
        byte[] out = new WireWriter(header.length + 4 + ct.length).bytes(header).u32(ct.length).bytes(ct).toByteArray();
        return new Sealed(out, contentKey, Hash.sha3(bundle));
    }

    /**
     * Opens a sealed bundle with the evaluator's key.
     *
     * @throws ValidationRejectedException if the bytes are malformed, sealed to another key or altered
     */
    public static Opened open(byte[] sealed, NodeRoundKey evaluatorKey) {
        Parts p = parse(sealed);
        byte[][] wrap = wrapKeys(evaluatorKey.sharedPoint(p.ephemeral));
        byte[] contentKey;
        try {
            contentKey = aes(Cipher.DECRYPT_MODE, wrap[0], wrap[1], p.ephemeral.toEvmBytes(), p.wrapped);
        } catch (ValidationRejectedException e) {
            throw new ValidationRejectedException("the validation bundle's content key does not open with this "
                    + "evaluator's key: sealed to another key, or altered");
        }
        return new Opened(aes(Cipher.DECRYPT_MODE, contentKey, p.nonce, p.header, p.ciphertext), contentKey);
    }

    /**
     * Opens a sealed bundle with its disclosed content key (no evaluator key needed).
     *
     * @throws ValidationRejectedException if the bytes are malformed, the key is wrong or the bytes were altered
     */
    public static Opened openWithContentKey(byte[] sealed, byte[] contentKey) {
        if (contentKey.length != 32) {
            throw new ValidationRejectedException("a content key is 32 bytes, got " + contentKey.length);
        }
        Parts p = parse(sealed);
        return new Opened(aes(Cipher.DECRYPT_MODE, contentKey, p.nonce, p.header, p.ciphertext), contentKey.clone());
    }

    /**
     * The bundle sealed in {@code sealed}, opened with the evaluator's key and checked against the job's commitment
     * and group count.
     *
     * @throws ValidationRejectedException saying what does not hold
     */
    public static ValidationBundle openChecked(byte[] sealed, NodeRoundKey evaluatorKey, byte[] commitment, int groups) {
        return checked(open(sealed, evaluatorKey), commitment, groups);
    }

    /**
     * The bundle sealed in {@code sealed}, opened with its disclosed content key and checked against the job's
     * commitment and group count: what anyone can do once the owner discloses the key.
     *
     * @throws ValidationRejectedException saying what does not hold
     */
    public static ValidationBundle openDisclosed(byte[] sealed, byte[] contentKey, byte[] commitment, int groups) {
        return checked(openWithContentKey(sealed, contentKey), commitment, groups);
    }

    private static ValidationBundle checked(Opened o, byte[] commitment, int groups) {
        byte[] actual = commitment(o.bundleHash(), o.contentKey());
        if (!Arrays.equals(actual, commitment)) {
            throw new ValidationRejectedException("the validation bundle does not match the job's commitment "
                    + org.web3j.utils.Numeric.toHexString(commitment) + ": keccak256(abi.encode(bundleHash, contentKey)) is "
                    + org.web3j.utils.Numeric.toHexString(actual));
        }
        ValidationBundle b;
        try {
            b = ValidationBundle.fromBytes(o.bundle());
        } catch (IllegalArgumentException e) {
            throw new ValidationRejectedException(e.getMessage());
        }
        if (b.groupCount() != groups) {
            throw new ValidationRejectedException("the validation bundle has " + b.groupCount() + " groups, the job names "
                    + groups);
        }
        return b;
    }

    private record Parts(byte[] header, G1 ephemeral, byte[] wrapped, byte[] nonce, byte[] ciphertext) {
    }

    private static Parts parse(byte[] sealed) {
        if (sealed == null || sealed.length > MAX_BYTES) {
            throw new ValidationRejectedException("sealed validation bundle: " + (sealed == null ? "no bytes"
                    : sealed.length + " bytes, more than the " + MAX_BYTES + " allowed"));
        }
        try {
            WireReader r = new WireReader("sealed validation bundle", sealed);
            if (!Arrays.equals(MAGIC, r.bytes("magic", MAGIC.length))) {
                throw new ValidationRejectedException("not a sealed zkPFL validation bundle (bad magic)");
            }
            r.version(VERSION);
            G1 e = r.g1("ephemeral point E");
            requireUsable(e);
            byte[] wrapped = r.bytes("wrapped content key", 48);
            byte[] nonce = r.bytes("nonce", 12);
            int n = r.u32InRange("ciphertext length", 16, ValidationBundle.MAX_BYTES + 16L);
            byte[] ct = r.bytes("ciphertext", n);
            r.end();
            return new Parts(Arrays.copyOf(sealed, HEADER), e, wrapped, nonce, ct);
        } catch (IllegalArgumentException ex) {
            throw new ValidationRejectedException(ex.getMessage());
        }
    }

    private static void requireUsable(G1 p) {
        if (p == null || p.isInfinity() || !p.isOnCurve() || !p.isInSubgroup()) {
            throw new IllegalArgumentException("the evaluator's encryption key is not a usable BN254 G1 point");
        }
    }

    private static void fill(byte[] b, RandomGenerator rng, SecureRandom secure) {
        if (secure != null) {
            secure.nextBytes(b);
        } else {
            rng.nextBytes(b);
        }
    }

    /** {@code [key (32), nonce (12)]} from the shared point. */
    private static byte[][] wrapKeys(G1 shared) {
        if (shared.isInfinity()) {
            throw new ValidationRejectedException("shared point is the point at infinity");
        }
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(shared.toEvmBytes(), null, WRAP_INFO));
        byte[] okm = new byte[44];
        hkdf.generateBytes(okm, 0, 44);
        return new byte[][] {Arrays.copyOf(okm, 32), Arrays.copyOfRange(okm, 32, 44)};
    }

    private static byte[] aes(int mode, byte[] key, byte[] nonce, byte[] aad, byte[] input) {
        return mode == Cipher.ENCRYPT_MODE ? Aes256Gcm.seal(key, nonce, aad, input)
                : Aes256Gcm.open(key, nonce, aad, input, () -> new ValidationRejectedException(
                        "the validation bundle does not decrypt: wrong key or altered ciphertext"));
    }
}
