package io.zkpfl.trainer.federated;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FedAvgTest {

    @Test
    void weightsBySampleCount() {
        // (1·[0, 4] + 3·[4, 0]) / 4 = [3, 1]
        float[] avg = FedAvg.aggregate(List.of(
                new FedAvg.ClientUpdate(new float[] {0, 4}, 1),
                new FedAvg.ClientUpdate(new float[] {4, 0}, 3)));
        assertArrayEquals(new float[] {3, 1}, avg);
    }

    @Test
    void averagingCopiesOfOneModelGivesThatModel() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 200; i++) {
            float a = i == 0 ? 0f : i == 1 ? Float.MAX_VALUE / 4 : (float) random.nextDouble(-100, 100);
            float b = i == 0 ? -0f : i == 1 ? Float.MIN_VALUE : (float) random.nextDouble(-100, 100);
            int n1 = random.nextInt(1, 1001);
            int n2 = i == 2 ? Integer.MAX_VALUE : random.nextInt(1, 1001);
            float[] avg = FedAvg.aggregate(List.of(
                    new FedAvg.ClientUpdate(new float[] {a, b}, n1), new FedAvg.ClientUpdate(new float[] {a, b}, n2)));
            assertEquals(a, avg[0], Math.ulp(a) * 2, "a=" + a + " n1=" + n1 + " n2=" + n2);
            assertEquals(b, avg[1], Math.ulp(b) * 2, "b=" + b + " n1=" + n1 + " n2=" + n2);
        }
    }

    @Test
    void trainersWithoutSamplesDoNotCount() {
        float[] avg = FedAvg.aggregate(List.of(
                new FedAvg.ClientUpdate(new float[] {1000}, 0), new FedAvg.ClientUpdate(new float[] {2}, 5)));
        assertArrayEquals(new float[] {2}, avg);
    }

    @Test
    void rejectsInconsistentUpdates() {
        assertThrows(IllegalArgumentException.class, () -> FedAvg.aggregate(List.of()));
        assertThrows(IllegalArgumentException.class, () -> FedAvg.aggregate(List.of(
                new FedAvg.ClientUpdate(new float[] {1}, 1), new FedAvg.ClientUpdate(new float[] {1, 2}, 1))));
        assertThrows(IllegalArgumentException.class, () -> FedAvg.aggregate(List.of(new FedAvg.ClientUpdate(new float[] {1}, 0))));
        assertThrows(IllegalArgumentException.class, () -> new FedAvg.ClientUpdate(new float[] {1}, -1));
    }
}
