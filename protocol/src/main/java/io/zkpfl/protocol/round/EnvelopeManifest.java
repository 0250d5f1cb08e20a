package io.zkpfl.protocol.round;

import io.zkpfl.protocol.ipfs.Cid;
import io.zkpfl.protocol.wire.WireFormatException;
import io.zkpfl.protocol.wire.WireReader;
import io.zkpfl.protocol.wire.WireWriter;
import io.zkpfl.zk.bn254.G1;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.web3j.crypto.Hash;

/**
 * Trainer {@code i}'s manifest for one attempt (docs/adr/0063-round-message-format.md): its
 * commitments {@code C_i0 … C_i,t−1}, its declared sample count {@code n_i} and the CIDs of its
 * envelopes for nodes {@code 1..m} (in node order). {@link #digest()} is what the trainer posts on chain.
 *
 * <p>Wire form: {@code 0x01 ‖ 0x02 ‖ job (uint256) ‖ round ‖ attempt ‖ i ‖ n_i (uint32 each) ‖
 * uint8 t ‖ t points (64 bytes each) ‖ uint8 m ‖ m × (uint16 length ‖ binary CID)}.
 */
public record EnvelopeManifest(BigInteger jobId, long round, long attempt, int trainer, long declaredSamples,
        List<G1> commitments, List<Cid> envelopes) {

    public static final int VERSION = 1;
    public static final int KIND = 2;

    public EnvelopeManifest {
        if (jobId == null || jobId.signum() < 0 || jobId.bitLength() > 256) {
            throw new IllegalArgumentException("job id must be an unsigned 256-bit integer");
        }
        if (round < 0 || round > 0xFFFF_FFFFL || attempt < 0 || attempt > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("round and attempt must be unsigned 32-bit integers");
        }
        if (trainer < 0) {
            throw new IllegalArgumentException("trainer index must be non-negative");
        }
        if (declaredSamples < 1 || declaredSamples > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("declared sample count must be in [1, 2^32 − 1], got " + declaredSamples);
        }
        commitments = List.copyOf(commitments);
        envelopes = List.copyOf(envelopes);
        if (commitments.size() < 2 || commitments.size() > 255) {
            throw new IllegalArgumentException("a manifest carries t ∈ [2, 255] commitments, got " + commitments.size());
        }
        if (envelopes.size() < 2 * commitments.size() - 1 || envelopes.size() > 255) {
            throw new IllegalArgumentException(
                    "a manifest carries m ∈ [2t − 1, 255] envelope CIDs, got " + envelopes.size());
        }
    }

    public byte[] toBytes() {
        WireWriter w = new WireWriter(64 + 64 * commitments.size() + 40 * envelopes.size())
                .u8(VERSION).u8(KIND).u256(jobId).u32(round).u32(attempt).u32(trainer).u32(declaredSamples)
                .u8(commitments.size());
        commitments.forEach(w::g1);
        w.u8(envelopes.size());
        for (Cid c : envelopes) {
            byte[] b = c.toBytes();
            w.u16(b.length).bytes(b);
        }
        return w.toByteArray();
    }

    /** keccak-256 of {@link #toBytes()}. */
    public byte[] digest() {
        return Hash.sha3(toBytes());
    }

    /**
     * Decodes the wire form.
     *
     * @throws WireFormatException on a wrong version or kind, truncated or trailing bytes, a point off
     *     the curve, or a malformed CID
     */
    public static EnvelopeManifest fromBytes(byte[] bytes) {
        WireReader r = new WireReader("envelope manifest", bytes);
        r.version(VERSION);
        r.kind(KIND);
        BigInteger job = r.u256("job");
        long round = r.u32("round");
        long attempt = r.u32("attempt");
        int trainer = r.u32InRange("trainer", 0, Integer.MAX_VALUE);
        long samples = r.u32InRange("n_i", 1, Integer.MAX_VALUE);
        int t = r.u8("t");
        if (t < 2) {
            throw new WireFormatException("envelope manifest: field t is " + t + ", at least 2 expected");
        }
        List<G1> commitments = new ArrayList<>(t);
        for (int l = 0; l < t; l++) {
            commitments.add(r.g1("C_" + l));
        }
        int m = r.u8("m");
        if (m < 2 * t - 1) {
            throw new WireFormatException("envelope manifest: field m is " + m + ", at least 2t − 1 = " + (2 * t - 1) + " expected");
        }
        List<Cid> envelopes = new ArrayList<>(m);
        for (int k = 1; k <= m; k++) {
            int len = r.u16("envelope CID length " + k);
            byte[] cid = r.bytes("envelope CID " + k, len);
            try {
                envelopes.add(Cid.fromBytes(cid));
            } catch (RuntimeException e) {
                throw new WireFormatException("envelope manifest: envelope CID " + k + " is not a CID (" + e.getMessage() + ")");
            }
        }
        r.end();
        return new EnvelopeManifest(job, round, attempt, trainer, samples, commitments, envelopes);
    }
}
