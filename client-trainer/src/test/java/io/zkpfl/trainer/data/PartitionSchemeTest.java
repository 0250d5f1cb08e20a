package io.zkpfl.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PartitionSchemeTest {

    /** 6,000 labels, 600 of each of 10 classes, in a scrambled order; 1x1 "images". */
    static LabelledImages balanced(int perClass) {
        int n = perClass * 10;
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) ((i * 7) % 10);
        }
        byte[] pixels = new byte[n];
        for (int i = 0; i < n; i++) {
            pixels[i] = (byte) i;
        }
        return new LabelledImages(1, 1, pixels, labels);
    }

    @Test
    void everySampleGoesToExactlyOneTrainer() {
        SplittableRandom random = new SplittableRandom(20261122);
        LabelledImages data = balanced(50);
        int[] edgeTrainers = {1, 2, 20, 500};
        for (int attempt = 0; attempt < 40; attempt++) {
            int trainers = attempt < edgeTrainers.length ? edgeTrainers[attempt] : random.nextInt(1, 21);
            long seed = random.nextLong();
            PartitionScheme s = switch (attempt % 3) {
                case 0 -> new PartitionScheme.Iid();
                case 1 -> new PartitionScheme.Dirichlet(0.5);
                default -> new PartitionScheme.Dirichlet(100);
            };
            String context = s.describe() + ", " + trainers + " trainers, seed " + seed;
            int[][] split = s.split(data, trainers, seed);
            assertEquals(trainers, split.length, context);
            int[] seen = new int[data.count()];
            for (int[] share : split) {
                assertTrue(share.length >= 1, "every trainer gets data: " + context);
                for (int i : share) {
                    seen[i]++;
                }
            }
            for (int c : seen) {
                assertEquals(1, c, context);
            }
        }
    }

    @Test
    void sameSeedSameSplitOtherSeedOtherSplit() {
        LabelledImages data = balanced(100);
        PartitionScheme s = new PartitionScheme.Dirichlet(0.5);
        assertArrayEquals(s.split(data, 8, 1), s.split(data, 8, 1));
        assertTrue(!java.util.Arrays.deepEquals(s.split(data, 8, 1), s.split(data, 8, 2)));
    }

    @Test
    void iidSharesAreEqualAndNearTheGlobalLabelMix() {
        LabelledImages data = balanced(600);
        int[][] split = new PartitionScheme.Iid().split(data, 8, 3);
        for (int[] share : split) {
            assertEquals(750, share.length);
        }
        assertTrue(meanTotalVariation(data, split) < 0.06, "IID: " + meanTotalVariation(data, split));
    }

    @Test
    void smallAlphaSkewsLabelsAndLargeAlphaApproachesIid() {
        LabelledImages data = balanced(600);
        double skewed = meanTotalVariation(data, new PartitionScheme.Dirichlet(0.1).split(data, 8, 3));
        double half = meanTotalVariation(data, new PartitionScheme.Dirichlet(0.5).split(data, 8, 3));
        double flat = meanTotalVariation(data, new PartitionScheme.Dirichlet(1000).split(data, 8, 3));
        assertTrue(skewed > 0.5, "alpha 0.1: " + skewed);
        assertTrue(half > 0.25 && half < skewed, "alpha 0.5: " + half);
        assertTrue(flat < 0.06, "alpha 1000: " + flat);
    }

    @Test
    void gammaDrawsHaveTheirTheoreticalMeanAndVariance() {
        // Gamma(k, 1): mean k, variance k.
        for (double k : new double[] {0.3, 1.0, 4.5}) {
            Random r = new Random(9);
            int n = 200_000;
            double sum = 0;
            double sq = 0;
            for (int i = 0; i < n; i++) {
                double g = DirichletSampler.gamma(k, r);
                assertTrue(g >= 0);
                sum += g;
                sq += g * g;
            }
            double mean = sum / n;
            double var = sq / n - mean * mean;
            assertEquals(k, mean, 0.02 * k + 0.005, "mean of Gamma(" + k + ")");
            assertEquals(k, var, 0.05 * k + 0.01, "variance of Gamma(" + k + ")");
        }
    }

    @Test
    void rejectsImpossibleSplits() {
        assertThrows(DatasetException.class, () -> new PartitionScheme.Iid().split(balanced(1), 11, 1));
        assertThrows(DatasetException.class, () -> new PartitionScheme.Iid().split(balanced(1), 0, 1));
        assertThrows(DatasetException.class, () -> new PartitionScheme.Dirichlet(0));
        assertThrows(DatasetException.class, () -> new PartitionScheme.Dirichlet(Double.NaN));
    }

    /** Mean over trainers of the total-variation distance between its label mix and the global one. */
    static double meanTotalVariation(LabelledImages data, int[][] split) {
        int[] global = data.histogram(10);
        double total = 0;
        for (int[] share : split) {
            int[] h = data.select(share).histogram(10);
            double tv = 0;
            for (int c = 0; c < 10; c++) {
                tv += Math.abs((double) h[c] / share.length - (double) global[c] / data.count());
            }
            total += tv / 2;
        }
        return total / split.length;
    }
}
