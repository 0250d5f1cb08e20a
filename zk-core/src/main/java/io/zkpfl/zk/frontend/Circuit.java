package io.zkpfl.zk.frontend;

/**
 * A circuit in gnark's style: {@link #define(Api)} declares the public inputs first, then secret
 * inputs, and states constraints with the {@link Api}. Compile it with {@link Compiler#compile}.
 */
@FunctionalInterface
public interface Circuit {

    /** Declares inputs and constraints. Must be deterministic: compiling twice gives the same system. */
    void define(Api api);
}
