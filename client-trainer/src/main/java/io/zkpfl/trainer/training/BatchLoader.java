package io.zkpfl.trainer.training;

import io.zkpfl.protocol.model.ModelSpec;
import io.zkpfl.trainer.data.LabelledImages;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Loads training mini-batches into one pair of ND4J arrays allocated once, instead of allocating
 * native memory per batch; a batch shorter than the plan's size (the last of an epoch) gets its own
 * arrays. Each loaded batch is valid until the next call.
 */
final class BatchLoader {

    private final ModelSpec spec;
    private final LabelledImages data;
    private final int size;
    private final float[] x;
    private final float[] y;
    private final int[] classes;
    private INDArray features;
    private INDArray labels;

    BatchLoader(ModelSpec spec, LabelledImages data, int batchSize) {
        this.spec = spec;
        this.data = data;
        this.size = batchSize;
        this.x = new float[batchSize * data.imageSize()];
        this.y = new float[batchSize * spec.outputSize()];
        this.classes = new int[batchSize];
    }

    /** The batch of samples {@code order[from..to)}. */
    TensorBatch load(int[] order, int from, int to) {
        if (to - from != size) {
            return TensorBatch.of(spec, data, order, from, to);
        }
        Arrays.fill(y, 0f);
        TensorBatch.fill(spec, data, order, from, to, x, y, classes);
        if (features == null) {
            TensorBatch first = TensorBatch.of(spec, data, order, from, to);
            features = first.features();
            labels = first.labels();
        } else {
            features.data().setData(x);
            labels.data().setData(y);
        }
        return new TensorBatch(features, labels, classes);
    }
}
