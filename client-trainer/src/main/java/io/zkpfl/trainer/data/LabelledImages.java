package io.zkpfl.trainer.data;

import java.util.Arrays;

/**
 * Grey-scale images with integer class labels, held in memory as unsigned bytes.
 *
 * @param rows   image height in pixels
 * @param cols   image width in pixels
 * @param pixels {@code count · rows · cols} bytes, image after image, each row-major
 * @param labels one class label per image, read as an unsigned byte
 */
public record LabelledImages(int rows, int cols, byte[] pixels, byte[] labels) {

    public LabelledImages {
        if (rows < 1 || cols < 1) {
            throw new DatasetException("image size must be positive, got " + rows + "x" + cols);
        }
        if ((long) labels.length * rows * cols != pixels.length) {
            throw new DatasetException(labels.length + " labels do not match " + pixels.length + " bytes of " + rows + "x" + cols + " images");
        }
    }

    /** Number of samples. */
    public int count() {
        return labels.length;
    }

    /** Pixels per image. */
    public int imageSize() {
        return rows * cols;
    }

    /** Label of sample {@code i}, in [0, 255]. */
    public int label(int i) {
        return labels[i] & 0xff;
    }

    /** Largest label plus one: the number of classes the data needs a model to output. */
    public int classCount() {
        int max = -1;
        for (byte b : labels) {
            max = Math.max(max, b & 0xff);
        }
        return max + 1;
    }

    /** Counts of each label in [0, classes). */
    public int[] histogram(int classes) {
        int[] counts = new int[classes];
        for (byte b : labels) {
            int l = b & 0xff;
            if (l < classes) {
                counts[l]++;
            }
        }
        return counts;
    }

    /** The samples at the given indices, in that order. */
    public LabelledImages select(int[] indices) {
        int size = imageSize();
        byte[] p = new byte[indices.length * size];
        byte[] l = new byte[indices.length];
        for (int k = 0; k < indices.length; k++) {
            System.arraycopy(pixels, indices[k] * size, p, k * size, size);
            l[k] = labels[indices[k]];
        }
        return new LabelledImages(rows, cols, p, l);
    }

    /** The first {@code n} samples (all of them when {@code n} is at least {@link #count()}). */
    public LabelledImages head(int n) {
        if (n >= count()) {
            return this;
        }
        return new LabelledImages(rows, cols, Arrays.copyOf(pixels, n * imageSize()), Arrays.copyOf(labels, n));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelledImages d && rows == d.rows && cols == d.cols
                && Arrays.equals(pixels, d.pixels) && Arrays.equals(labels, d.labels);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(labels) + Arrays.hashCode(pixels);
    }

    @Override
    public String toString() {
        return "LabelledImages[" + count() + " x " + rows + "x" + cols + "]";
    }
}
