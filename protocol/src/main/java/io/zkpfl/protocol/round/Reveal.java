package io.zkpfl.protocol.round;

import io.zkpfl.protocol.vss.Share;
import io.zkpfl.protocol.wire.WireFormatException;
import io.zkpfl.protocol.wire.WireReader;
import io.zkpfl.protocol.wire.WireWriter;
import java.math.BigInteger;

/**
 * Node {@code k}'s reveal of its partial {@code S_k ‖ b_k} for one attempt
 * (docs/adr/0063-round-message-format.md).
 *
 * <p>Wire form: {@code 0x01 ‖ 0x03 ‖ job (uint256) ‖ round ‖ attempt ‖ k ‖ D ‖ m+2 (uint32 each) ‖
 * S_k (D field elements) ‖ b_k (m+2 field elements)}.
 */
public record Reveal(BigInteger jobId, long round, long attempt, Share partial) {

    public static final int VERSION = 1;
    public static final int KIND = 3;
    /** The longest vector accepted on decoding. */
    public static final int MAX_LENGTH = 1 << 26;
    /** The longest blinding accepted on decoding. */
    public static final int MAX_BLINDING = 1 << 10;

    public Reveal {
        if (jobId == null || jobId.signum() < 0 || jobId.bitLength() > 256) {
            throw new IllegalArgumentException("job id must be an unsigned 256-bit integer");
        }
        if (round < 0 || round > 0xFFFF_FFFFL || attempt < 0 || attempt > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("round and attempt must be unsigned 32-bit integers");
        }
        if (partial.node() < 1) {
            throw new IllegalArgumentException("a reveal is from a node 1..m, got " + partial.node());
        }
    }

    public byte[] toBytes() {
        Share p = partial;
        return new WireWriter(62 + 32 * (p.values().length + p.blinding().length))
                .u8(VERSION).u8(KIND).u256(jobId).u32(round).u32(attempt).u32(p.node())
                .u32(p.values().length).u32(p.blinding().length).frs(p.values()).frs(p.blinding()).toByteArray();
    }

    /**
     * Decodes the wire form.
     *
     * @throws WireFormatException on a wrong version or kind, truncated or trailing bytes, lengths out
     *     of range, or a non-canonical field element
     */
    public static Reveal fromBytes(byte[] bytes) {
        WireReader r = new WireReader("reveal", bytes);
        r.version(VERSION);
        r.kind(KIND);
        BigInteger job = r.u256("job");
        long round = r.u32("round");
        long attempt = r.u32("attempt");
        int node = r.u32InRange("k", 1, 255);
        int len = r.u32InRange("D", 1, MAX_LENGTH);
        int nb = r.u32InRange("blinding length", 1, MAX_BLINDING);
        Share s = new Share(node, r.frs("S_k", len), r.frs("b_k", nb));
        r.end();
        return new Reveal(job, round, attempt, s);
    }
}
