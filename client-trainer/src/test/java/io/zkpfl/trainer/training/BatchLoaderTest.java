package io.zkpfl.trainer.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.zkpfl.protocol.model.ModelSpec;
import io.zkpfl.protocol.model.Optimiser;
import io.zkpfl.protocol.model.TrainingPlan;
import io.zkpfl.trainer.data.LabelledImages;
import io.zkpfl.trainer.model.BuiltInModel;
import io.zkpfl.trainer.model.SpecNetwork;
import io.zkpfl.trainer.testing.FashionMnist;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;

class BatchLoaderTest {

    @ParameterizedTest
    @ValueSource(strings = {"mlp", "cnn"})
    void everyBatchHoldsTheScaledPixelsAndOneHotLabelsOfItsSamples(String model) {
        ModelSpec spec = BuiltInModel.byName(model).spec();
        LabelledImages data = FashionMnist.train(100);
        int[] order = permutation(100, 3);
        BatchLoader loader = new BatchLoader(spec, data, 16);
        INDArray firstFeatures = null;
        for (int from = 0; from < 100; from += 16) {
            int to = Math.min(100, from + 16);
            TensorBatch batch = loader.load(order, from, to);
            int n = to - from;
            assertEquals(n, batch.features().size(0));
            float[] x = batch.features().dup('c').data().asFloat();
            float[] y = batch.labels().dup('c').data().asFloat();
            for (int k = 0; k < n; k++) {
                int sample = order[from + k];
                for (int p = 0; p < 784; p++) {
                    double expected = (data.pixels()[sample * 784 + p] & 0xff) / 255.0;
                    assertEquals(expected, x[k * 784 + p], 1e-7, "sample " + sample + " pixel " + p);
                }
                for (int c = 0; c < 10; c++) {
                    assertEquals(c == data.label(sample) ? 1f : 0f, y[k * 10 + c], "sample " + sample + " class " + c);
                }
                assertEquals(data.label(sample), batch.classes()[k]);
            }
            if (from == 0) {
                firstFeatures = batch.features();
            } else if (n == 16) {
                assertSame(firstFeatures, batch.features(), "full batches reuse one array");
            } else {
                assertNotSame(firstFeatures, batch.features(), "the short last batch has its own");
            }
        }
    }

    @Test
    void trainingWithReusedArraysEqualsTrainingWithFreshArraysPerBatch() {
        ModelSpec spec = BuiltInModel.CNN.spec();
        TrainingPlan plan = new TrainingPlan(1, 32, 0.05, Optimiser.MOMENTUM);
        LabelledImages data = FashionMnist.train(200);

        SpecNetwork viaTrainer = SpecNetwork.build(spec, plan, 4);
        LocalTrainer.train(viaTrainer, data, plan, 9, new TrainingProgress.Silent());

        // The same epoch by hand: LocalTrainer's documented order (a Fisher-Yates shuffle from
        // new Random(seed)), a freshly allocated batch for every step.
        SpecNetwork byHand = SpecNetwork.build(spec, plan, 4);
        int[] order = permutation(200, 9);
        for (int from = 0; from < 200; from += 32) {
            TensorBatch batch = TensorBatch.of(spec, data, order, from, Math.min(200, from + 32));
            byHand.network().fit(batch.features(), batch.labels());
        }
        assertArrayEquals(byHand.parameters(), viaTrainer.parameters());
    }

    private static int[] permutation(int n, long seed) {
        Random random = new Random(seed);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
        return order;
    }
}
