package io.zkpfl.zk.frontend;

/** Compiles a {@link Circuit} to a rank-1 constraint system with its witness solver. */
public final class Compiler {

    private Compiler() {
    }

    /**
     * Runs {@code circuit.define} and returns the compiled system.
     *
     * @throws IllegalArgumentException or IllegalStateException if the circuit misuses the API
     */
    public static CompiledCircuit compile(Circuit circuit) {
        Api api = new Api();
        circuit.define(api);
        return api.finish();
    }
}
