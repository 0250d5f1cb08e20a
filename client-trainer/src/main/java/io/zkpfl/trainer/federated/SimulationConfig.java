package io.zkpfl.trainer.federated;

import io.zkpfl.protocol.model.ModelSpec;
import io.zkpfl.protocol.model.TrainingPlan;
import io.zkpfl.trainer.data.PartitionScheme;

/**
 * Parameters of a plaintext FedAvg simulation.
 *
 * @param spec     the job's model
 * @param plan     every trainer's local training per round
 * @param trainers number of trainers, at least 1
 * @param rounds   number of rounds, at least 1
 * @param scheme   how the training data is split among trainers
 * @param seed     seeds the split, the initial model and each trainer's batch order
 */
public record SimulationConfig(ModelSpec spec, TrainingPlan plan, int trainers, int rounds, PartitionScheme scheme, long seed) {
    public SimulationConfig {
        if (trainers < 1 || trainers > 10_000) {
            throw new IllegalArgumentException("trainers must be in [1, 10000], got " + trainers);
        }
        if (rounds < 1 || rounds > 100_000) {
            throw new IllegalArgumentException("rounds must be in [1, 100000], got " + rounds);
        }
    }
}
