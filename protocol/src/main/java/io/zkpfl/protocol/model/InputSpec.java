package io.zkpfl.protocol.model;

/** Shape of one input sample: {@code [features]} or {@code [channels, height, width]}. */
public record InputSpec(Shape shape) {
}
