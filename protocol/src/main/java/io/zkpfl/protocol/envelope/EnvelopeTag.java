package io.zkpfl.protocol.envelope;

import io.zkpfl.protocol.wire.WireReader;
import io.zkpfl.protocol.wire.WireWriter;
import java.math.BigInteger;

/**
 * What an envelope is for: job, round, attempt, trainer {@code i} and node {@code k}. Its canonical
 * encoding (48 bytes: job id as uint256, then round, attempt, {@code i}, {@code k} as uint32, all
 * big-endian) is the envelope's associated data, so an envelope opens only in its own slot.
 */
public record EnvelopeTag(BigInteger jobId, long round, long attempt, int trainer, int node) {

    /** Bytes of {@link #toBytes()}. */
    public static final int LENGTH = 48;

    public EnvelopeTag {
        if (jobId == null || jobId.signum() < 0 || jobId.bitLength() > 256) {
            throw new IllegalArgumentException("job id must be an unsigned 256-bit integer");
        }
        if (round < 0 || round > 0xFFFF_FFFFL || attempt < 0 || attempt > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("round and attempt must be unsigned 32-bit integers");
        }
        if (trainer < 0) {
            throw new IllegalArgumentException("trainer index must be non-negative, got " + trainer);
        }
        if (node < 1) {
            throw new IllegalArgumentException("node index must be positive, got " + node);
        }
    }

    /** The canonical 48-byte encoding. */
    public byte[] toBytes() {
        return write(new WireWriter(LENGTH)).toByteArray();
    }

    WireWriter write(WireWriter w) {
        return w.u256(jobId).u32(round).u32(attempt).u32(trainer).u32(node);
    }

    static EnvelopeTag read(WireReader r) {
        return new EnvelopeTag(r.u256("job"), r.u32("round"), r.u32("attempt"),
                r.u32InRange("trainer", 0, Integer.MAX_VALUE), r.u32InRange("node", 1, Integer.MAX_VALUE));
    }
}
