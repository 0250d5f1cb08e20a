package io.zkpfl.protocol.model;

/** Training loss: multi-class cross entropy (with a softmax output) or mean squared error. */
public enum Loss {
    CROSS_ENTROPY, MSE
}
