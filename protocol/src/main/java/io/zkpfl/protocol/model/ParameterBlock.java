package io.zkpfl.protocol.model;

import java.util.Arrays;

/**
 * One contiguous block of the canonical flat parameter vector: the weights {@code "W"} or biases
 * {@code "b"} of layer {@code layerIndex}, stored row-major with the given shape from {@code offset}
 * for {@code length} floats.
 */
public record ParameterBlock(int layerIndex, String name, int[] shape, long offset, long length) {

    public ParameterBlock {
        shape = shape.clone();
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParameterBlock p
                && layerIndex == p.layerIndex
                && name.equals(p.name)
                && Arrays.equals(shape, p.shape)
                && offset == p.offset
                && length == p.length;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * layerIndex + name.hashCode()) + Arrays.hashCode(shape) + Long.hashCode(offset);
    }

    @Override
    public String toString() {
        return "layers[" + layerIndex + "]." + name + Arrays.toString(shape) + "@" + offset;
    }
}
