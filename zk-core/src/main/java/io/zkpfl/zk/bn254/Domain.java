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
    private volatile long[][] limbTables;

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

    /**
     * The coefficients of (A·B − C)/Z for polynomials A, B, C of degree &lt; n given by their
     * evaluations on the domain ({@code a[i] = A(ω^i)}, …), computed on the coset g·H where Z does
     * not vanish: 3 inverse NTTs, 3 coset NTTs and one inverse coset NTT on packed limbs (no
     * per-element objects), with the 1/n and coset-power scalings folded into one pass each.
     * The result has n entries; its top one is zero exactly when A·B − C is divisible by Z.
     *
     * @throws IllegalArgumentException if an array's length is not n
     */
    public Fr[] quotientByVanishing(Fr[] a, Fr[] b, Fr[] c) {
        for (Fr[] x : new Fr[][] {a, b, c}) {
            if (x.length != n) {
                throw new IllegalArgumentException("array length " + x.length + " is not the domain size " + n);
            }
        }
        long[][] tables = limbTables();
        long[] tw = tables[0];
        long[] itw = tables[1];
        long[] toCoset = tables[2];
        long[] fromCoset = tables[3];
        long[][] abc = {toLimbs(a), toLimbs(b), toLimbs(c)};
        for (long[] x : abc) {
            transformLimbs(x, itw);
            scaleLimbs(x, toCoset);
            transformLimbs(x, tw);
        }
        long[] zInv = new long[4];
        FrLimbs.put(vanishingOnCoset().inverse(), zInv, 0);
        long[] la = abc[0];
        long[] lb = abc[1];
        long[] lc = abc[2];
        chunks(n).forEach(ch -> {
            for (int i = ch * chunk(n), end = Math.min(n, i + chunk(n)); i < end; i++) {
                int o = 4 * i;
                FrLimbs.mul(la, o, lb, o, la, o);
                FrLimbs.sub(la, o, lc, o, la, o);
                FrLimbs.mul(la, o, zInv, 0, la, o);
            }
        });
        transformLimbs(la, itw);
        scaleLimbs(la, fromCoset);
        Fr[] out = new Fr[n];
        for (int i = 0; i < n; i++) {
            out[i] = FrLimbs.get(la, 4 * i);
        }
        return out;
    }

    /** {twiddles, inverse twiddles, g^i/n, g^−i/n} as packed limbs, built on first use. */
    private long[][] limbTables() {
        long[][] t = limbTables;
        if (t == null) {
            Fr[] toCoset = new Fr[n];
            Fr[] fromCoset = new Fr[n];
            for (int i = 0; i < n; i++) {
                toCoset[i] = cosetPowers[i].mul(nInv);
                fromCoset[i] = invCosetPowers[i].mul(nInv);
            }
            t = new long[][] {toLimbs(twiddles), toLimbs(invTwiddles), toLimbs(toCoset), toLimbs(fromCoset)};
            limbTables = t;
        }
        return t;
    }

    private static long[] toLimbs(Fr[] xs) {
        long[] out = new long[4 * xs.length];
        for (int i = 0; i < xs.length; i++) {
            FrLimbs.put(xs[i], out, 4 * i);
        }
        return out;
    }

    private static final int CHUNKS = 64;

    private static int chunk(int count) {
        return Math.max(1, (count + CHUNKS - 1) / CHUNKS);
    }

    private static IntStream chunks(int count) {
        IntStream s = IntStream.range(0, (count + chunk(count) - 1) / chunk(count));
        return count >= PARALLEL_THRESHOLD ? s.parallel() : s;
    }

    private void scaleLimbs(long[] a, long[] factors) {
        chunks(n).forEach(ch -> {
            for (int i = ch * chunk(n), end = Math.min(n, i + chunk(n)); i < end; i++) {
                FrLimbs.mul(a, 4 * i, factors, 4 * i, a, 4 * i);
            }
        });
    }

    /** In-place radix-2 NTT on packed limbs (bit reversal, then Cooley–Tukey stages). */
    private void transformLimbs(long[] a, long[] tw) {
        for (int i = 1, j = 0; i < n; i++) {
            int bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1) {
                j ^= bit;
            }
            j ^= bit;
            if (i < j) {
                for (int l = 0; l < 4; l++) {
                    long t = a[4 * i + l];
                    a[4 * i + l] = a[4 * j + l];
                    a[4 * j + l] = t;
                }
            }
        }
        int half = n >>> 1;
        for (int len = 2; len <= n; len <<= 1) {
            final int h = len >>> 1;
            final int step = n / len;
            final int shift = Integer.numberOfTrailingZeros(h);
            chunks(half).forEach(ch -> {
                long[] v = new long[4];
                for (int k = ch * chunk(half), end = Math.min(half, k + chunk(half)); k < end; k++) {
                    int i0 = ((k >>> shift) << (shift + 1)) + (k & (h - 1));
                    int i1 = i0 + h;
                    FrLimbs.mul(a, 4 * i1, tw, 4 * ((k & (h - 1)) * step), v, 0);
                    FrLimbs.sub(a, 4 * i0, v, 0, a, 4 * i1);
                    FrLimbs.add(a, 4 * i0, v, 0, a, 4 * i0);
                }
            });
        }
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
