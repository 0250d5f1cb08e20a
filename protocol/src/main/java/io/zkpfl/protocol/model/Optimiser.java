package io.zkpfl.protocol.model;

/** Local optimiser a trainer uses for its epochs. */
public enum Optimiser {
    SGD, MOMENTUM, ADAM
}
