package io.zkpfl.protocol.model;

import java.util.List;

/**
 * One layer of a feed-forward network. Each layer knows the shape it produces from the shape it
 * receives, and the shapes of its parameter blocks in the canonical flat order (weights, then biases).
 */
public sealed interface Layer permits Layer.Dense, Layer.Conv2d, Layer.MaxPool2d, Layer.Flatten, Layer.Dropout, Layer.Output {

    /** Name of the layer type in JSON. */
    String type();

    /**
     * Shape of this layer's output for the given input.
     *
     * @param path JSON path of the layer, used in errors
     * @throws ModelSpecException when the layer cannot take this input
     */
    Shape outputShape(Shape input, String path);

    /** Shapes of the parameter blocks, weights first; empty for layers without parameters. */
    default List<int[]> parameterShapes(Shape input) {
        return List.of();
    }

    /** Fully connected layer: {@code W[in, units]}, {@code b[units]}. */
    record Dense(int units, Activation activation) implements Layer {
        @Override
        public String type() {
            return "dense";
        }

        @Override
        public Shape outputShape(Shape input, String path) {
            return fullyConnectedOutput(input, units, path, type());
        }

        @Override
        public List<int[]> parameterShapes(Shape input) {
            return fullyConnectedParameters(input, units);
        }
    }

    /**
     * 2-D convolution over {@code [channels, height, width]}: {@code W[filters, inChannels, kernelH,
     * kernelW]}, {@code b[filters]}.
     */
    record Conv2d(int filters, int kernelH, int kernelW, int strideH, int strideW, Padding padding, Activation activation)
            implements Layer {
        @Override
        public String type() {
            return "conv2d";
        }

        @Override
        public Shape outputShape(Shape input, String path) {
            requireImage(input, path, type());
            return Shape.image(filters,
                    spatial(input.height(), kernelH, strideH, padding, path + ".kernel"),
                    spatial(input.width(), kernelW, strideW, padding, path + ".kernel"));
        }

        @Override
        public List<int[]> parameterShapes(Shape input) {
            return List.of(new int[] {filters, input.channels(), kernelH, kernelW}, new int[] {filters});
        }
    }

    /** Max pooling over {@code [channels, height, width]} with valid padding. */
    record MaxPool2d(int poolH, int poolW, int strideH, int strideW) implements Layer {
        @Override
        public String type() {
            return "maxpool2d";
        }

        @Override
        public Shape outputShape(Shape input, String path) {
            requireImage(input, path, type());
            return Shape.image(input.channels(),
                    spatial(input.height(), poolH, strideH, Padding.VALID, path + ".pool"),
                    spatial(input.width(), poolW, strideW, Padding.VALID, path + ".pool"));
        }
    }

    /** Flattens {@code [C, H, W]} row-major over (c, h, w) into a vector. */
    record Flatten() implements Layer {
        @Override
        public String type() {
            return "flatten";
        }

        @Override
        public Shape outputShape(Shape input, String path) {
            return Shape.vector((int) input.size());
        }
    }

    /** Dropout during training; {@code rate} is the probability of dropping an activation. */
    record Dropout(double rate) implements Layer {
        @Override
        public String type() {
            return "dropout";
        }

        @Override
        public Shape outputShape(Shape input, String path) {
            return input;
        }
    }

    /** The output layer, always last: {@code W[in, units]}, {@code b[units]}. */
    record Output(int units, Activation activation) implements Layer {
        @Override
        public String type() {
            return "output";
        }

        @Override
        public Shape outputShape(Shape input, String path) {
            return fullyConnectedOutput(input, units, path, type());
        }

        @Override
        public List<int[]> parameterShapes(Shape input) {
            return fullyConnectedParameters(input, units);
        }
    }

    private static Shape fullyConnectedOutput(Shape input, int units, String path, String type) {
        requireFlat(input, path, type);
        return Shape.vector(units);
    }

    private static List<int[]> fullyConnectedParameters(Shape input, int units) {
        return List.of(new int[] {(int) input.size(), units}, new int[] {units});
    }

    private static void requireFlat(Shape input, String path, String type) {
        if (input.isImage()) {
            throw new ModelSpecException(path, type + " needs a flat input but receives " + input + "; add a flatten layer before it");
        }
    }

    private static void requireImage(Shape input, String path, String type) {
        if (!input.isImage()) {
            throw new ModelSpecException(path, type + " needs a [channels, height, width] input but receives " + input);
        }
    }

    private static int spatial(int in, int kernel, int stride, Padding padding, String path) {
        int out = padding == Padding.SAME ? (in + stride - 1) / stride : (in - kernel) / stride + 1;
        if (out < 1 || (padding == Padding.VALID && kernel > in)) {
            throw new ModelSpecException(path, "window " + kernel + " does not fit an input of size " + in);
        }
        return out;
    }
}
