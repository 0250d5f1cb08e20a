package io.zkpfl.protocol.round;

import io.zkpfl.protocol.vss.Share;
import io.zkpfl.zk.bn254.Fr;
import io.zkpfl.zk.bn254.G1;
import io.zkpfl.zk.kzg.Kzg;
import io.zkpfl.zk.kzg.Opening;
import io.zkpfl.zk.kzg.Srs;
import io.zkpfl.zk.solidity.KzgSolidityVerifier;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.crypto.digests.KeccakDigest;

/**
 * The round's result bound to its opening point (docs/protocol.md step 8, docs/adr/0108-result-point-bound-to-the-aggregate.md).
 *
 * <p>{@code aggregateHash = keccak256(A ‖ b_A)} over the canonical bytes of the aggregate: the {@code D} coordinates of
 * {@code A}, then the {@code m + 2} coefficients of {@code b_A}, each a 32-byte big-endian field element, nothing else.
 * The chain opens {@code C_A} at {@code z_A = keccak256(abi.encode(C_A.x, C_A.y, attempt, aggregateHash)) mod r} and
 * publishes {@code (aggregateHash, z, y)} in {@code ResultOpened}. Since it verified that opening, a candidate
 * {@code A'} whose canonical bytes hash to {@code aggregateHash} and which evaluates to {@code y} at {@code z} is the
 * committed {@code A} except with probability {@code D/r}: {@code z} is fixed by {@code A'} itself before it is
 * evaluated (Schwartz–Zippel). That check needs a hash and {@code D} multiplications, no MSM.
 */
public final class ResultBinding {

    private ResultBinding() {
    }

    /**
     * What the chain's {@code ResultOpened} event says about the attempt's result.
     *
     * @param aggregateHash keccak256 of {@code A ‖ b_A}'s canonical bytes
     * @param z             the point {@code C_A} was opened at
     * @param y             {@code A(z)}, as the verified opening claims it
     */
    public record Claim(byte[] aggregateHash, Fr z, Fr y) {

        public Claim {
            if (aggregateHash == null || aggregateHash.length != 32) {
                throw new IllegalArgumentException("an aggregate hash has 32 bytes");
            }
        }

        /** The claim as the event's words carry it. */
        public static Claim of(byte[] aggregateHash, BigInteger z, BigInteger y) {
            return new Claim(aggregateHash.clone(), Fr.of(z), Fr.of(y));
        }

        /**
         * Why {@code candidate} is not the result this claim certifies, or {@code null} if it is: its hash must be
         * {@code aggregateHash}, {@code z} must be the point the chain derives from {@code C_A}, the attempt and that
         * hash, and {@code A'(z) = y}.
         */
        public String refusal(Share candidate, G1 aggregateCommitment, long attempt) {
            if (!Arrays.equals(ResultBinding.aggregateHash(candidate), aggregateHash)) {
                return "keccak256(A ‖ b_A) differs from the chain's aggregateHash";
            }
            if (!point(aggregateCommitment, attempt, aggregateHash).equals(z)) {
                return "the chain's z is not the point bound to C_A, the attempt and aggregateHash";
            }
            if (!Kzg.evaluate(candidate.values(), z).equals(y)) {
                return "A(z) differs from the y the chain verified";
            }
            return null;
        }
    }

    /**
     * An opening of {@code C_A} ready for {@code openResult}.
     *
     * @param aggregateHash keccak256 of {@code A ‖ b_A}
     * @param opening       the opening at the point bound to that hash
     */
    public record Posted(byte[] aggregateHash, Opening opening) {

        /** The five opening words {@code openResult} takes: z, y, ŷ, π.x, π.y. */
        public List<BigInteger> words() {
            return List.of(KzgSolidityVerifier.openingWords(List.of(opening)));
        }

        /** Whether the opening opens {@code aggregateCommitment}: one pairing check, as the chain will make it. */
        public boolean verifies(Srs srs, G1 aggregateCommitment) {
            return Kzg.verify(srs, aggregateCommitment, opening);
        }
    }

    /** The canonical bytes of {@code A ‖ b_A}: every coordinate, then every blinding coefficient, 32 bytes BE each. */
    public static byte[] canonicalBytes(Share aggregate) {
        Fr[] v = aggregate.values();
        Fr[] b = aggregate.blinding();
        byte[] out = new byte[32 * (v.length + b.length)];
        for (int j = 0; j < v.length; j++) {
            System.arraycopy(v[j].toBytesBE(), 0, out, 32 * j, 32);
        }
        for (int l = 0; l < b.length; l++) {
            System.arraycopy(b[l].toBytesBE(), 0, out, 32 * (v.length + l), 32);
        }
        return out;
    }

    /** keccak256 of {@link #canonicalBytes}, streamed (no copy of the whole vector). */
    public static byte[] aggregateHash(Share aggregate) {
        KeccakDigest k = new KeccakDigest(256);
        for (Fr f : aggregate.values()) {
            k.update(f.toBytesBE(), 0, 32);
        }
        for (Fr f : aggregate.blinding()) {
            k.update(f.toBytesBE(), 0, 32);
        }
        byte[] out = new byte[32];
        k.doFinal(out, 0);
        return out;
    }

    /** {@code keccak256(abi.encode(C_A.x, C_A.y, attempt, aggregateHash)) mod r}, as {@code JobRounds.openResult}. */
    public static Fr point(G1 aggregateCommitment, long attempt, byte[] aggregateHash) {
        if (aggregateHash.length != 32) {
            throw new IllegalArgumentException("an aggregate hash has 32 bytes");
        }
        KeccakDigest k = new KeccakDigest(256);
        k.update(aggregateCommitment.toEvmBytes(), 0, 64);
        byte[] word = new byte[32];
        for (int i = 0; i < 8; i++) {
            word[31 - i] = (byte) (attempt >>> (8 * i));
        }
        k.update(word, 0, 32);
        k.update(aggregateHash, 0, 32);
        byte[] out = new byte[32];
        k.doFinal(out, 0);
        return Fr.of(new BigInteger(1, out));
    }

    /**
     * Hashes {@code aggregate} and opens {@code Com(A; b_A)} at the point bound to it: one MSM (the quotient's
     * commitment). Whether it opens {@code C_A} is {@link Posted#verifies}.
     */
    public static Posted open(Srs srs, Share aggregate, G1 aggregateCommitment, long attempt) {
        byte[] hash = aggregateHash(aggregate);
        Fr z = point(aggregateCommitment, attempt, hash);
        return new Posted(hash, Kzg.open(srs, aggregate.values(), aggregate.blinding(), z));
    }
}
