package io.zkpfl.protocol.envelope;

import io.zkpfl.protocol.vss.Share;
import io.zkpfl.protocol.wire.WireFormatException;
import io.zkpfl.protocol.wire.WireReader;
import io.zkpfl.protocol.wire.WireWriter;
import io.zkpfl.zk.bn254.Fr;
import io.zkpfl.zk.bn254.G1;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Trainer {@code i}'s share for node {@code k}, encrypted (docs/adr/0061-share-envelope-format.md):
 * ephemeral {@code e}, {@code E = e·G}, shared point {@code K = e·PK_k = sk_k·E},
 * {@link EnvelopeKeys} from {@code K}, AES-256-GCM over the payload {@code D ‖ m+2 ‖ x_ik ‖ b_ik}
 * (two uint32, then field elements) with the {@link EnvelopeTag} as associated data.
 *
 * <p>Wire form: {@code 0x01 (version) ‖ 0x01 (kind) ‖ tag (48) ‖ E (64) ‖ uint32 length ‖ ciphertext
 * with its 16-byte GCM tag}.
 */
public record ShareEnvelope(EnvelopeTag tag, G1 ephemeral, byte[] ciphertext) {

    public static final int VERSION = 1;
    public static final int KIND = 1;
    /** The largest ciphertext accepted on decoding, in bytes. */
    public static final long MAX_CIPHERTEXT = (1L << 31) - 1;

    public ShareEnvelope {
        requireUsablePoint(ephemeral, "ephemeral point E");
        if (ciphertext.length < 16 + 8) {
            throw new IllegalArgumentException("envelope ciphertext is shorter than its header and GCM tag");
        }
    }

    /**
     * Encrypts {@code share} for the holder of {@code nodeKey}.
     *
     * @throws IllegalArgumentException if the node key is unusable or the share is not for the tag's node
     */
    public static ShareEnvelope seal(G1 nodeKey, EnvelopeTag tag, Share share, RandomGenerator rng) {
        requireUsablePoint(nodeKey, "node round key PK");
        if (share.node() != tag.node()) {
            throw new IllegalArgumentException("share for node " + share.node() + " under a tag for node " + tag.node());
        }
        Fr e;
        do {
            e = Fr.random(rng);
        } while (e.isZero());
        G1 ephemeral = G1.GENERATOR.mul(e).normalize();
        EnvelopeKeys keys = EnvelopeKeys.fromSharedPoint(nodeKey.mul(e).normalize());
        byte[] payload = new WireWriter(8 + 32 * (share.values().length + share.blinding().length))
                .u32(share.values().length).u32(share.blinding().length)
                .frs(share.values()).frs(share.blinding()).toByteArray();
        return new ShareEnvelope(tag, ephemeral, Aes256Gcm.seal(keys.key(), keys.nonce(), tag.toBytes(), payload));
    }

    /**
     * Opens the envelope with the node's round key.
     *
     * @throws EnvelopeRejectedException if it is not for {@code expected}, fails authentication, or
     *     its payload is malformed
     */
    public Share open(NodeRoundKey key, EnvelopeTag expected) {
        return openWithSharedPoint(key.sharedPoint(ephemeral), expected);
    }

    /**
     * Opens the envelope given only its shared point {@code K} (published with a DLEQ proof in a
     * complaint), so that anyone can read the complained-about share.
     *
     * @throws EnvelopeRejectedException as {@link #open}, or if {@code K} is not a usable point
     */
    public Share openWithSharedPoint(G1 sharedPoint, EnvelopeTag expected) {
        if (!tag.equals(expected)) {
            throw new EnvelopeRejectedException("envelope is tagged " + tag + ", expected " + expected);
        }
        try {
            requireUsablePoint(sharedPoint, "shared point K");
        } catch (IllegalArgumentException e) {
            throw new EnvelopeRejectedException(e.getMessage());
        }
        EnvelopeKeys keys = EnvelopeKeys.fromSharedPoint(sharedPoint);
        byte[] payload = Aes256Gcm.open(keys.key(), keys.nonce(), expected.toBytes(), ciphertext);
        try {
            WireReader r = new WireReader("share envelope payload", payload);
            int len = r.u32InRange("D", 1, 1 << 26);
            int nb = r.u32InRange("blinding length", 1, 1 << 10);
            Share s = new Share(tag.node(), r.frs("x", len), r.frs("b", nb));
            r.end();
            return s;
        } catch (WireFormatException e) {
            throw new EnvelopeRejectedException(e.getMessage());
        }
    }

    /** The wire form. */
    public byte[] toBytes() {
        return tag.write(new WireWriter(2 + EnvelopeTag.LENGTH + 64 + 4 + ciphertext.length).u8(VERSION).u8(KIND))
                .g1(ephemeral).u32(ciphertext.length).bytes(ciphertext).toByteArray();
    }

    /**
     * Decodes the wire form.
     *
     * @throws WireFormatException on a wrong version or kind, truncated or oversized input, or a bad point
     */
    public static ShareEnvelope fromBytes(byte[] bytes) {
        WireReader r = new WireReader("share envelope", bytes);
        r.version(VERSION);
        r.kind(KIND);
        EnvelopeTag tag = EnvelopeTag.read(r);
        G1 e = r.g1("E");
        if (e.isInfinity()) {
            throw new WireFormatException("share envelope: field E is the point at infinity");
        }
        int n = r.u32InRange("ciphertext length", 24, MAX_CIPHERTEXT);
        byte[] ct = r.bytes("ciphertext", n);
        r.end();
        return new ShareEnvelope(tag, e, ct);
    }

    static void requireUsablePoint(G1 p, String what) {
        if (p == null || p.isInfinity()) {
            throw new IllegalArgumentException(what + " is the point at infinity");
        }
        if (!p.isOnCurve()) {
            throw new IllegalArgumentException(what + " is not on the BN254 curve");
        }
        if (!p.isInSubgroup()) {
            throw new IllegalArgumentException(what + " is not in the order-r subgroup");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ShareEnvelope s && tag.equals(s.tag) && ephemeral.equals(s.ephemeral)
                && Arrays.equals(ciphertext, s.ciphertext);
    }

    @Override
    public int hashCode() {
        return tag.hashCode() * 31 + Arrays.hashCode(ciphertext);
    }

    @Override
    public String toString() {
        return "ShareEnvelope[tag=" + tag + ", ciphertext=" + ciphertext.length + " bytes]";
    }
}
