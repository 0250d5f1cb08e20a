package io.zkpfl.trainer.bench;

import io.zkpfl.protocol.model.ModelSpec;
import io.zkpfl.protocol.model.Optimiser;
import io.zkpfl.protocol.model.TrainingPlan;
import io.zkpfl.trainer.data.DatasetFolder;
import io.zkpfl.trainer.data.LabelledImages;
import io.zkpfl.trainer.data.PartitionScheme;
import io.zkpfl.trainer.federated.FederatedSimulation;
import io.zkpfl.trainer.federated.RoundMetrics;
import io.zkpfl.trainer.federated.SimulationConfig;
import io.zkpfl.trainer.federated.SimulationReport;
import io.zkpfl.trainer.model.BuiltInModel;
import io.zkpfl.trainer.model.SpecNetwork;
import io.zkpfl.trainer.training.Evaluation;
import io.zkpfl.trainer.training.Evaluator;
import io.zkpfl.trainer.training.LocalTrainer;
import io.zkpfl.trainer.training.TrainingProgress;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Bench harness for the trainer (not a test): centralised accuracy after a fixed sample budget,
 * federated accuracy per round with 8 trainers (IID and Dirichlet 0.5), and training throughput.
 * Prints Markdown tables; writes CSVs and the FedAvg plot to the output folder.
 *
 * <pre>
 * OMP_NUM_THREADS=1 ./mvnw -B -f client-trainer/pom.xml test-compile exec:java \
 *     -Dexec.args="all --out target/bench"
 * </pre>
 * Sections: {@code centralised}, {@code federated}, {@code throughput}, {@code all}.
 */
public final class TrainerBench {

    private TrainerBench() {
    }

    /** Runs the sections named in {@code args}. */
    public static void main(String[] args) throws IOException {
        String section = args.length > 0 ? args[0] : "all";
        Path out = Path.of(args.length > 2 && args[1].equals("--out") ? args[2] : "target/bench");
        Files.createDirectories(out);
        DatasetFolder folder = new DatasetFolder(DatasetFolder.FASHION_MNIST);
        LabelledImages train = folder.train();
        LabelledImages test = folder.test();
        PrintWriter w = new PrintWriter(System.out, true);
        w.println("host: " + Runtime.getRuntime().availableProcessors() + " cores, OMP_NUM_THREADS=" + System.getenv("OMP_NUM_THREADS")
                + ", java " + System.getProperty("java.version"));
        if (section.equals("throughput") || section.equals("all")) {
            throughput(w, train);
        }
        if (section.equals("centralised") || section.equals("all")) {
            centralised(w, train, test);
        }
        if (section.equals("federated") || section.equals("all")) {
            federated(w, train, test, out);
        }
        System.exit(0);
    }

    record Budget(BuiltInModel model, TrainingPlan plan, int samples) {
    }

    static void centralised(PrintWriter w, LabelledImages train, LabelledImages test) {
        List<Budget> budgets = List.of(
                new Budget(BuiltInModel.LOGREG, new TrainingPlan(3, 32, 0.1, Optimiser.SGD), 60_000),
                new Budget(BuiltInModel.MLP, new TrainingPlan(3, 32, 0.001, Optimiser.ADAM), 60_000),
                new Budget(BuiltInModel.CNN, new TrainingPlan(1, 32, 0.02, Optimiser.MOMENTUM), 20_000));
        w.println();
        w.println("### Centralised training, full 10k test set");
        w.println("| model | parameters | budget | optimiser | test accuracy | test loss | wall s | samples/s |");
        w.println("|---|---:|---|---|---:|---:|---:|---:|");
        for (Budget b : budgets) {
            ModelSpec spec = b.model().spec();
            SpecNetwork net = SpecNetwork.build(spec, b.plan(), 1);
            LocalTrainer.TrainingRun run = LocalTrainer.train(net, train.head(b.samples()), b.plan(), 1, new TrainingProgress.Silent());
            Evaluation e = Evaluator.evaluate(net, test);
            w.println(String.format(Locale.ROOT, "| %s | %d | %d epoch(s) x %d samples, batch %d | %s lr %s | %.4f | %.4f | %.0f | %.0f |",
                    b.model().cliName(), spec.parameterCount(), b.plan().localEpochs(), b.samples(), b.plan().batchSize(),
                    b.plan().optimiser().name().toLowerCase(Locale.ROOT), b.plan().learningRate(), e.accuracy(), e.loss(),
                    run.seconds(), run.samplesPerSecond()));
        }
    }

    static void federated(PrintWriter w, LabelledImages train, LabelledImages test, Path out) throws IOException {
        TrainingPlan plan = new TrainingPlan(1, 32, 0.05, Optimiser.SGD);
        int rounds = Integer.getInteger("bench.rounds", 8);
        List<SimulationReport.Curve> curves = new ArrayList<>();
        w.println();
        w.println("### FedAvg, mlp, 8 trainers, 60k training samples, E=1, B=32, SGD lr 0.05, seed 42");
        for (PartitionScheme scheme : List.of(new PartitionScheme.Iid(), new PartitionScheme.Dirichlet(0.5))) {
            SimulationConfig config = new SimulationConfig(BuiltInModel.MLP.spec(), plan, 8, rounds, scheme, 42);
            FederatedSimulation.SimulationResult r = new FederatedSimulation(config).run(train, test, m -> { });
            String name = scheme.describe();
            SimulationReport.writeCsv(out.resolve("fedavg-mlp-" + name.replaceAll("[^a-z0-9.]", "") + ".csv"), r.rounds());
            SimulationReport.printSummary(w, name + " (trainer sizes " + java.util.Arrays.toString(r.trainerSizes()) + ")", r.rounds());
            curves.add(new SimulationReport.Curve(name, r.rounds()));
        }
        SimulationReport.writePlot(out.resolve("client-trainer-fedavg.png"),
                "FedAvg mlp, 8 trainers, Fashion-MNIST test accuracy", curves);
        w.println();
        w.println("| split | round 1 | round " + rounds + " | mean round wall s |");
        w.println("|---|---:|---:|---:|");
        for (SimulationReport.Curve c : curves) {
            List<RoundMetrics> rs = c.rounds();
            w.println(String.format(Locale.ROOT, "| %s | %.4f | %.4f | %.1f |", c.name(), rs.get(0).accuracy(),
                    rs.get(rs.size() - 1).accuracy(), rs.stream().mapToDouble(RoundMetrics::seconds).average().orElse(0)));
        }
    }

    static void throughput(PrintWriter w, LabelledImages train) {
        w.println();
        w.println("### Local training throughput (SGD, 1 epoch, after a warm-up epoch)");
        w.println("| model | batch | samples | samples/s |");
        w.println("|---|---:|---:|---:|");
        for (BuiltInModel m : BuiltInModel.values()) {
            for (int batch : new int[] {32, 128}) {
                int n = m == BuiltInModel.CNN ? 3000 : 20_000;
                TrainingPlan plan = new TrainingPlan(1, batch, 0.01, Optimiser.SGD);
                SpecNetwork net = SpecNetwork.build(m.spec(), plan, 1);
                LocalTrainer.train(net, train.head(n / 4), plan, 1, new TrainingProgress.Silent());
                LocalTrainer.TrainingRun run = LocalTrainer.train(net, train.head(n), plan, 2, new TrainingProgress.Silent());
                w.println(String.format(Locale.ROOT, "| %s | %d | %d | %.0f |", m.cliName(), batch, n, run.samplesPerSecond()));
            }
        }
    }
}
