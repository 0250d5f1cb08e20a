package io.zkpfl.trainer.training;

import io.zkpfl.protocol.model.ModelSpec;
import io.zkpfl.protocol.model.Shape;
import io.zkpfl.trainer.data.DatasetException;
import io.zkpfl.trainer.data.LabelledImages;

/**
 * One mini-batch as plain arrays: features scaled to [0, 1], row-major in the spec's input shape (a
 * batch of vectors, or NCHW images), and the class label of each sample.
 */
public record TensorBatch(float[] features, int[] classes) {

    /** {@code b / 255f} for every unsigned byte value b. */
    private static final float[] SCALED = new float[256];

    static {
        for (int b = 0; b < 256; b++) {
            SCALED[b] = b / 255f;
        }
    }

    /** Number of samples in the batch. */
    public int count() {
        return classes.length;
    }

    /**
     * Checks that {@code data} fits {@code spec}: as many pixels as the input shape holds (and the same
     * height and width for an image input) and enough output units for every label.
     *
     * @throws DatasetException naming both shapes when they disagree
     */
    public static void requireCompatible(ModelSpec spec, LabelledImages data) {
        Shape in = spec.input().shape();
        boolean fits = in.isImage()
                ? in.channels() == 1 && in.height() == data.rows() && in.width() == data.cols()
                : in.size() == (long) data.rows() * data.cols();
        if (!fits) {
            throw new DatasetException("the model expects inputs of shape " + in + " but the data holds "
                    + data.rows() + "x" + data.cols() + " grey-scale images");
        }
        if (data.count() > 0 && data.classCount() > spec.outputSize()) {
            throw new DatasetException("the data has labels up to " + (data.classCount() - 1) + " but the model has only "
                    + spec.outputSize() + " outputs");
        }
    }

    /** Builds the batch of samples {@code order[from..to)}, or {@code from..to} when {@code order} is null. */
    public static TensorBatch of(ModelSpec spec, LabelledImages data, int[] order, int from, int to) {
        int n = to - from;
        int size = data.imageSize();
        float[] x = new float[n * size];
        int[] classes = new int[n];
        byte[] pixels = data.pixels();
        for (int k = 0; k < n; k++) {
            int sample = order == null ? from + k : order[from + k];
            int base = sample * size;
            for (int p = 0; p < size; p++) {
                x[k * size + p] = SCALED[pixels[base + p] & 0xff];
            }
            classes[k] = data.label(sample);
        }
        return new TensorBatch(x, classes);
    }
}
