package io.zkpfl.zk.bn254;

/**
 * F_p² arithmetic on raw Montgomery limbs in {@code long[]} arrays (8 limbs per element: c0 then
 * c1), for allocation-free inner loops such as G2 MSM buckets. Outputs may alias inputs;
 * {@code t} is caller-provided scratch of at least 20 longs.
 */
final class Fp2Limbs {

    private Fp2Limbs() {
    }

    static void mul(long[] a, int ao, long[] b, int bo, long[] r, int ro, long[] t) {
        FpLimbs.mul(a, ao, b, bo, t, 0);
        FpLimbs.mul(a, ao + 4, b, bo + 4, t, 4);
        FpLimbs.add(a, ao, a, ao + 4, t, 8);
        FpLimbs.add(b, bo, b, bo + 4, t, 12);
        FpLimbs.mul(t, 8, t, 12, t, 16);
        FpLimbs.sub(t, 0, t, 4, r, ro);
        FpLimbs.sub(t, 16, t, 0, t, 16);
        FpLimbs.sub(t, 16, t, 4, r, ro + 4);
    }

    static void sqr(long[] a, int ao, long[] r, int ro, long[] t) {
        FpLimbs.add(a, ao, a, ao + 4, t, 0);
        FpLimbs.sub(a, ao, a, ao + 4, t, 4);
        FpLimbs.mul(a, ao, a, ao + 4, t, 8);
        FpLimbs.mul(t, 0, t, 4, r, ro);
        FpLimbs.dbl(t, 8, r, ro + 4);
    }

    static void add(long[] a, int ao, long[] b, int bo, long[] r, int ro) {
        FpLimbs.add(a, ao, b, bo, r, ro);
        FpLimbs.add(a, ao + 4, b, bo + 4, r, ro + 4);
    }

    static void sub(long[] a, int ao, long[] b, int bo, long[] r, int ro) {
        FpLimbs.sub(a, ao, b, bo, r, ro);
        FpLimbs.sub(a, ao + 4, b, bo + 4, r, ro + 4);
    }

    static void dbl(long[] a, int ao, long[] r, int ro) {
        add(a, ao, a, ao, r, ro);
    }

    static boolean isZero(long[] a, int ao) {
        return FpLimbs.isZero(a, ao) && FpLimbs.isZero(a, ao + 4);
    }

    static void copy(long[] a, int ao, long[] r, int ro) {
        System.arraycopy(a, ao, r, ro, 8);
    }

    static void put(Fp2 x, long[] r, int ro) {
        FpLimbs.put(x.c0(), r, ro);
        FpLimbs.put(x.c1(), r, ro + 4);
    }

    static Fp2 get(long[] a, int ao) {
        return new Fp2(FpLimbs.get(a, ao), FpLimbs.get(a, ao + 4));
    }
}
