package io.zkpfl.zk.kzg;

import io.zkpfl.zk.bn254.Fr;
import io.zkpfl.zk.bn254.G1;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Discrete-log equality on BN254 G1 (Chaum–Pedersen, made non-interactive by Fiat–Shamir): a proof
 * that {@code publicKey = x·G} and {@code shared = x·base2} for one secret x, G the generator
 * (1, 2). A zk-node uses it to publish the ECDH key of an envelope — {@code shared = sk·E} for the
 * trainer's ephemeral point E, {@code publicKey = sk·G} its per-round key — and show it is the
 * right one without revealing sk.
 *
 * <p><b>Proof.</b> With a nonce k: {@code A1 = k·G}, {@code A2 = k·base2},
 * {@code c = keccak256("zkPFL-DLEQ-v1" ‖ G ‖ base2 ‖ publicKey ‖ shared ‖ A1 ‖ A2) mod r} (points
 * in the 64-byte EVM layout, so Solidity's {@code abi.encodePacked} of the same words gives the
 * same bytes), {@code s = k + c·x mod r}; the proof is {@code (c, s)}. <b>Verification</b>
 * recomputes {@code A1 = s·G − c·publicKey}, {@code A2 = s·base2 − c·shared} and checks that they
 * hash to c: four scalar multiplications, which the EVM does with precompiles 0x06/0x07
 * ({@link DleqSolidity}).
 *
 * <p>The nonce is hedged: {@code k = SHA-512("zkPFL-DLEQ-nonce-v1" ‖ x ‖ base2 ‖ 32 bytes of rng)
 * mod r}, so a weak or repeated {@code rng} output alone does not leak x (two proofs for the same x
 * and base2 with the same rng bytes are equal, not two equations in x).
 *
 * <p>Points at infinity are refused as keys, bases or shared points: in a prime-order group they only
 * arise from x = 0 or a degenerate base, which the protocol never uses.
 */
public final class Dleq {

    static final byte[] DOMAIN = "zkPFL-DLEQ-v1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NONCE_DOMAIN = "zkPFL-DLEQ-nonce-v1".getBytes(StandardCharsets.US_ASCII);

    private Dleq() {
    }

    /**
     * Proves that {@code secret·G} and {@code secret·base2} share the logarithm {@code secret}.
     *
     * @throws IllegalArgumentException if {@code secret} is zero or {@code base2} is infinity
     */
    public static DleqProof prove(Fr secret, G1 base2, RandomGenerator rng) {
        if (secret.isZero()) {
            throw new IllegalArgumentException("DLEQ secret must be nonzero");
        }
        if (base2.isInfinity()) {
            throw new IllegalArgumentException("DLEQ base must not be infinity");
        }
        G1 publicKey = G1.GENERATOR.mul(secret);
        G1 shared = base2.mul(secret);
        Fr k = nonce(secret, base2, rng);
        G1 a1 = G1.GENERATOR.mul(k);
        G1 a2 = base2.mul(k);
        Fr c = challenge(publicKey, base2, shared, a1, a2);
        return new DleqProof(c, k.add(c.mul(secret)));
    }

    /** Whether {@code proof} shows {@code log_G(publicKey) = log_base2(shared)}. */
    public static boolean verify(G1 publicKey, G1 base2, G1 shared, DleqProof proof) {
        if (publicKey.isInfinity() || base2.isInfinity() || shared.isInfinity()) {
            return false;
        }
        G1 a1 = G1.GENERATOR.mul(proof.s()).sub(publicKey.mul(proof.c()));
        G1 a2 = base2.mul(proof.s()).sub(shared.mul(proof.c()));
        return challenge(publicKey, base2, shared, a1, a2).equals(proof.c());
    }

    /**
     * {@link #verify} on encoded input, as the Solidity verifier takes it: three 64-byte EVM
     * points and the words c, s. Refuses (false) what the contract reverts on: a coordinate not
     * below p, a point off the curve, a point at infinity, c or s not below r, wrong lengths.
     */
    public static boolean verifyEncoded(byte[] publicKey, byte[] base2, byte[] shared, BigInteger c, BigInteger s) {
        G1 pk;
        G1 b2;
        G1 sh;
        DleqProof proof;
        try {
            pk = G1.fromEvmBytes(publicKey);
            b2 = G1.fromEvmBytes(base2);
            sh = G1.fromEvmBytes(shared);
            proof = DleqProof.fromWords(c, s);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return verify(pk, b2, sh, proof);
    }

    /** keccak256(DOMAIN ‖ G ‖ base2 ‖ publicKey ‖ shared ‖ A1 ‖ A2) mod r. */
    static Fr challenge(G1 publicKey, G1 base2, G1 shared, G1 a1, G1 a2) {
        return new Keccak().update(DOMAIN).update(G1.GENERATOR.toEvmBytes()).update(base2.toEvmBytes())
                .update(publicKey.toEvmBytes()).update(shared.toEvmBytes()).update(a1.toEvmBytes())
                .update(a2.toEvmBytes()).digestModR();
    }

    private static Fr nonce(Fr secret, G1 base2, RandomGenerator rng) {
        byte[] fresh = new byte[32];
        rng.nextBytes(fresh);
        byte[] x = secret.toBytesBE();
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-512");
            for (int counter = 0;; counter++) {
                md.update(NONCE_DOMAIN);
                md.update(x);
                md.update(base2.toEvmBytes());
                md.update(fresh);
                md.update((byte) counter);
                Fr k = Fr.of(new BigInteger(1, md.digest()));
                if (!k.isZero()) {
                    return k;
                }
            }
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } finally {
            Arrays.fill(x, (byte) 0);
            Arrays.fill(fresh, (byte) 0);
        }
    }
}
