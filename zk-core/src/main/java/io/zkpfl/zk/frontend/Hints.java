package io.zkpfl.zk.frontend;

import io.zkpfl.zk.bn254.Fr;

import java.math.BigInteger;

/** The hints behind the built-in operations. */
enum Hints implements Hint {
    /** {@code 1/x}, or 0 for 0 (the constraint then fails). */
    INVERSE {
        @Override
        public Fr[] compute(Fr[] in, int n) {
            return new Fr[] {in[0].isZero() ? Fr.ZERO : in[0].inverse()};
        }
    },
    /** {@code a/b}, or 0 for {@code b = 0} (the constraint then fails unless a = 0). */
    DIVIDE {
        @Override
        public Fr[] compute(Fr[] in, int n) {
            return new Fr[] {in[1].isZero() ? Fr.ZERO : in[0].mul(in[1].inverse())};
        }
    },
    /** The low {@code n} bits of the canonical value (the recomposition fails if it is larger). */
    BITS {
        @Override
        public Fr[] compute(Fr[] in, int n) {
            BigInteger x = in[0].toBigInteger();
            Fr[] out = new Fr[n];
            for (int i = 0; i < n; i++) {
                out[i] = x.testBit(i) ? Fr.ONE : Fr.ZERO;
            }
            return out;
        }
    }
}
