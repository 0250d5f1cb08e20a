package io.zkpfl.zk.stmt;

import io.zkpfl.zk.bn254.Fr;
import io.zkpfl.zk.frontend.Api;
import io.zkpfl.zk.frontend.Assignment;
import io.zkpfl.zk.frontend.Circuit;
import io.zkpfl.zk.frontend.Variable;
import io.zkpfl.zk.std.poseidon.PoseidonSponge;

/**
 * The v1 statement circuit Stmt(D) (docs/zk-core.md) for a size bucket {@code D} (a power of two).
 *
 * <p>Public inputs, in this order: {@code tag, h, rho, y}. Secret inputs: {@code salt} and
 * {@code S[D]}. Constraints: {@code H_D(tag, salt, S) = h} ({@link PoseidonSponge#commit}) and
 * {@code Σ_j S_j · rho^j = y} (Horner, {@code D - 1} products). Cost:
 * {@code 612 · ceil((D + 2) / 16) + D - 2} constraints for {@code D ≥ 16} (the first S-box of the
 * capacity lane acts on the constant D and is free), about 39.3 per element for large D.
 */
public final class FingerprintStatement implements Circuit {

    /** Largest supported bucket. */
    public static final int MAX_D = 1 << 20;

    private final int d;

    /**
     * @throws IllegalArgumentException unless {@code d} is a power of two in {@code [1, 2^20]}
     */
    public FingerprintStatement(int d) {
        if (d < 1 || d > MAX_D || Integer.bitCount(d) != 1) {
            throw new IllegalArgumentException("D must be a power of two in [1, 2^20], got " + d);
        }
        this.d = d;
    }

    /** The bucket size D. */
    public int size() {
        return d;
    }

    @Override
    public void define(Api api) {
        Variable tag = api.publicInput("tag");
        Variable h = api.publicInput("h");
        Variable rho = api.publicInput("rho");
        Variable y = api.publicInput("y");
        Variable salt = api.secretInput("salt");
        Variable[] s = api.secretInputs("S", d);
        constrain(api, tag, h, rho, y, salt, s);
    }

    /**
     * The gadget of one Stmt(D) instance, shared with {@link SharesStatement}: {@code H_D(tag, salt, S) = h}
     * under the label {@code hash}, then {@code φ_rho(S) = y} under {@code fingerprint}.
     */
    static void constrain(Api api, Variable tag, Variable h, Variable rho, Variable y, Variable salt, Variable[] s) {
        api.scope("hash", () -> {
            api.assertIsEqual(PoseidonSponge.commit(api, tag, salt, s), h);
            return null;
        });
        api.scope("fingerprint", () -> {
            Variable acc = s[s.length - 1];
            for (int j = s.length - 2; j >= 0; j--) {
                acc = api.add(api.mul(acc, rho), s[j]);
            }
            api.assertIsEqual(acc, y);
            return null;
        });
    }

    /**
     * The assignment for {@code (tag, salt, S, rho)}, with {@code h = H_D(tag, salt, S)} and
     * {@code y = φ_rho(S)} computed natively.
     *
     * @throws IllegalArgumentException if {@code s.length != D}
     */
    public Assignment witness(Fr tag, Fr salt, Fr[] s, Fr rho) {
        if (s.length != d) {
            throw new IllegalArgumentException("S must have " + d + " elements, got " + s.length);
        }
        return Assignment.builder()
                .set("tag", tag)
                .set("h", PoseidonSponge.commit(tag, salt, s))
                .set("rho", rho)
                .set("y", Fingerprint.of(rho, s))
                .set("salt", salt)
                .set("S", s)
                .build();
    }

    @Override
    public String toString() {
        return "FingerprintStatement[D=" + d + "]";
    }
}
