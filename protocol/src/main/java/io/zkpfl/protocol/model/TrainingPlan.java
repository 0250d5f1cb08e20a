package io.zkpfl.protocol.model;

/**
 * How a trainer runs its local epochs in each round.
 *
 * @param localEpochs  epochs over the trainer's data per round, 1..1000
 * @param batchSize    mini-batch size, 1..65536
 * @param learningRate step size, in (0, 10]
 * @param optimiser    local optimiser
 */
public record TrainingPlan(int localEpochs, int batchSize, double learningRate, Optimiser optimiser) {

    public TrainingPlan {
        if (localEpochs < 1 || localEpochs > 1000) {
            throw new ModelSpecException("localEpochs", "must be in [1, 1000], got " + localEpochs);
        }
        if (batchSize < 1 || batchSize > 65536) {
            throw new ModelSpecException("batchSize", "must be in [1, 65536], got " + batchSize);
        }
        if (!(learningRate > 0 && learningRate <= 10)) {
            throw new ModelSpecException("learningRate", "must be in (0, 10], got " + learningRate);
        }
        if (optimiser == null) {
            throw new ModelSpecException("optimiser", "required");
        }
    }
}
