package io.zkpfl.protocol.model;

import java.util.List;
import java.util.Random;

/**
 * Seeded initial weights in canonical flat order: He-normal for layers with a ReLU-family activation,
 * Xavier-normal (Glorot) otherwise, zero biases. The same spec and seed give the same bits on every JVM.
 */
public final class WeightInitializer {

    private WeightInitializer() {
    }

    /** Initial parameters for {@code spec}, deterministic in {@code seed}. */
    public static float[] initialise(ModelSpec spec, long seed) {
        float[] values = new float[(int) spec.parameterCount()];
        Random random = new Random(seed);
        List<Layer> layers = spec.layers();
        for (ParameterBlock block : spec.parameterLayout()) {
            if (!block.name().equals("W")) {
                continue;
            }
            int[] shape = block.shape();
            Layer layer = layers.get(block.layerIndex());
            double fanIn;
            double fanOut;
            Activation activation;
            if (layer instanceof Layer.Conv2d conv) {
                double receptive = (double) shape[2] * shape[3];
                fanIn = shape[1] * receptive;
                fanOut = shape[0] * receptive;
                activation = conv.activation();
            } else {
                fanIn = shape[0];
                fanOut = shape[1];
                activation = layer instanceof Layer.Dense d ? d.activation() : ((Layer.Output) layer).activation();
            }
            double std = activation.isRectifier() ? Math.sqrt(2.0 / fanIn) : Math.sqrt(2.0 / (fanIn + fanOut));
            for (long i = block.offset(); i < block.offset() + block.length(); i++) {
                values[(int) i] = (float) (random.nextGaussian() * std);
            }
        }
        return values;
    }
}
