package io.zkpfl.engine.round;

import io.zkpfl.protocol.model.ModelSpec;
import io.zkpfl.protocol.model.Optimiser;
import io.zkpfl.protocol.model.TrainingPlan;
import io.zkpfl.protocol.validation.Accuracies;
import io.zkpfl.protocol.validation.ValidationBundle;
import io.zkpfl.trainer.data.DatasetFolder;
import io.zkpfl.trainer.data.LabelledImages;
import io.zkpfl.trainer.model.SpecNetwork;
import io.zkpfl.trainer.training.ComputeThreads;
import io.zkpfl.trainer.training.TensorBatch;
import java.nio.file.Path;
import java.util.List;

/**
 * The validation data a job's models are measured on, and the measurement itself, with the trainer's network and
 * batching: by default the Fashion-MNIST test split ({@code t10k}) of {@code zkpfl.engine.validation-dir}; for a job
 * whose manifest names one, the owner's sealed set (docs/adr/0105). Accuracy is reported in ppm, rounded down:
 * {@code correct · 10^6 / samples}, overall and, when the job has groups, per group (the owner's group ids, or on the
 * default set the label).
 */
public final class ValidationSet {

    /** The optimiser settings play no part in inference; the network builder needs some. */
    private static final TrainingPlan INFERENCE = new TrainingPlan(1, 1, 0.01, Optimiser.SGD);
    private static final int BATCH = 1000;
    private static boolean threadsConfigured;

    private final Path dir;
    private LabelledImages data;
    private final byte[] groupIds;
    private final int groups;

    public ValidationSet(Path dir) {
        this(dir, null, null, 0);
    }

    private ValidationSet(Path dir, LabelledImages data, byte[] groupIds, int groups) {
        this.dir = dir;
        this.data = data;
        this.groupIds = groupIds;
        this.groups = groups;
    }

    /** An owner's validation set, decrypted and checked. */
    public static ValidationSet of(ValidationBundle bundle) {
        return new ValidationSet(null, new LabelledImages(bundle.rows(), bundle.cols(), bundle.pixels(), bundle.labels()),
                bundle.groups(), bundle.groupCount());
    }

    /** This set with {@code groups} groups given by the labels (for the default set of a job that names groups). */
    public ValidationSet withLabelGroups(int groups) {
        return new ValidationSet(dir, data, null, groups);
    }

    /** The folder of the default set, or null for an owner's set. */
    public Path dir() {
        return dir;
    }

    public int groups() {
        return groups;
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
        LabelledImages d = data();
        TensorBatch.requireCompatible(spec, d);
        int outputs = spec.outputSize();
        boolean[] hit = new boolean[d.count()];
        long correct = 0;
        for (int from = 0; from < d.count(); from += BATCH) {
            int to = Math.min(d.count(), from + BATCH);
            TensorBatch batch = TensorBatch.of(spec, d, null, from, to);
            float[] out = net.output(batch.features(), batch.count());
            for (int k = 0; k < to - from; k++) {
                int best = 0;
                for (int o = 1; o < outputs; o++) {
                    if (out[k * outputs + o] > out[k * outputs + best]) {
                        best = o;
                    }
                }
                if (best == batch.classes()[k]) {
                    hit[from + k] = true;
                    correct++;
                }
            }
        }
        List<Integer> perGroup = List.of();
        if (groups > 0) {
            int[] group = new int[d.count()];
            for (int i = 0; i < group.length; i++) {
                group[i] = groupIds == null ? d.label(i) : groupIds[i] & 0xff;
            }
            perGroup = Accuracies.perGroup(hit, group, groups);
        }
        return new Measured(Accuracies.ppm(correct, d.count()), d.count(), correct, perGroup);
    }

    private static synchronized void configureThreads() {
        if (!threadsConfigured) {
            ComputeThreads.configure(Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors())));
            threadsConfigured = true;
        }
    }

    /**
     * An accuracy measurement.
     *
     * @param groupAccuraciesPpm one figure per group (ppm, rounded down), empty for a set without groups
     */
    public record Measured(int accuracyPpm, int samples, long correct, List<Integer> groupAccuraciesPpm) {

        /** The per-group figures as stored and sent: a JSON array. */
        public String groupsJson() {
            return groupAccuraciesPpm.toString().replace(" ", "");
        }
    }
}
