package io.zkpfl.node;

import io.zkpfl.contracts.MarketClient;
import java.security.SignatureException;
import java.util.Arrays;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;

/** Whether a reveal in the Raft log carries its node's sign-off for {@code revealPartials} (as the contract checks it). */
final class RevealSignatures {

    private RevealSignatures() {
    }

    static boolean signedBy(String node, String market, long chainId, CommitteeRaft.SignedReveal r) {
        byte[] s = r.signature();
        if (s.length != 65 || r.nextKey().size() != 2) {
            return false;
        }
        byte[] digest = MarketClient.revealDigest(market, chainId, r.job(), r.round(), r.attempt(), r.k(), r.cid(),
                r.nextKey());
        try {
            String signer = "0x" + Keys.getAddress(Sign.signedPrefixedMessageToKey(digest,
                    new Sign.SignatureData(s[64], Arrays.copyOfRange(s, 0, 32), Arrays.copyOfRange(s, 32, 64))));
            return signer.equalsIgnoreCase(node);
        } catch (SignatureException | RuntimeException e) {
            return false;
        }
    }
}
