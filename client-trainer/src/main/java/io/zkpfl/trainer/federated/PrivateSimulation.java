package io.zkpfl.trainer.federated;

import io.zkpfl.protocol.dp.JobPrivacy;
import io.zkpfl.protocol.fixedpoint.ClipPolicy;
import io.zkpfl.protocol.fixedpoint.UpdateEncoder;
import io.zkpfl.protocol.model.WeightInitializer;
import io.zkpfl.protocol.round.ModelStep;
import io.zkpfl.trainer.data.LabelledImages;
import io.zkpfl.trainer.model.SpecNetwork;
import io.zkpfl.trainer.round.UpdateNoise;
import io.zkpfl.trainer.training.Evaluation;
import io.zkpfl.trainer.training.Evaluator;
import io.zkpfl.trainer.training.LocalTrainer;
import io.zkpfl.trainer.training.TensorBatch;
import io.zkpfl.trainer.training.TrainingProgress;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * FedAvg as the protocol computes it, in one process: every round each trainer trains from the global model, clips
 * {@code Δ_i} to L2 norm {@code C}, encodes {@code n_i·Δ_i} in fixed point and (with DP terms) adds its share of the
 * job's discrete Gaussian noise exactly as the trainer's {@code run} does ({@link UpdateNoise}); the integer vectors
 * are summed, which is what the committee reconstructs, and the next model is {@link ModelStep#apply}. Same split,
 * initial model and batch order as {@link FederatedSimulation} for the same seed, so the two are comparable round by
 * round. The noise is drawn from SHA1PRNG seeded per trainer (reproducible for benchmarks; a real trainer uses a
 * fresh {@link SecureRandom}).
 */
public final class PrivateSimulation {

    /**
     * The protocol's terms for the simulation.
     *
     * @param clip    the job's clip policy ({@code C}, {@code B}, {@code N_max})
     * @param privacy DP terms, or null for clipping and encoding only ({@code ε = ∞})
     */
    public record Terms(ClipPolicy clip, JobPrivacy privacy) {
    }

    private final SimulationConfig config;
    private final Terms terms;

    public PrivateSimulation(SimulationConfig config, Terms terms) {
        this.config = config;
        this.terms = terms;
    }

    /**
     * The smallest noise multiplier {@code z} (three significant digits) for which {@code rounds} rounds fit the budget
     * {@code (ε, δ)} with {@code n_min} trainers, {@code N_max} and a model of {@code d} parameters.
     */
    public static BigDecimal noiseMultiplierFor(double epsilon, double delta, int rounds, BigDecimal clip, int minTrainers,
                                                long maxSamples, long d) {
        double low = 0.01;
        double high = 1000;
        for (int i = 0; i < 60; i++) {
            double mid = Math.sqrt(low * high);
            if (fits(epsilon, delta, mid, rounds, clip, minTrainers, maxSamples, d)) {
                high = mid;
            } else {
                low = mid;
            }
        }
        BigDecimal z = new BigDecimal(high, new java.math.MathContext(3, java.math.RoundingMode.CEILING));
        return z;
    }

    private static boolean fits(double epsilon, double delta, double z, int rounds, BigDecimal clip, int minTrainers,
                                long maxSamples, long d) {
        JobPrivacy p = new JobPrivacy(BigDecimal.valueOf(epsilon), BigDecimal.valueOf(delta), new BigDecimal(z,
                java.math.MathContext.DECIMAL64), clip, minTrainers);
        return p.roundsWithinBudget(maxSamples, d) >= rounds;
    }

    /** Splits {@code train}, runs all rounds and evaluates the global model on {@code test} after each. */
    public FederatedSimulation.SimulationResult run(LabelledImages train, LabelledImages test,
                                                   Consumer<RoundMetrics> onRound) {
        TensorBatch.requireCompatible(config.spec(), train);
        TensorBatch.requireCompatible(config.spec(), test);
        int[][] split = config.scheme().split(train, config.trainers(), config.seed());
        List<LabelledImages> shares = new ArrayList<>();
        for (int[] indices : split) {
            shares.add(train.select(indices));
        }
        List<UpdateNoise> noise = new ArrayList<>();
        for (int t = 0; t < shares.size(); t++) {
            noise.add(terms.privacy() == null ? null
                    : UpdateNoise.of(terms.privacy(), terms.clip(), terms.privacy().minTrainers(), seeded(config.seed() * 31 + t)));
        }
        UpdateEncoder encoder = new UpdateEncoder(terms.clip());
        SpecNetwork net = SpecNetwork.build(config.spec(), config.plan(), config.seed());
        float[] global = WeightInitializer.initialise(config.spec(), config.seed());
        List<RoundMetrics> rounds = new ArrayList<>();
        for (int r = 1; r <= config.rounds(); r++) {
            long start = System.nanoTime();
            long[] sum = new long[global.length];
            long totalSamples = 0;
            long seen = 0;
            double trainSeconds = 0;
            for (int t = 0; t < shares.size(); t++) {
                net.setParameters(global);
                net.resetOptimiser();
                long trainerSeed = config.seed() * 1_000_003L + (long) r * 10_007L + t;
                LocalTrainer.TrainingRun run = LocalTrainer.train(net, shares.get(t), config.plan(), trainerSeed,
                        new TrainingProgress.Silent());
                seen += run.samplesSeen();
                trainSeconds += run.seconds();
                float[] trained = net.parameters();
                float[] delta = new float[global.length];
                for (int j = 0; j < delta.length; j++) {
                    delta[j] = trained[j] - global[j];
                }
                int n = Math.min(shares.get(t).count(), terms.clip().maxSamples());
                long[] q = noise.get(t) == null ? encoder.quantise(delta, n) : noise.get(t).quantise(delta, n);
                for (int j = 0; j < sum.length; j++) {
                    sum[j] = Math.addExact(sum[j], q[j]);
                }
                totalSamples += n;
            }
            BigInteger[] sums = new BigInteger[sum.length];
            for (int j = 0; j < sum.length; j++) {
                sums[j] = BigInteger.valueOf(sum[j]);
            }
            global = ModelStep.apply(global, sums, BigInteger.valueOf(totalSamples));
            double seconds = (System.nanoTime() - start) / 1e9;
            net.setParameters(global);
            Evaluation eval = Evaluator.evaluate(net, test);
            RoundMetrics m = new RoundMetrics(r, eval.accuracy(), eval.loss(), seconds, trainSeconds > 0 ? seen / trainSeconds : 0);
            rounds.add(m);
            onRound.accept(m);
        }
        int[] sizes = new int[shares.size()];
        for (int t = 0; t < sizes.length; t++) {
            sizes[t] = shares.get(t).count();
        }
        return new FederatedSimulation.SimulationResult(config, List.copyOf(rounds), global, sizes);
    }

    private static SecureRandom seeded(long seed) {
        try {
            SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
            r.setSeed(ByteBuffer.allocate(Long.BYTES).putLong(seed).array());
            return r;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
