package io.zkpfl.zk.kzg;

import io.zkpfl.zk.bn254.Fp;
import io.zkpfl.zk.bn254.Fp2;
import io.zkpfl.zk.bn254.Fr;
import io.zkpfl.zk.bn254.G1;
import io.zkpfl.zk.bn254.G2;
import java.math.BigInteger;

/**
 * The deterministic generator snarkjs derives points and keys from (ffjavascript's {@code ChaCha}):
 * the ChaCha20 block function (RFC 8439 quarter rounds, 10 double rounds) over the constants, a
 * 256-bit key given as eight 32-bit words, and a 128-bit block counter in words 12–15 starting at
 * 0; each block's 16 output words are handed out in order.
 *
 * <p>On top of it, the samplers of ffjavascript/wasmcurves that powers-of-tau verification depends
 * on: a field element is four {@link #nextU64()} (the first the least significant), masked to the
 * modulus' bit length and redrawn until below the modulus — and then taken as a <em>Montgomery
 * form</em>, i.e. its value is that integer times 2^−256; a point is an x drawn so, a
 * {@code nextBool} for the sign of y, redrawn until x³ + b is a square, y chosen with
 * "negative" (see {@link PtauCodec#isNegative}) equal to that bool, and on G2 multiplied by the
 * cofactor 2p − r.
 */
final class ChaChaRng {

    private static final int[] CONSTANTS = {0x61707865, 0x3320646E, 0x79622D32, 0x6B206574};
    private static final BigInteger P_INV_R = BigInteger.ONE.shiftLeft(256).modInverse(Fp.MODULUS);
    private static final BigInteger R_INV_R = BigInteger.ONE.shiftLeft(256).modInverse(Fr.MODULUS);
    private static final BigInteger G2_COFACTOR = Fp.MODULUS.shiftLeft(1).subtract(Fr.MODULUS);
    private static final Fp2 TWIST_B = new Fp2(Fp.of(3), Fp.ZERO).mul(new Fp2(Fp.of(9), Fp.ONE).inverse());
    private static final Fp G1_B = Fp.of(3);

    private final int[] state = new int[16];
    private final int[] block = new int[16];
    private int idx = 16;

    /** A generator keyed with eight 32-bit words. */
    ChaChaRng(int[] seed) {
        if (seed.length != 8) {
            throw new IllegalArgumentException("ChaCha seed is 8 words");
        }
        System.arraycopy(CONSTANTS, 0, state, 0, 4);
        System.arraycopy(seed, 0, state, 4, 8);
    }

    /** A generator keyed with the first 32 bytes of {@code hash}, read as big-endian words (snarkjs' hashToG2 and beacons). */
    static ChaChaRng fromHash(byte[] hash) {
        int[] seed = new int[8];
        for (int i = 0; i < 8; i++) {
            seed[i] = ((hash[4 * i] & 0xFF) << 24) | ((hash[4 * i + 1] & 0xFF) << 16) | ((hash[4 * i + 2] & 0xFF) << 8)
                    | (hash[4 * i + 3] & 0xFF);
        }
        return new ChaChaRng(seed);
    }

    int nextU32() {
        if (idx == 16) {
            refill();
        }
        return block[idx++];
    }

    /** Two words, the first the high half. */
    long nextU64() {
        long hi = Integer.toUnsignedLong(nextU32());
        long lo = Integer.toUnsignedLong(nextU32());
        return (hi << 32) | lo;
    }

    boolean nextBool() {
        return (nextU32() & 1) == 1;
    }

    /** ffjavascript's {@code F.fromRng} for a 254-bit modulus: the raw integer, below the modulus. */
    private BigInteger rawBelow(BigInteger modulus) {
        BigInteger mask = BigInteger.ONE.shiftLeft(modulus.bitLength()).subtract(BigInteger.ONE);
        while (true) {
            BigInteger v = BigInteger.ZERO;
            for (int i = 0; i < 4; i++) {
                v = v.add(new BigInteger(Long.toUnsignedString(nextU64())).shiftLeft(64 * i));
            }
            v = v.and(mask);
            if (v.compareTo(modulus) < 0) {
                return v;
            }
        }
    }

    /** An F_p element as ffjavascript draws it (the raw integer read as a Montgomery form). */
    Fp nextFp() {
        return Fp.of(rawBelow(Fp.MODULUS).multiply(P_INV_R));
    }

    /** An F_r element as ffjavascript draws it (read as a Montgomery form). */
    Fr nextFr() {
        return Fr.of(rawBelow(Fr.MODULUS).multiply(R_INV_R));
    }

    /** ffjavascript's {@code G2.fromRng}: a point of G2. */
    G2 nextG2() {
        while (true) {
            Fp2 x = new Fp2(nextFp(), nextFp());
            boolean greatest = nextBool();
            Fp2 y = x.square().mul(x).add(TWIST_B).sqrt();
            if (y == null) {
                continue;
            }
            if (PtauCodec.isNegative(y) != greatest) {
                y = y.neg();
            }
            return G2.fromAffine(x, y).mul(G2_COFACTOR);
        }
    }

    /** ffjavascript's {@code G1.fromRng} for BN254 (cofactor 1). */
    G1 nextG1() {
        while (true) {
            Fp x = nextFp();
            boolean greatest = nextBool();
            Fp y2 = x.square().mul(x).add(G1_B);
            Fp y = y2.pow(Fp.MODULUS.add(BigInteger.ONE).shiftRight(2));
            if (!y.square().equals(y2)) {
                continue;
            }
            if ((PtauCodec.sign(y) < 0) != greatest) {
                y = y.neg();
            }
            return G1.fromAffine(x, y);
        }
    }

    private void refill() {
        System.arraycopy(state, 0, block, 0, 16);
        for (int i = 0; i < 10; i++) {
            quarter(block, 0, 4, 8, 12);
            quarter(block, 1, 5, 9, 13);
            quarter(block, 2, 6, 10, 14);
            quarter(block, 3, 7, 11, 15);
            quarter(block, 0, 5, 10, 15);
            quarter(block, 1, 6, 11, 12);
            quarter(block, 2, 7, 8, 13);
            quarter(block, 3, 4, 9, 14);
        }
        for (int i = 0; i < 16; i++) {
            block[i] += state[i];
        }
        idx = 0;
        // 128-bit counter in words 12..15
        for (int w = 12; w < 16; w++) {
            state[w]++;
            if (state[w] != 0) {
                break;
            }
        }
    }

    private static void quarter(int[] s, int a, int b, int c, int d) {
        s[a] += s[b];
        s[d] = Integer.rotateLeft(s[d] ^ s[a], 16);
        s[c] += s[d];
        s[b] = Integer.rotateLeft(s[b] ^ s[c], 12);
        s[a] += s[b];
        s[d] = Integer.rotateLeft(s[d] ^ s[a], 8);
        s[c] += s[d];
        s[b] = Integer.rotateLeft(s[b] ^ s[c], 7);
    }
}
