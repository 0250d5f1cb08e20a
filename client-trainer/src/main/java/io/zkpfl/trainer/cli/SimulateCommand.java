package io.zkpfl.trainer.cli;

import io.zkpfl.protocol.model.ModelSpec;
import io.zkpfl.protocol.model.TrainingPlan;
import io.zkpfl.trainer.data.LabelledImages;
import io.zkpfl.trainer.data.PartitionScheme;
import io.zkpfl.trainer.federated.FederatedSimulation;
import io.zkpfl.trainer.federated.SimulationConfig;
import io.zkpfl.trainer.federated.SimulationReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Plaintext FedAvg with N trainers and R rounds in one process. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        header = "Simulates plaintext FedAvg among N trainers and reports the accuracy after every round.",
        description = {"Simulates plaintext FedAvg: splits the training split of --data among N trainers (IID, or",
            "Dirichlet(alpha) by label), runs R rounds of local training and sample-weighted averaging, evaluates the global",
            "model on the test split after each round, writes rounds.csv and accuracy.png to --out and prints a summary.",
            "The same seed gives the same result."})
final class SimulateCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    DataOptions data;

    @Mixin
    ModelOptions model;

    @Mixin
    PlanOptions plan;

    @Mixin
    ThreadOptions threads;

    @Option(names = {"-n", "--trainers"}, paramLabel = "N", defaultValue = "8", description = "number of trainers (default: ${DEFAULT-VALUE})")
    int trainers;

    @Option(names = {"-r", "--rounds"}, paramLabel = "R", defaultValue = "5", description = "number of rounds (default: ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--alpha", paramLabel = "ALPHA", description = "non-IID: Dirichlet concentration (e.g. 0.5); IID when absent")
    Double alpha;

    @Option(names = "--seed", defaultValue = "42", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "simulation", description = "output folder (default: ${DEFAULT-VALUE})")
    Path out;

    @Override
    public Integer call() throws IOException {
        CommandLine cmd = spec.commandLine();
        threads.apply(cmd);
        ModelSpec modelSpec = model.resolve(cmd);
        TrainingPlan trainingPlan = plan.plan(cmd);
        if (trainers < 1 || trainers > 10_000) {
            throw new CommandLine.ParameterException(cmd, "--trainers must be in [1, 10000], got " + trainers);
        }
        if (rounds < 1 || rounds > 100_000) {
            throw new CommandLine.ParameterException(cmd, "--rounds must be in [1, 100000], got " + rounds);
        }
        if (alpha != null && !(alpha > 0 && alpha <= 1000)) {
            throw new CommandLine.ParameterException(cmd, "--alpha must be in (0, 1000], got " + alpha);
        }
        PartitionScheme scheme = alpha == null ? new PartitionScheme.Iid() : new PartitionScheme.Dirichlet(alpha);
        LabelledImages train = data.train(cmd);
        LabelledImages test = data.test(cmd);
        Files.createDirectories(out);
        PrintWriter w = cmd.getOut();
        String title = String.format(Locale.ROOT, "FedAvg %s, %d trainers, %s, E=%d, B=%d, lr=%s, %s, seed %d",
                model.label(), trainers, scheme.describe(), trainingPlan.localEpochs(), trainingPlan.batchSize(),
                trainingPlan.learningRate(), trainingPlan.optimiser().name().toLowerCase(Locale.ROOT), seed);
        w.println(title + ": " + train.count() + " training, " + test.count() + " test samples");
        w.flush();
        FederatedSimulation simulation = new FederatedSimulation(new SimulationConfig(modelSpec, trainingPlan, trainers, rounds, scheme, seed));
        FederatedSimulation.SimulationResult result = simulation.run(train, test, m -> {
            w.println(String.format(Locale.ROOT, "round %d/%d: accuracy %.4f, loss %.4f, %.1f s", m.round(), rounds, m.accuracy(), m.loss(), m.seconds()));
            w.flush();
        });
        Path csv = out.resolve("rounds.csv");
        Path png = out.resolve("accuracy.png");
        SimulationReport.writeCsv(csv, result.rounds());
        SimulationReport.writePlot(png, title, List.of(new SimulationReport.Curve(scheme.describe(), result.rounds())));
        w.println();
        SimulationReport.printSummary(w, title, result.rounds());
        w.println("wrote " + csv + " and " + png);
        w.flush();
        return TrainerCli.OK;
    }
}
