package io.zkpfl.trainer.cli;

import io.zkpfl.protocol.model.FlatParameters;
import io.zkpfl.protocol.model.ModelSpec;
import io.zkpfl.protocol.model.TrainingPlan;
import io.zkpfl.trainer.data.DatasetFolder;
import io.zkpfl.trainer.data.LabelledImages;
import io.zkpfl.trainer.model.SpecNetwork;
import io.zkpfl.trainer.training.ComputeThreads;
import io.zkpfl.trainer.training.Evaluation;
import io.zkpfl.trainer.training.Evaluator;
import io.zkpfl.trainer.training.LocalTrainer;
import io.zkpfl.trainer.training.TensorBatch;
import io.zkpfl.trainer.training.TrainingProgress;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Trains a model on one folder's training split (centralised, or a trainer's local round). */
@Command(name = "train", mixinStandardHelpOptions = true,
        header = "Trains a model locally for E epochs and reports its test accuracy.",
        description = {"Trains a model on the training split of --data for E epochs and reports test accuracy when the",
            "folder has a test split. --init starts from given weights (e.g. the round's global model); --save writes",
            "the trained weights as little-endian float32 in the model spec's canonical order."})
final class TrainCommand implements Callable<Integer> {

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

    @Option(names = "--init", paramLabel = "FILE", description = "initial weights (float32 little-endian, canonical order)")
    Path init;

    @Option(names = "--save", paramLabel = "FILE", description = "write the trained weights here")
    Path save;

    @Option(names = "--seed", defaultValue = "42", description = "random seed for initial weights and batch order (default: ${DEFAULT-VALUE})")
    long seed;

    @Override
    public Integer call() throws IOException {
        CommandLine cmd = spec.commandLine();
        threads.apply(cmd);
        ModelSpec modelSpec = model.resolve(cmd);
        TrainingPlan trainingPlan = plan.plan(cmd);
        float[] initial = init == null ? null : WeightsFile.read(init, modelSpec);
        LabelledImages train = data.train(cmd);
        LabelledImages test = data.folder().has(DatasetFolder.TEST) ? data.test(cmd) : null;
        TensorBatch.requireCompatible(modelSpec, train);
        PrintWriter out = cmd.getOut();
        out.println(String.format(Locale.ROOT, "training %s (%d parameters) on %d samples: %d epoch(s), batch %d, lr %s, %s, %d thread(s)",
                model.label(), modelSpec.parameterCount(), train.count(), trainingPlan.localEpochs(), trainingPlan.batchSize(),
                trainingPlan.learningRate(), trainingPlan.optimiser().name().toLowerCase(Locale.ROOT), ComputeThreads.active()));
        out.flush();
        SpecNetwork net = SpecNetwork.build(modelSpec, trainingPlan, seed);
        if (initial != null) {
            net.setParameters(initial);
        }
        LocalTrainer.TrainingRun run = LocalTrainer.train(net, train, trainingPlan, seed, TrainingProgress.forStdout(out));
        out.println(String.format(Locale.ROOT, "trained in %.1f s (%.0f samples/s)", run.seconds(), run.samplesPerSecond()));
        if (test != null) {
            Evaluation eval = Evaluator.evaluate(net, test);
            out.println(String.format(Locale.ROOT, "test accuracy %.4f, loss %.4f on %d samples", eval.accuracy(), eval.loss(), eval.samples()));
        }
        if (save != null) {
            WeightsFile.write(save, FlatParameters.encode(net.parameters()));
            out.println("weights written to " + save);
        }
        out.flush();
        return TrainerCli.OK;
    }
}
