package io.zkpfl.marketplace.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class JobManifestTest {

    /** The bucket against its definition, checked by BigInteger: D = 2^k ≥ d + 2 and 2^(k-1) < d + 2 (D ≥ 4). */
    @Test
    void bucketIsTheSmallestPowerOfTwoAtLeastDPlusTwo() {
        SplittableRandom random = new SplittableRandom(20261122);
        for (int i = 0; i < 10_000; i++) {
            long d = i < 100 ? i + 1 : random.nextLong(1, (1L << 31) - 2);
            long bucket = JobManifest.bucket(d);
            BigInteger b = BigInteger.valueOf(bucket);
            BigInteger needed = BigInteger.valueOf(d + 2);
            assertEquals(1, b.bitCount(), "a power of two for d = " + d);
            assertEquals(true, b.compareTo(needed) >= 0 && b.compareTo(BigInteger.valueOf(4)) >= 0, "large enough for d = " + d);
            assertEquals(true, bucket == 4 || b.shiftRight(1).compareTo(needed) < 0, "smallest for d = " + d);
        }
        assertEquals(4, JobManifest.bucket(1));
        assertEquals(32, JobManifest.bucket(15));
        assertEquals(32768, JobManifest.bucket(25_450));
        assertThrows(IllegalArgumentException.class, () -> JobManifest.bucket((1L << 31) - 1));
    }
}
