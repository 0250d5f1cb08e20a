package io.zkpfl.engine.round;

import io.zkpfl.protocol.model.ModelSpec;
import io.zkpfl.protocol.model.Optimiser;
import io.zkpfl.protocol.model.TrainingPlan;
import io.zkpfl.trainer.data.DatasetFolder;
import io.zkpfl.trainer.data.LabelledImages;
import io.zkpfl.trainer.model.SpecNetwork;
import io.zkpfl.trainer.training.ComputeThreads;
import io.zkpfl.trainer.training.Evaluation;
import io.zkpfl.trainer.training.Evaluator;
import java.nio.file.Path;

/**
 * The validation data a job's models are measured on, and the measurement itself, through the trainer's public
 * evaluation API: the Fashion-MNIST test split ({@code t10k}) of {@code zkpfl.engine.validation-dir} by default.
 * Accuracy is reported in ppm, rounded down: {@code correct · 10^6 / samples}.
 */
public final class ValidationSet {

    /** The optimiser settings play no part in inference; the network builder needs some. */
    private static final TrainingPlan INFERENCE = new TrainingPlan(1, 1, 0.01, Optimiser.SGD);
    private static boolean threadsConfigured;

    private final Path dir;
    private LabelledImages data;

    public ValidationSet(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    private synchronized LabelledImages data() {
        if (data == null) {
            data = new DatasetFolder(dir).test();
        }
        return data;
    }

    /** Accuracy of {@code weights} (flat, in the spec's parameter layout) in ppm, with the sample count. */
    public synchronized Measured measure(ModelSpec spec, float[] weights) {
        configureThreads();
        SpecNetwork net = SpecNetwork.build(spec, INFERENCE, 0);
        net.setParameters(weights);
        Evaluation e = Evaluator.evaluate(net, data());
        long correct = Math.round(e.accuracy() * e.samples());
        long ppm = e.samples() == 0 ? 0 : correct * 1_000_000L / e.samples();
        return new Measured((int) ppm, e.samples(), correct);
    }

    private static synchronized void configureThreads() {
        if (!threadsConfigured) {
            ComputeThreads.configure(Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors())));
            threadsConfigured = true;
        }
    }

    /** An accuracy measurement. */
    public record Measured(int accuracyPpm, int samples, long correct) {
    }
}
