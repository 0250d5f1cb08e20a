package io.zkpfl.zk.bn254;

import java.math.BigInteger;
import java.util.stream.IntStream;

/**
 * A radix-2 evaluation domain {1, ω, …, ω^(n−1)} of F_r for n = 2^k ≤ 2^28, with in-place iterative
 * NTTs (bit reversal, then Cooley–Tukey butterflies over precomputed twiddles; stages run in
 * parallel for large n) and their coset variants over g·H with g = 5.
 */
public final class Domain {

    /** The multiplicative generator of F_r* used for roots of unity and for cosets. */
    public static final Fr GENERATOR = Fr.of(5);
    /** log2 of the largest power-of-two subgroup of F_r*. */
    public static final int TWO_ADICITY = 28;
    private static final int PARALLEL_THRESHOLD = 1 << 12;

    private final int n;
    private final int logN;
    private final Fr omega;
    private final Fr[] twiddles;
    private final Fr[] invTwiddles;
    private final Fr nInv;
    private final Fr[] cosetPowers;
    private final Fr[] invCosetPowers;

    private Domain(int logN) {
        this.logN = logN;
        this.n = 1 << logN;
        BigInteger exp = Fr.MODULUS.subtract(BigInteger.ONE).shiftRight(logN);
        this.omega = GENERATOR.pow(exp);
        this.twiddles = powers(omega, Math.max(1, n / 2));
        this.invTwiddles = powers(n == 1 ? Fr.ONE : omega.inverse(), Math.max(1, n / 2));
        this.nInv = Fr.of(n).inverse();
        this.cosetPowers = powers(GENERATOR, n);
        this.invCosetPowers = powers(GENERATOR.inverse(), n);
    }

    /**
     * The smallest domain with at least {@code size} points.
     *
     * @throws IllegalArgumentException if more than 2^28 points are needed
     */
    public static Domain atLeast(int size) {
        int log = 0;
        while ((1 << log) < size) {
            log++;
        }
        if (log > TWO_ADICITY) {
            throw new IllegalArgumentException("domain of " + size + " points exceeds 2^28");
        }
        return new Domain(log);
    }

    /** Number of points n. */
    public int size() {
        return n;
    }

    /** log2(n). */
    public int logSize() {
        return logN;
    }

    /** The primitive n-th root of unity ω. */
    public Fr omega() {
        return omega;
    }

    /** ω^i. */
    public Fr element(int i) {
        return omega.pow(i);
    }

    /** Z(x) = x^n − 1, the vanishing polynomial of the domain, evaluated at {@code x}. */
    public Fr vanishing(Fr x) {
        return x.pow(n).sub(Fr.ONE);
    }

    /** The Lagrange basis L_0(τ) … L_{n−1}(τ) of the domain evaluated at a point τ outside it. */
    public Fr[] lagrangeAt(Fr tau) {
        Fr z = vanishing(tau);
        if (z.isZero()) {
            throw new IllegalArgumentException("evaluation point lies in the domain");
        }
        Fr[] denom = new Fr[n];
        Fr w = Fr.ONE;
        for (int j = 0; j < n; j++) {
            denom[j] = tau.sub(w);
            w = w.mul(omega);
        }
        Fr.batchInverse(denom, denom);
        Fr zn = z.mul(nInv);
        Fr[] out = new Fr[n];
        w = Fr.ONE;
        for (int j = 0; j < n; j++) {
            out[j] = zn.mul(w).mul(denom[j]);
            w = w.mul(omega);
        }
        return out;
    }

    /** Coefficients → evaluations on the domain, in place ({@code a.length == n}). */
    public void fft(Fr[] a) {
        transform(a, twiddles);
    }

    /** Evaluations on the domain → coefficients, in place. */
    public void ifft(Fr[] a) {
        transform(a, invTwiddles);
        scale(a, null, nInv);
    }

    /** Coefficients → evaluations on the coset g·H, in place. */
    public void cosetFft(Fr[] a) {
        scale(a, cosetPowers, null);
        transform(a, twiddles);
    }

    /** Evaluations on the coset g·H → coefficients, in place. */
    public void cosetIfft(Fr[] a) {
        transform(a, invTwiddles);
        scale(a, invCosetPowers, nInv);
    }

    /** Z(g·ω^i) = g^n − 1, the same at every point of the coset. */
    public Fr vanishingOnCoset() {
        return GENERATOR.pow(n).sub(Fr.ONE);
    }

    private void scale(Fr[] a, Fr[] powers, Fr factor) {
        IntStream range = IntStream.range(0, n);
        if (n >= PARALLEL_THRESHOLD) {
            range = range.parallel();
        }
        range.forEach(i -> {
            Fr v = a[i];
            if (powers != null) {
                v = v.mul(powers[i]);
            }
            if (factor != null) {
                v = v.mul(factor);
            }
            a[i] = v;
        });
    }

    private void transform(Fr[] a, Fr[] tw) {
        if (a.length != n) {
            throw new IllegalArgumentException("array length " + a.length + " is not the domain size " + n);
        }
        for (int i = 1, j = 0; i < n; i++) {
            int bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1) {
                j ^= bit;
            }
            j ^= bit;
            if (i < j) {
                Fr t = a[i];
                a[i] = a[j];
                a[j] = t;
            }
        }
        for (int len = 2; len <= n; len <<= 1) {
            final int half = len >>> 1;
            final int step = n / len;
            final int shift = Integer.numberOfTrailingZeros(half);
            if (n >= PARALLEL_THRESHOLD) {
                IntStream.range(0, n >>> 1).parallel().forEach(k -> butterfly(a, tw, k, half, shift, step));
            } else {
                for (int k = 0; k < (n >>> 1); k++) {
                    butterfly(a, tw, k, half, shift, step);
                }
            }
        }
    }

    private static void butterfly(Fr[] a, Fr[] tw, int k, int half, int shift, int step) {
        int block = k >>> shift;
        int j = k & (half - 1);
        int i0 = (block << (shift + 1)) + j;
        int i1 = i0 + half;
        Fr u = a[i0];
        Fr v = a[i1].mul(tw[j * step]);
        a[i0] = u.add(v);
        a[i1] = u.sub(v);
    }

    private static Fr[] powers(Fr base, int count) {
        Fr[] out = new Fr[count];
        Fr acc = Fr.ONE;
        for (int i = 0; i < count; i++) {
            out[i] = acc;
            acc = acc.mul(base);
        }
        return out;
    }
}
