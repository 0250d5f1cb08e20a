package io.zkpfl.zk.std.poseidon;

import io.zkpfl.zk.bn254.Fr;

import java.math.BigInteger;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Poseidon parameters for BN254 with circomlib's choices: S-box x^5, 8 full rounds and the
 * circomlib number of partial rounds for widths 2..17.
 *
 * <p>Round constants and the Cauchy MDS matrix are derived in code with the Grain LFSR procedure of
 * the Poseidon reference ({@code generate_parameters_grain.sage 1 0 254 t 8 R_P r}), so no constant
 * table is stored. The native {@link PoseidonPermutation} and the circuit gadget
 * {@link PoseidonGadget} read the same instance; they cannot drift apart.
 */
public final class PoseidonParameters {

    /** Full rounds (4 before and 4 after the partial rounds). */
    public static final int FULL_ROUNDS = 8;
    private static final int[] PARTIAL_ROUNDS = {56, 57, 56, 60, 60, 63, 64, 63, 60, 66, 60, 65, 70, 60, 64, 68};
    /** Smallest supported width. */
    public static final int MIN_WIDTH = 2;
    /** Largest supported width. */
    public static final int MAX_WIDTH = 17;
    private static final int FIELD_BITS = 254;

    private static final ConcurrentHashMap<Integer, PoseidonParameters> CACHE = new ConcurrentHashMap<>();

    private final int width;
    private final int partialRounds;
    private final Fr[] roundConstants;
    private final Fr[][] mds;
    private volatile LinearTrace trace;

    private PoseidonParameters(int width, int partialRounds, Fr[] roundConstants, Fr[][] mds) {
        this.width = width;
        this.partialRounds = partialRounds;
        this.roundConstants = roundConstants;
        this.mds = mds;
    }

    /**
     * The parameters for state width {@code t} (2..17), generated once and cached.
     *
     * @throws IllegalArgumentException for an unsupported width
     */
    public static PoseidonParameters forWidth(int t) {
        if (t < MIN_WIDTH || t > MAX_WIDTH) {
            throw new IllegalArgumentException("Poseidon width must be in [2, 17], got " + t);
        }
        return CACHE.computeIfAbsent(t, PoseidonParameters::generate);
    }

    /** State width t. */
    public int width() {
        return width;
    }

    /** Number of partial rounds R_P. */
    public int partialRounds() {
        return partialRounds;
    }

    /** Total rounds R_F + R_P. */
    public int rounds() {
        return FULL_ROUNDS + partialRounds;
    }

    /** True if round {@code r} applies the S-box to the whole state. */
    public boolean isFullRound(int r) {
        return r < FULL_ROUNDS / 2 || r >= FULL_ROUNDS / 2 + partialRounds;
    }

    /** Round constant added to lane {@code i} at the start of round {@code r}. */
    public Fr roundConstant(int r, int i) {
        return roundConstants[r * width + i];
    }

    /** MDS entry: lane {@code i} after the mix is {@code Σ_j mds(i, j) · lane j}. */
    public Fr mds(int i, int j) {
        return mds[i][j];
    }

    /** The traced linear layer, derived once from these parameters. */
    LinearTrace trace() {
        LinearTrace tr = trace;
        if (tr == null) {
            synchronized (this) {
                tr = trace;
                if (tr == null) {
                    tr = new LinearTrace(this);
                    trace = tr;
                }
            }
        }
        return tr;
    }

    private static PoseidonParameters generate(int t) {
        int rp = PARTIAL_ROUNDS[t - 2];
        Grain grain = new Grain(t, FULL_ROUNDS, rp);
        BigInteger p = Fr.MODULUS;
        Fr[] rc = new Fr[(FULL_ROUNDS + rp) * t];
        for (int k = 0; k < rc.length; k++) {
            BigInteger v = grain.nextInteger(FIELD_BITS);
            while (v.compareTo(p) >= 0) {
                v = grain.nextInteger(FIELD_BITS);
            }
            rc[k] = Fr.fromCanonical(v);
        }
        Fr[][] m = cauchyMds(grain, t);
        return new PoseidonParameters(t, rp, rc, m);
    }

    private static Fr[][] cauchyMds(Grain grain, int t) {
        while (true) {
            Fr[] xy = new Fr[2 * t];
            boolean distinct;
            do {
                for (int k = 0; k < xy.length; k++) {
                    xy[k] = Fr.of(grain.nextInteger(FIELD_BITS));
                }
                distinct = java.util.Arrays.stream(xy).distinct().count() == xy.length;
            } while (!distinct);
            Fr[][] m = new Fr[t][t];
            boolean ok = true;
            for (int i = 0; i < t && ok; i++) {
                for (int j = 0; j < t && ok; j++) {
                    Fr s = xy[i].add(xy[t + j]);
                    if (s.isZero()) {
                        ok = false;
                    } else {
                        m[i][j] = s.inverse();
                    }
                }
            }
            if (ok) {
                return m;
            }
        }
    }

    /** The self-shrinking Grain LFSR of the Poseidon reference, seeded with the parameters. */
    static final class Grain {
        private final boolean[] state = new boolean[80];
        private int head;

        Grain(int t, int rf, int rp) {
            int pos = 0;
            pos = put(1, 2, pos);          // field: prime
            pos = put(0, 4, pos);          // S-box: x^alpha
            pos = put(FIELD_BITS, 12, pos);
            pos = put(t, 12, pos);
            pos = put(rf, 10, pos);
            pos = put(rp, 10, pos);
            while (pos < 80) {
                state[pos++] = true;
            }
            for (int k = 0; k < 160; k++) {
                step();
            }
        }

        private int put(int value, int bits, int pos) {
            for (int k = bits - 1; k >= 0; k--) {
                state[pos++] = ((value >>> k) & 1) == 1;
            }
            return pos;
        }

        private boolean bit(int i) {
            return state[(head + i) % 80];
        }

        private boolean step() {
            boolean b = bit(62) ^ bit(51) ^ bit(38) ^ bit(23) ^ bit(13) ^ bit(0);
            state[head] = b;
            head = (head + 1) % 80;
            return b;
        }

        boolean nextBit() {
            while (true) {
                boolean first = step();
                boolean second = step();
                if (first) {
                    return second;
                }
            }
        }

        BigInteger nextInteger(int bits) {
            BigInteger v = BigInteger.ZERO;
            for (int k = 0; k < bits; k++) {
                v = v.shiftLeft(1);
                if (nextBit()) {
                    v = v.setBit(0);
                }
            }
            return v;
        }
    }
}
