package io.zkpfl.trainer.training;

import io.zkpfl.protocol.model.TrainingPlan;
import io.zkpfl.trainer.data.LabelledImages;
import io.zkpfl.trainer.model.SpecNetwork;
import io.zkpfl.trainer.model.TorchRuntime;
import java.util.Random;

/**
 * Runs a trainer's local epochs: each epoch visits every sample once in a seeded random order, in
 * mini-batches of the plan's size, updating with the plan's optimiser. The same network, data, plan
 * and seed give the same parameters at a fixed thread count (dropout masks come from libtorch's
 * generator, seeded here).
 */
public final class LocalTrainer {

    private LocalTrainer() {
    }

    /**
     * Trains {@code net} in place.
     *
     * @return throughput and mean loss of the run
     */
    public static TrainingRun train(SpecNetwork net, LabelledImages data, TrainingPlan plan, long seed, TrainingProgress progress) {
        TensorBatch.requireCompatible(net.spec(), data);
        Random random = new Random(seed);
        TorchRuntime.seed(seed);
        int n = data.count();
        long start = System.nanoTime();
        double lastLoss = Double.NaN;
        for (int epoch = 1; epoch <= plan.localEpochs(); epoch++) {
            long epochStart = System.nanoTime();
            progress.epochStarted(epoch, plan.localEpochs(), n);
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
            net.takeLossSum();
            for (int from = 0; from < n; from += plan.batchSize()) {
                int to = Math.min(n, from + plan.batchSize());
                TensorBatch batch = TensorBatch.of(net.spec(), data, order, from, to);
                net.step(batch.features(), batch.classes());
                progress.advanced(to);
            }
            lastLoss = n == 0 ? Double.NaN : net.takeLossSum() / n;
            progress.epochFinished(epoch, plan.localEpochs(), n, lastLoss, (System.nanoTime() - epochStart) / 1e9);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new TrainingRun((long) n * plan.localEpochs(), seconds, lastLoss);
    }

    /**
     * Summary of one call to {@link #train}.
     *
     * @param samplesSeen sample visits over all epochs
     * @param seconds     wall time
     * @param lastEpochLoss mean training loss over the last epoch (as reported by the optimiser, before each update)
     */
    public record TrainingRun(long samplesSeen, double seconds, double lastEpochLoss) {
        /** Training throughput in samples per second. */
        public double samplesPerSecond() {
            return seconds > 0 ? samplesSeen / seconds : 0;
        }
    }
}
