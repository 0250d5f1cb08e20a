package io.zkpfl.trainer.federated;

import io.zkpfl.protocol.dp.JobPrivacy;
import io.zkpfl.protocol.fixedpoint.ClipPolicy;
import io.zkpfl.protocol.fixedpoint.UpdateEncoder;
import io.zkpfl.protocol.round.ModelStep;
import io.zkpfl.trainer.data.LabelledImages;
import io.zkpfl.trainer.round.UpdateNoise;
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
        UpdateEncoder encoder = new UpdateEncoder(terms.clip());
        List<UpdateNoise> noise = new ArrayList<>();
        for (int t = 0; t < config.trainers(); t++) {
            noise.add(terms.privacy() == null ? null
                    : UpdateNoise.of(terms.privacy(), terms.clip(), terms.privacy().minTrainers(), seeded(config.seed() * 31 + t)));
        }
        return FederatedSimulation.simulate(config, train, test, onRound, shares -> new FederatedSimulation.Aggregation() {
            private long[] sum;
            private long totalSamples;

            @Override
            public void add(int trainer, float[] global, float[] trained) {
                if (sum == null) {
                    sum = new long[global.length];
                }
                float[] delta = new float[global.length];
                for (int j = 0; j < delta.length; j++) {
                    delta[j] = trained[j] - global[j];
                }
                int n = Math.min(shares.get(trainer).count(), terms.clip().maxSamples());
                long[] q = noise.get(trainer) == null ? encoder.quantise(delta, n) : noise.get(trainer).quantise(delta, n);
                for (int j = 0; j < sum.length; j++) {
                    sum[j] = Math.addExact(sum[j], q[j]);
                }
                totalSamples += n;
            }

            @Override
            public float[] next(float[] global) {
                BigInteger[] sums = new BigInteger[sum.length];
                for (int j = 0; j < sum.length; j++) {
                    sums[j] = BigInteger.valueOf(sum[j]);
                }
                return ModelStep.apply(global, sums, BigInteger.valueOf(totalSamples));
            }
        });
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
