package io.zkpfl.node;

import io.zkpfl.contracts.MarketClient;
import java.math.BigInteger;
import java.util.List;

/**
 * Who signed a node's opening for {@code postOpenings} or its reveal for {@code revealPartials}: the digests are the
 * contract's ({@code MarketClient.openingDigest}, {@code MarketClient.revealDigest}) under the EIP-191 prefix.
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
        return MarketClient.signerOf(MarketClient.openingDigest(market, chainId, job, round, attempt, k, words), signature);
    }

    /** Whether node {@code node} signed reveal {@code r} (its CID and next-round key) for {@code revealPartials}. */
    static boolean signedReveal(String node, String market, long chainId, CommitteeRaft.SignedReveal r) {
        if (r.signature().length != 65 || r.nextKey().size() != 2) {
            return false;
        }
        try {
            return MarketClient.signerOf(MarketClient.revealDigest(market, chainId, r.job(), r.round(), r.attempt(), r.k(),
                    r.cid(), r.nextKey()), r.signature()).equalsIgnoreCase(node);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
