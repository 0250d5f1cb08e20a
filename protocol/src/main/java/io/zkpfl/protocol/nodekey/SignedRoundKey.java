package io.zkpfl.protocol.nodekey;

import java.util.Arrays;
import java.util.Locale;

/** A {@link RoundKeyAnnouncement} with its 65-byte EIP-191 signature. */
public record SignedRoundKey(RoundKeyAnnouncement announcement, byte[] signature) {

    public SignedRoundKey {
        signature = signature.clone();
    }

    /**
     * Checks that the announcement was signed by {@code registeredAddress}, the node's address
     * registered on chain, and that it names that node.
     *
     * @throws IllegalArgumentException if the signature is malformed, recovers another signer, or the
     *     announcement names another node
     */
    public void verify(String registeredAddress) {
        String expected = registeredAddress.toLowerCase(Locale.ROOT);
        if (!announcement.node().equals(expected)) {
            throw new IllegalArgumentException(
                    "round key names node " + announcement.node() + ", expected " + expected);
        }
        String signer = PersonalSignature.recover(announcement.digest(), signature);
        if (!signer.equals(expected)) {
            throw new IllegalArgumentException("round key signed by " + signer + ", not by the registered " + expected);
        }
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignedRoundKey s && announcement.equals(s.announcement) && Arrays.equals(signature, s.signature);
    }

    @Override
    public int hashCode() {
        return announcement.hashCode() * 31 + Arrays.hashCode(signature);
    }
}
