package io.zkpfl.protocol.bench;

import io.zkpfl.protocol.dp.DistributedNoise;
import io.zkpfl.protocol.dp.DiscreteGaussianSampler;
import java.math.BigDecimal;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Benchmark harness for the exact discrete Gaussian sampler at the protocol's scale: a trainer's
 * share {@code N_Z(0, σ²·2^{2f}/n_min)} with {@code f = 16}, {@code C = 1}, for aggregate
 * {@code σ} of 0.01 to 1 model units and {@code n_min} of 1 and 10. Prints the median samples per
 * second and the median time to noise one update of {@code D = 2^15} coordinates, for the default
 * {@link SecureRandom} and for {@code DRBG}, after {@value #WARMUP_VECTORS} unmeasured vectors so
 * that the JIT has compiled the sampler.
 *
 * <p>Run from the repository root (nothing is installed into ~/.m2):
 * <pre>
 * ./mvnw -B -q -pl protocol -am test-compile dependency:build-classpath \
 *     -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
 * java -cp "protocol/target/test-classes:protocol/target/classes:$(cat protocol/target/bench.classpath)" \
 *     io.zkpfl.protocol.bench.DiscreteGaussianBench --reps 7
 * </pre>
 */
public final class DiscreteGaussianBench {

    private static final int FRACTIONAL_BITS = 16;
    private static final int DIMENSION = 1 << 15;
    private static final int WARMUP_VECTORS = 8;

    private DiscreteGaussianBench() {
    }

    public static void main(String[] args) throws NoSuchAlgorithmException {
        int reps = 7;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--reps" -> reps = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        System.out.printf(Locale.ROOT, "# DiscreteGaussianBench: %d cores, java %s, default SecureRandom %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                new SecureRandom().getAlgorithm());
        List<String> rows = new ArrayList<>();
        for (String generator : new String[] {"default", "DRBG"}) {
            for (String sigma : new String[] {"0.01", "0.1", "1"}) {
                for (int minimumTrainers : new int[] {1, 10}) {
                    rows.add(run(generator, sigma, minimumTrainers, reps));
                }
            }
        }
        System.out.println();
        System.out.println("| CSPRNG | σ (model units) | n_min | σ_i (integer units) | samples/s (median) | noise D = 2^15 ms (median) |");
        System.out.println("|---|---|---|---|---|---|");
        rows.forEach(System.out::println);
    }

    private static String run(String generator, String sigma, int minimumTrainers, int reps)
            throws NoSuchAlgorithmException {
        SecureRandom random = generator.equals("default") ? new SecureRandom() : SecureRandom.getInstance(generator);
        DistributedNoise noise = DistributedNoise.ofModelUnits(new BigDecimal(sigma), FRACTIONAL_BITS, minimumTrainers);
        DiscreteGaussianSampler sampler = noise.shareSampler(random);
        long[] vector = new long[DIMENSION];
        for (int w = 0; w < WARMUP_VECTORS; w++) {
            sampler.addTo(vector);
        }
        double[] millis = new double[reps];
        long checksum = 0;
        for (int r = 0; r < reps; r++) {
            Arrays.fill(vector, 0);
            long t0 = System.nanoTime();
            sampler.addTo(vector);
            millis[r] = (System.nanoTime() - t0) / 1e6;
            checksum += vector[r];
        }
        Arrays.sort(millis);
        double median = millis[reps / 2];
        double shareSigma = Math.sqrt(noise.shareVariance().doubleValue());
        System.out.printf(Locale.ROOT, "%s σ=%s n_min=%d: %s ms (checksum %d)%n", generator, sigma, minimumTrainers,
                Arrays.toString(millis), checksum);
        return String.format(Locale.ROOT, "| %s | %s | %d | %.1f | %.3g | %.1f |", generator, sigma, minimumTrainers,
                shareSigma, DIMENSION / (median / 1e3), median);
    }
}
