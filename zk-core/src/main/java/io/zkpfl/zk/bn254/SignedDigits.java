package io.zkpfl.zk.bn254;

/** Signed base-2^c recoding of F_r scalars for bucket MSMs: digits in [−2^(c−1), 2^(c−1)]. */
final class SignedDigits {

    private SignedDigits() {
    }

    /** digits[w][i] is the w-th signed digit of scalars[i]; Σ_w digits[w][i]·2^(c·w) = scalars[i]. */
    static short[][] recode(Fr[] scalars, int c) {
        if (c < 1 || c > 15) {
            throw new IllegalArgumentException("window must be 1..15 bits");
        }
        int windows = (256 + c - 1) / c + 1;
        int n = scalars.length;
        short[][] digits = new short[windows][n];
        long mask = (1L << c) - 1;
        long half = 1L << (c - 1);
        for (int i = 0; i < n; i++) {
            long[] l = scalars[i].canonicalLimbs();
            long carry = 0;
            for (int w = 0; w < windows; w++) {
                int bit = w * c;
                long chunk = 0;
                if (bit < 256) {
                    int limb = bit >>> 6;
                    int off = bit & 63;
                    chunk = l[limb] >>> off;
                    if (off + c > 64 && limb < 3) {
                        chunk |= l[limb + 1] << (64 - off);
                    }
                    chunk &= mask;
                }
                long d = chunk + carry;
                if (d > half) {
                    d -= 1L << c;
                    carry = 1;
                } else {
                    carry = 0;
                }
                digits[w][i] = (short) d;
            }
        }
        return digits;
    }
}
