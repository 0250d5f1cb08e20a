package io.zkpfl.zk.stmt;

import io.zkpfl.zk.bn254.Fr;
import io.zkpfl.zk.frontend.Api;
import io.zkpfl.zk.frontend.Assignment;
import io.zkpfl.zk.frontend.Circuit;
import io.zkpfl.zk.frontend.Variable;
import io.zkpfl.zk.std.poseidon.PoseidonSponge;

/**
 * SharesStatement(D, m): one trainer's {@code m} shares in one proof, the conjunction of {@code m}
 * {@link FingerprintStatement} instances over one tag base (ADR 0054).
 *
 * <p>Public inputs, in this order: {@code tag} (the trainer's tag base), {@code rho},
 * {@code c[0..m-1]} (the share commitments), {@code y[0..m-1]} (the fingerprints). Secret inputs:
 * {@code salt[0..m-1]} and {@code S1..Sm} of {@code D} elements each. For {@code k = 1..m}, share
 * {@code k} satisfies Stmt(D) with tag {@code tag + k}: {@code H_D(tag + k, salt[k-1], Sk) = c[k-1]}
 * and {@code φ_rho(Sk) = y[k-1]}, so a share's commitment and fingerprint are the very values a
 * Stmt(D) proof of that share (tag {@code tag + k}) would carry. Cost: {@code m} times Stmt(D); the
 * tag additions are linear and free.
 */
public final class SharesStatement implements Circuit {

    /** Largest committee size (as the job market's {@code MAX_COMMITTEE}). */
    public static final int MAX_M = 16;

    private final int d;
    private final int m;

    /**
     * @throws IllegalArgumentException unless {@code d} is a power of two in {@code [1, 2^20]} and
     *     {@code 1 ≤ m ≤ 16}
     */
    public SharesStatement(int d, int m) {
        if (d < 1 || d > FingerprintStatement.MAX_D || Integer.bitCount(d) != 1) {
            throw new IllegalArgumentException("D must be a power of two in [1, 2^20], got " + d);
        }
        if (m < 1 || m > MAX_M) {
            throw new IllegalArgumentException("m must be in [1, " + MAX_M + "], got " + m);
        }
        this.d = d;
        this.m = m;
    }

    /** The bucket size D. */
    public int size() {
        return d;
    }

    /** The number of shares m. */
    public int shares() {
        return m;
    }

    /** The tag of share {@code k} (1-based) under tag base {@code base}: {@code base + k}. */
    public static Fr shareTag(Fr base, int k) {
        return base.add(Fr.of(k));
    }

    @Override
    public void define(Api api) {
        Variable tag = api.publicInput("tag");
        Variable rho = api.publicInput("rho");
        Variable[] c = api.publicInputs("c", m);
        Variable[] y = api.publicInputs("y", m);
        Variable[] salt = api.secretInputs("salt", m);
        Variable[][] s = new Variable[m][];
        for (int k = 0; k < m; k++) {
            s[k] = api.secretInputs("S" + (k + 1), d);
        }
        for (int k = 0; k < m; k++) {
            int share = k + 1;
            Variable tagK = api.add(tag, api.constant(share));
            api.scope("share" + share, () -> {
                FingerprintStatement.constrain(api, tagK, c[share - 1], rho, y[share - 1], salt[share - 1], s[share - 1]);
                return null;
            });
        }
    }

    /**
     * The assignment for tag base {@code tag}, the salts and shares {@code s[k]} and {@code rho}, with
     * {@code c[k] = H_D(tag + k + 1, salt[k], s[k])} and {@code y[k] = φ_rho(s[k])} computed natively.
     *
     * @throws IllegalArgumentException if there are not m salts and m shares of D elements
     */
    public Assignment witness(Fr tag, Fr[] salts, Fr[][] s, Fr rho) {
        if (salts.length != m || s.length != m) {
            throw new IllegalArgumentException("need " + m + " salts and shares, got " + salts.length + " and " + s.length);
        }
        for (int k = 0; k < m; k++) {
            if (s[k].length != d) {
                throw new IllegalArgumentException("share " + (k + 1) + " must have " + d + " elements, got " + s[k].length);
            }
        }
        Fr[] c = new Fr[m];
        Fr[] y = new Fr[m];
        Assignment.Builder b = Assignment.builder().set("tag", tag).set("rho", rho).set("salt", salts);
        for (int k = 0; k < m; k++) {
            c[k] = PoseidonSponge.commit(shareTag(tag, k + 1), salts[k], s[k]);
            y[k] = Fingerprint.of(rho, s[k]);
            b.set("S" + (k + 1), s[k]);
        }
        return b.set("c", c).set("y", y).build();
    }

    @Override
    public String toString() {
        return "SharesStatement[D=" + d + ", m=" + m + "]";
    }
}
