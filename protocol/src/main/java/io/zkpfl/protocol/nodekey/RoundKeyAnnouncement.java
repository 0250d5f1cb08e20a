package io.zkpfl.protocol.nodekey;

import io.zkpfl.protocol.wire.WireWriter;
import io.zkpfl.zk.bn254.G1;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * A node's envelope key for one round of one job (docs/adr/0064-round-key-signature.md). Its digest
 * is {@code keccak256(abi.encodePacked("zkPFL-round-key-v1", uint256 chainId, address market,
 * uint256 job, uint32 round, address node, uint256 pk.x, uint256 pk.y))}; the node signs the digest
 * with its registered secp256k1 key as an EIP-191 personal message.
 */
public record RoundKeyAnnouncement(BigInteger chainId, String market, BigInteger jobId, long round, String node,
        G1 publicKey) {

    /** The domain string at the head of the encoding. */
    public static final String DOMAIN = "zkPFL-round-key-v1";

    public RoundKeyAnnouncement {
        market = address(market, "market");
        node = address(node, "node");
        if (chainId == null || chainId.signum() <= 0 || chainId.bitLength() > 256) {
            throw new IllegalArgumentException("chain id must be a positive 256-bit integer");
        }
        if (jobId == null || jobId.signum() < 0 || jobId.bitLength() > 256) {
            throw new IllegalArgumentException("job id must be an unsigned 256-bit integer");
        }
        if (round < 0 || round > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("round must be an unsigned 32-bit integer");
        }
        if (publicKey == null || publicKey.isInfinity() || !publicKey.isOnCurve()) {
            throw new IllegalArgumentException("round key must be a finite BN254 G1 point");
        }
    }

    /** The packed encoding hashed by {@link #digest()}. */
    public byte[] encoding() {
        return new WireWriter(18 + 32 + 20 + 32 + 4 + 20 + 64)
                .bytes(DOMAIN.getBytes(StandardCharsets.US_ASCII))
                .u256(chainId).bytes(Numeric.hexStringToByteArray(market)).u256(jobId).u32(round)
                .bytes(Numeric.hexStringToByteArray(node)).g1(publicKey).toByteArray();
    }

    /** keccak-256 of {@link #encoding()}: the 32-byte message the node signs. */
    public byte[] digest() {
        return Hash.sha3(encoding());
    }

    /** Signs with the node's registered key (whose address should be {@link #node()}). */
    public SignedRoundKey sign(ECKeyPair registeredKey) {
        return new SignedRoundKey(this, PersonalSignature.sign(digest(), registeredKey));
    }

    private static String address(String a, String what) {
        if (a == null || !a.matches("0x[0-9a-fA-F]{40}")) {
            throw new IllegalArgumentException(what + " address must be 0x and 40 hex digits, got " + a);
        }
        return a.toLowerCase(Locale.ROOT);
    }
}
