package io.zkpfl.protocol.vss;

import io.zkpfl.zk.bn254.Fr;
import java.util.Arrays;
import java.util.stream.IntStream;

/** Element-wise vector arithmetic over F_r, parallel for long vectors. */
final class VectorOps {

    private static final int CHUNK = 1 << 13;

    private VectorOps() {
    }

    /** {@code acc += x}. */
    static void addInto(Fr[] acc, Fr[] x) {
        forChunks(acc.length, (from, to) -> {
            for (int j = from; j < to; j++) {
                acc[j] = acc[j].add(x[j]);
            }
        });
    }

    /** {@code acc += c·x}. */
    static void addScaledInto(Fr[] acc, Fr c, Fr[] x) {
        forChunks(acc.length, (from, to) -> {
            for (int j = from; j < to; j++) {
                acc[j] = acc[j].add(c.mul(x[j]));
            }
        });
    }

    /** {@code acc = acc·c + x} (one Horner step). */
    static void hornerStep(Fr[] acc, Fr c, Fr[] x) {
        forChunks(acc.length, (from, to) -> {
            for (int j = from; j < to; j++) {
                acc[j] = acc[j].mul(c).add(x[j]);
            }
        });
    }

    /** An all-zero vector. */
    static Fr[] zeros(int n) {
        Fr[] z = new Fr[n];
        Arrays.fill(z, Fr.ZERO);
        return z;
    }

    interface Range {
        void run(int from, int to);
    }

    static void forChunks(int n, Range body) {
        if (n <= CHUNK) {
            body.run(0, n);
            return;
        }
        int chunks = (n + CHUNK - 1) / CHUNK;
        IntStream.range(0, chunks).parallel().forEach(c -> body.run(c * CHUNK, Math.min(n, (c + 1) * CHUNK)));
    }
}
