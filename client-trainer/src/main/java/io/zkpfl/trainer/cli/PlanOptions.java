package io.zkpfl.trainer.cli;

import io.zkpfl.protocol.model.ModelSpecException;
import io.zkpfl.protocol.model.Optimiser;
import io.zkpfl.protocol.model.TrainingPlan;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** Local training options: the job's {@link TrainingPlan}. */
final class PlanOptions {

    private static final Map<String, String> OPTION_OF_FIELD = Map.of(
            "localEpochs", "--epochs", "batchSize", "--batch-size", "learningRate", "--lr", "optimiser", "--optimiser");

    @Option(names = "--epochs", paramLabel = "E", defaultValue = "1", description = "local epochs (default: ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--batch-size", paramLabel = "B", defaultValue = "32", description = "mini-batch size (default: ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--lr", paramLabel = "RATE", defaultValue = "0.05", description = "learning rate (default: ${DEFAULT-VALUE})")
    double learningRate;

    @Option(names = "--optimiser", paramLabel = "OPT", defaultValue = "sgd",
            description = "sgd, momentum (Nesterov, 0.9) or adam (default: ${DEFAULT-VALUE})")
    Optimiser optimiser;

    TrainingPlan plan(CommandLine cmd) {
        try {
            return new TrainingPlan(epochs, batchSize, learningRate, optimiser);
        } catch (ModelSpecException e) {
            throw new CommandLine.ParameterException(cmd, OPTION_OF_FIELD.getOrDefault(e.field(), e.field()) + " " + e.reason());
        }
    }
}
