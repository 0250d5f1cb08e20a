package io.zkpfl.trainer.training;

import io.zkpfl.protocol.model.Loss;
import io.zkpfl.trainer.data.LabelledImages;
import io.zkpfl.trainer.model.SpecNetwork;

/** Computes accuracy and mean loss of a network on a data set, in inference mode. */
public final class Evaluator {

    /** Probabilities are clamped to this before taking the logarithm. */
    public static final double MIN_PROBABILITY = 1e-7;
    private static final int BATCH = 1000;

    private Evaluator() {
    }

    /** Evaluates {@code net} on all of {@code data}. */
    public static Evaluation evaluate(SpecNetwork net, LabelledImages data) {
        TensorBatch.requireCompatible(net.spec(), data);
        boolean crossEntropy = net.spec().loss() == Loss.CROSS_ENTROPY;
        int outputs = net.spec().outputSize();
        long correct = 0;
        double lossSum = 0;
        for (int from = 0; from < data.count(); from += BATCH) {
            int to = Math.min(data.count(), from + BATCH);
            TensorBatch batch = TensorBatch.of(net.spec(), data, null, from, to);
            float[] out = net.output(batch.features(), batch.count());
            for (int k = 0; k < to - from; k++) {
                int label = batch.classes()[k];
                int best = 0;
                for (int o = 1; o < outputs; o++) {
                    if (out[k * outputs + o] > out[k * outputs + best]) {
                        best = o;
                    }
                }
                if (best == label) {
                    correct++;
                }
                if (crossEntropy) {
                    lossSum -= Math.log(Math.max(MIN_PROBABILITY, out[k * outputs + label]));
                } else {
                    double sq = 0;
                    for (int o = 0; o < outputs; o++) {
                        double diff = out[k * outputs + o] - (o == label ? 1 : 0);
                        sq += diff * diff;
                    }
                    lossSum += sq / outputs;
                }
            }
        }
        int n = data.count();
        return new Evaluation(n == 0 ? 0 : (double) correct / n, n == 0 ? 0 : lossSum / n, n);
    }
}
