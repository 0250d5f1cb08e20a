package io.zkpfl.zk.frontend;

/**
 * A declared circuit input: its name, visibility, number of elements, whether it was declared as
 * an array, and the wire of its first element in the compiled system (elements are consecutive).
 */
public record InputSpec(String name, boolean isPublic, int length, boolean array, int firstWire) {
}
