package io.zkpfl.trainer.federated;

import io.zkpfl.protocol.dp.JobPrivacy;
import io.zkpfl.protocol.fixedpoint.ClipPolicy;
import io.zkpfl.protocol.model.Optimiser;
import io.zkpfl.protocol.model.TrainingPlan;
import io.zkpfl.trainer.data.DatasetFolder;
import io.zkpfl.trainer.data.LabelledImages;
import io.zkpfl.trainer.data.PartitionScheme;
import io.zkpfl.trainer.model.BuiltInModel;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Bench harness (not a test): accuracy per round of plaintext FedAvg ({@link FederatedSimulation}) beside the protocol's
 * FedAvg ({@link PrivateSimulation}: clip, fixed point, integer sum) without noise ({@code ε = ∞}) and with the
 * discrete Gaussian noise the trainers add for {@code ε ∈ {8, 3, 1}} at {@code δ = 10⁻⁵}, all on the same split and
 * seed: Fashion-MNIST, the built-in MLP, 8 trainers, Dirichlet 0.5. For each {@code ε} the noise multiplier is the
 * smallest for which all rounds fit the budget ({@code n_min} = 8). Prints a Markdown table.
 *
 * <pre>
 * java -cp … io.zkpfl.trainer.federated.PrivacyCurveBench [trainSamples] [rounds] [clip]
 * </pre>
 * Defaults: 12000 training samples (of 60000), the full 10000 test samples, 5 rounds of one local epoch, C = 1.
 */
public final class PrivacyCurveBench {

    private PrivacyCurveBench() {
    }

    public static void main(String[] args) {
        int samples = args.length > 0 ? Integer.parseInt(args[0]) : 12_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        BigDecimal clip = new BigDecimal(args.length > 2 ? args[2] : "1");
        double delta = 1e-5;
        int trainers = 8;
        long seed = 42;
        DatasetFolder folder = new DatasetFolder(DatasetFolder.FASHION_MNIST);
        LabelledImages train = folder.train().head(samples);
        LabelledImages test = folder.test();
        TrainingPlan plan = new TrainingPlan(1, 32, 0.05, Optimiser.SGD);
        SimulationConfig config = new SimulationConfig(BuiltInModel.MLP.spec(), plan, trainers, rounds,
                new PartitionScheme.Dirichlet(0.5), seed);
        long d = config.spec().parameterCount();
        int[][] split = config.scheme().split(train, trainers, seed);
        int maxSamples = 0;
        int total = 0;
        for (int[] s : split) {
            maxSamples = Math.max(maxSamples, s.length);
            total += s.length;
        }
        ClipPolicy policy = new ClipPolicy(clip.doubleValue(), 4.0, maxSamples);
        System.out.printf(Locale.ROOT, "host: %d cores, java %s; MLP d = %d, %d trainers (Dirichlet 0.5) holding %d "
                        + "samples, N_max = %d, C = %s, %d rounds, test on %d%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), d, trainers, total, maxSamples, clip.toPlainString(), rounds,
                test.count());

        List<String> names = new ArrayList<>();
        List<List<RoundMetrics>> curves = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        long t0 = System.nanoTime();
        names.add("plaintext FedAvg");
        curves.add(new FederatedSimulation(config).run(train, test, m -> { }).rounds());
        notes.add("float average, no clip");
        System.out.printf(Locale.ROOT, "plaintext done in %.0f s%n", (System.nanoTime() - t0) / 1e9);
        names.add("protocol, ε = ∞");
        curves.add(new PrivateSimulation(config, new PrivateSimulation.Terms(policy, null)).run(train, test, m -> { })
                .rounds());
        notes.add("clip C, fixed point, no noise");
        for (double eps : new double[] {8, 3, 1}) {
            long t = System.nanoTime();
            BigDecimal z = PrivateSimulation.noiseMultiplierFor(eps, delta, rounds, clip, trainers, maxSamples, d);
            JobPrivacy terms = new JobPrivacy(BigDecimal.valueOf(eps), BigDecimal.valueOf(delta), z, clip, trainers);
            double spent = terms.spentAfter(rounds, maxSamples, d).epsilon();
            double perWeight = z.doubleValue() * maxSamples * clip.doubleValue() / total;
            names.add("protocol, ε = " + (int) eps);
            curves.add(new PrivateSimulation(config, new PrivateSimulation.Terms(policy, terms)).run(train, test, m -> { })
                    .rounds());
            notes.add(String.format(Locale.ROOT, "z = %s, ε spent %.3f, noise σ/Σn = %.3g per weight", z.toPlainString(),
                    spent, perWeight));
            System.out.printf(Locale.ROOT, "ε = %s done in %.0f s%n", eps, (System.nanoTime() - t) / 1e9);
        }
        StringBuilder head = new StringBuilder("| run | terms |");
        StringBuilder rule = new StringBuilder("| --- | --- |");
        for (int r = 1; r <= rounds; r++) {
            head.append(" round ").append(r).append(" |");
            rule.append(" ---: |");
        }
        System.out.println();
        System.out.println(head);
        System.out.println(rule);
        for (int i = 0; i < names.size(); i++) {
            StringBuilder row = new StringBuilder("| " + names.get(i) + " | " + notes.get(i) + " |");
            for (RoundMetrics m : curves.get(i)) {
                row.append(String.format(Locale.ROOT, " %.4f |", m.accuracy()));
            }
            System.out.println(row);
        }
        System.out.printf(Locale.ROOT, "%ntotal %.0f s%n", (System.nanoTime() - t0) / 1e9);
    }
}
