package io.zkpfl.engine.round;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AccuracySharesTest {

    private static List<BigInteger> ppm(long... v) {
        return java.util.Arrays.stream(v).mapToObj(BigInteger::valueOf).toList();
    }

    @Test
    void sharesFollowDeclaredSamplesAndTheLeftoverGoesToTheEarliestOfEqualRemainders() {
        // 10^6 · 100/750 = 133333.3…, 250/750 → 333333.3…, 400/750 → 533333.3…: one ppm left, all remainders equal
        assertEquals(ppm(133_334, 333_333, 533_333), RoundLoop.shares(List.of(100L, 250L, 400L)));
        // 1/3, 1/3, 1/3 of 10^6
        assertEquals(ppm(333_334, 333_333, 333_333), RoundLoop.shares(List.of(7L, 7L, 7L)));
        // exact split, nothing left over
        assertEquals(ppm(250_000, 750_000), RoundLoop.shares(List.of(1L, 3L)));
        // the larger remainder wins: 10^6·2/7 = 285714.28…, 10^6·5/7 = 714285.71…
        assertEquals(ppm(285_714, 714_286), RoundLoop.shares(List.of(2L, 5L)));
    }

    @Test
    void sharesAlwaysSumToOneMillionAndNeverGoNegative() {
        SplittableRandom rng = new SplittableRandom(13);
        for (int trial = 0; trial < 500; trial++) {
            int n = 1 + rng.nextInt(64);
            List<Long> w = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                w.add((long) rng.nextInt(60_001));
            }
            List<BigInteger> s = RoundLoop.shares(w);
            assertEquals(n, s.size());
            assertEquals(BigInteger.valueOf(1_000_000), s.stream().reduce(BigInteger.ZERO, BigInteger::add), w.toString());
            s.forEach(x -> org.junit.jupiter.api.Assertions.assertTrue(x.signum() >= 0, s.toString()));
        }
    }
}
