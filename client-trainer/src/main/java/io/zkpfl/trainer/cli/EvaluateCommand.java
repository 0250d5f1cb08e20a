package io.zkpfl.trainer.cli;

import io.zkpfl.protocol.model.ModelSpec;
import io.zkpfl.protocol.model.Optimiser;
import io.zkpfl.protocol.model.TrainingPlan;
import io.zkpfl.trainer.data.LabelledImages;
import io.zkpfl.trainer.model.SpecNetwork;
import io.zkpfl.trainer.training.Evaluation;
import io.zkpfl.trainer.training.Evaluator;
import io.zkpfl.trainer.training.TensorBatch;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Reports accuracy and loss of saved weights on a data split. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        header = "Evaluates weights on the test or training split.",
        description = "Evaluates weights (little-endian float32, canonical order) on the test split of --data, or the training split with --split train.")
final class EvaluateCommand implements Callable<Integer> {

    enum Split { TEST, TRAIN }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    DataOptions data;

    @Mixin
    ModelOptions model;

    @Mixin
    ThreadOptions threads;

    @Option(names = "--weights", required = true, paramLabel = "FILE", description = "weights to evaluate")
    Path weights;

    @Option(names = "--split", defaultValue = "test", description = "test or train (default: ${DEFAULT-VALUE})")
    Split split;

    @Override
    public Integer call() throws IOException {
        CommandLine cmd = spec.commandLine();
        threads.apply(cmd);
        ModelSpec modelSpec = model.resolve(cmd);
        float[] params = WeightsFile.read(weights, modelSpec);
        LabelledImages set = split == Split.TEST ? data.test(cmd) : data.train(cmd);
        TensorBatch.requireCompatible(modelSpec, set);
        SpecNetwork net = SpecNetwork.build(modelSpec, new TrainingPlan(1, 1, 0.01, Optimiser.SGD), 0);
        net.setParameters(params);
        Evaluation eval = Evaluator.evaluate(net, set);
        cmd.getOut().println(String.format(Locale.ROOT, "accuracy %.4f, loss %.4f on %d %s samples",
                eval.accuracy(), eval.loss(), eval.samples(), split.name().toLowerCase(Locale.ROOT)));
        cmd.getOut().flush();
        return TrainerCli.OK;
    }
}
