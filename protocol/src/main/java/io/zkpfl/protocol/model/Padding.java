package io.zkpfl.protocol.model;

/** Convolution padding: {@code valid} (no padding) or {@code same} (output size = ceil(input / stride)). */
public enum Padding {
    VALID, SAME
}
