package io.zkpfl.trainer.federated;

import io.zkpfl.protocol.model.WeightInitializer;
import io.zkpfl.trainer.data.LabelledImages;
import io.zkpfl.trainer.model.SpecNetwork;
import io.zkpfl.trainer.training.Evaluation;
import io.zkpfl.trainer.training.Evaluator;
import io.zkpfl.trainer.training.LocalTrainer;
import io.zkpfl.trainer.training.TensorBatch;
import io.zkpfl.trainer.training.TrainingProgress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Plaintext FedAvg with all trainers in one process. Each round every trainer starts from the global
 * model with a fresh optimiser state, runs the plan's local epochs on its share, and the server
 * replaces the global model with the sample-weighted average. Trainers run one after another on a
 * single libtorch network, so memory does not grow with the number of trainers. Deterministic in the seed.
 */
public final class FederatedSimulation {

    private final SimulationConfig config;

    public FederatedSimulation(SimulationConfig config) {
        this.config = config;
    }

    /** Splits {@code train}, runs all rounds and evaluates the global model on {@code test} after each. */
    public SimulationResult run(LabelledImages train, LabelledImages test, Consumer<RoundMetrics> onRound) {
        return simulate(config, train, test, onRound, shares -> new Aggregation() {
            private final List<FedAvg.ClientUpdate> updates = new ArrayList<>();

            @Override
            public void add(int trainer, float[] global, float[] trained) {
                updates.add(new FedAvg.ClientUpdate(trained, shares.get(trainer).count()));
            }

            @Override
            public float[] next(float[] global) {
                return FedAvg.aggregate(updates);
            }
        });
    }

    /** How one round's locally trained models become the next global model; a fresh one each round. */
    interface Aggregation {
        /** Trainer {@code trainer} trained {@code global} into {@code trained} (a copy it may keep). */
        void add(int trainer, float[] global, float[] trained);

        float[] next(float[] global);
    }

    /**
     * The round loop both simulations share: split, initial model, each trainer trained in turn from the global model
     * with a fresh optimiser and the seed {@code seed·1000003 + r·10007 + t}, then {@code aggregation}, evaluation and
     * the round's metrics.
     */
    static SimulationResult simulate(SimulationConfig config, LabelledImages train, LabelledImages test,
                                     Consumer<RoundMetrics> onRound,
                                     java.util.function.Function<List<LabelledImages>, Aggregation> aggregation) {
        TensorBatch.requireCompatible(config.spec(), train);
        TensorBatch.requireCompatible(config.spec(), test);
        int[][] split = config.scheme().split(train, config.trainers(), config.seed());
        List<LabelledImages> shares = new ArrayList<>();
        for (int[] indices : split) {
            shares.add(train.select(indices));
        }
        SpecNetwork net = SpecNetwork.build(config.spec(), config.plan(), config.seed());
        float[] global = WeightInitializer.initialise(config.spec(), config.seed());
        List<RoundMetrics> rounds = new ArrayList<>();
        for (int r = 1; r <= config.rounds(); r++) {
            long start = System.nanoTime();
            Aggregation round = aggregation.apply(shares);
            long samples = 0;
            double trainSeconds = 0;
            for (int t = 0; t < shares.size(); t++) {
                net.setParameters(global);
                net.resetOptimiser();
                long trainerSeed = config.seed() * 1_000_003L + (long) r * 10_007L + t;
                LocalTrainer.TrainingRun run = LocalTrainer.train(net, shares.get(t), config.plan(), trainerSeed, new TrainingProgress.Silent());
                samples += run.samplesSeen();
                trainSeconds += run.seconds();
                round.add(t, global, net.parameters());
            }
            global = round.next(global);
            double seconds = (System.nanoTime() - start) / 1e9;
            net.setParameters(global);
            Evaluation eval = Evaluator.evaluate(net, test);
            RoundMetrics m = new RoundMetrics(r, eval.accuracy(), eval.loss(), seconds, trainSeconds > 0 ? samples / trainSeconds : 0);
            rounds.add(m);
            onRound.accept(m);
        }
        int[] sizes = new int[shares.size()];
        for (int t = 0; t < sizes.length; t++) {
            sizes[t] = shares.get(t).count();
        }
        return new SimulationResult(config, List.copyOf(rounds), global, sizes);
    }

    /**
     * Outcome of a simulation.
     *
     * @param config       what was run
     * @param rounds       metrics after each round
     * @param finalModel   the global parameters after the last round, canonical order
     * @param trainerSizes samples held by each trainer
     */
    public record SimulationResult(SimulationConfig config, List<RoundMetrics> rounds, float[] finalModel, int[] trainerSizes) {
    }
}
