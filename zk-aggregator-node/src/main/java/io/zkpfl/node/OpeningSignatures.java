package io.zkpfl.node;

import java.math.BigInteger;
import java.security.SignatureException;
import java.util.Arrays;
import java.util.List;
import org.web3j.crypto.Hash;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;
import org.web3j.utils.Numeric;

/**
 * Who signed a node's opening for {@code postOpenings}: the digest is the contract's,
 * keccak256(abi.encode(market, chain id, job, round, attempt, k, the 5 opening words)) under the EIP-191 prefix, as
 * {@code ChainClient.signOpening} signs it.
 */
final class OpeningSignatures {

    private OpeningSignatures() {
    }

    /** The address that made {@code signature} (65 bytes r ‖ s ‖ v) over node k's opening {@code words}. */
    static String signer(String market, long chainId, BigInteger job, int round, int attempt, int k,
                         List<BigInteger> words, byte[] signature) {
        if (signature.length != 65 || words.size() != 5) {
            throw new IllegalArgumentException("a signed opening has 5 words and a 65-byte signature");
        }
        StringBuilder hex = new StringBuilder(Numeric.toHexStringNoPrefixZeroPadded(Numeric.toBigInt(market), 64));
        for (BigInteger w : List.of(BigInteger.valueOf(chainId), job, BigInteger.valueOf(round),
                BigInteger.valueOf(attempt), BigInteger.valueOf(k))) {
            hex.append(Numeric.toHexStringNoPrefixZeroPadded(w, 64));
        }
        for (BigInteger w : words) {
            hex.append(Numeric.toHexStringNoPrefixZeroPadded(w, 64));
        }
        byte[] digest = Hash.sha3(Numeric.hexStringToByteArray(hex.toString()));
        Sign.SignatureData sig = new Sign.SignatureData(signature[64], Arrays.copyOfRange(signature, 0, 32),
                Arrays.copyOfRange(signature, 32, 64));
        try {
            return "0x" + Keys.getAddress(Sign.signedPrefixedMessageToKey(digest, sig));
        } catch (SignatureException e) {
            throw new IllegalArgumentException("the opening's signature does not recover: " + e.getMessage(), e);
        }
    }
}
