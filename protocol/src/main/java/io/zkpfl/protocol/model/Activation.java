package io.zkpfl.protocol.model;

/** Activation function of a layer, named in JSON in lower case (e.g. {@code "relu"}). */
public enum Activation {
    RELU, LEAKY_RELU, SIGMOID, TANH, SOFTMAX, IDENTITY;

    /** True for the ReLU family, whose layers are initialised with He rather than Xavier. */
    public boolean isRectifier() {
        return this == RELU || this == LEAKY_RELU;
    }
}
