package io.zkpfl.protocol.model;

import java.util.Arrays;

/**
 * Shape of an activation: either a feature vector {@code [n]} or an image {@code [channels, height, width]}.
 */
public record Shape(int[] dims) {

    public Shape {
        dims = dims.clone();
    }

    public static Shape vector(int n) {
        return new Shape(new int[] {n});
    }

    public static Shape image(int channels, int height, int width) {
        return new Shape(new int[] {channels, height, width});
    }

    public boolean isImage() {
        return dims.length == 3;
    }

    public int channels() {
        return requireImage()[0];
    }

    public int height() {
        return requireImage()[1];
    }

    public int width() {
        return requireImage()[2];
    }

    /** Number of scalars in an activation of this shape. */
    public long size() {
        long n = 1;
        for (int d : dims) {
            n *= d;
        }
        return n;
    }

    @Override
    public int[] dims() {
        return dims.clone();
    }

    private int[] requireImage() {
        if (!isImage()) {
            throw new IllegalStateException("not an image shape: " + this);
        }
        return dims;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return Arrays.toString(dims);
    }
}
