package io.zkpfl.protocol.vss;

import io.zkpfl.zk.bn254.Fr;
import io.zkpfl.zk.bn254.G1;
import io.zkpfl.zk.kzg.Kzg;
import io.zkpfl.zk.kzg.Srs;
import java.util.List;

/**
 * Anyone's side of the reveal (docs/protocol.md, "Reveal"): a reveal {@code (S_k, b_k)} is valid iff
 * {@code Com(S_k; b_k) = C_k}; {@code t} valid reveals combine with Lagrange coefficients at 0 into
 * {@code (A, b_A)}, which is accepted only if it opens {@code C_A = P_0}.
 */
public final class Reconstruction {

    private final Srs srs;
    private final VssParameters params;
    private final CommitmentSums sums;

    /** Reconstruction against the round's commitment sums. */
    public Reconstruction(Srs srs, VssParameters params, CommitmentSums sums) {
        params.requireFits(srs);
        if (sums.sums().size() != params.threshold()) {
            throw new IllegalArgumentException(
                    "expected t = " + params.threshold() + " commitment sums, got " + sums.sums().size());
        }
        this.srs = srs;
        this.params = params;
        this.sums = sums;
    }

    /** Whether {@code reveal} is node {@code k}'s partial: right shape and {@code Com(S_k; b_k) = C_k}. */
    public boolean revealMatches(Share reveal) {
        if (reveal.node() < 1 || reveal.node() > params.committeeSize()
                || reveal.values().length != params.length()
                || reveal.blinding().length != params.blindingLength()) {
            return false;
        }
        return opens(sums.forNode(reveal.node()), reveal);
    }

    /**
     * {@code (A, b_A)} from exactly {@code t} reveals of distinct nodes, each checked against its
     * {@code C_k}, the result checked against {@code C_A}.
     *
     * @throws IllegalArgumentException naming the node whose reveal does not open its {@code C_k}, a
     *     wrong count or a repeated node, or saying that the combination does not open {@code C_A}
     */
    public Share combine(List<Share> reveals) {
        if (reveals.size() != params.threshold()) {
            throw new IllegalArgumentException(
                    "reconstruction needs exactly t = " + params.threshold() + " reveals, got " + reveals.size());
        }
        int[] points = new int[reveals.size()];
        for (int a = 0; a < points.length; a++) {
            Share s = reveals.get(a);
            if (!revealMatches(s)) {
                throw new IllegalArgumentException("reveal of node " + s.node() + " does not open its commitment C_k");
            }
            points[a] = s.node();
        }
        Share result = interpolate(reveals, Lagrange.atZero(points));
        if (!opens(sums.aggregate(), result)) {
            throw new IllegalArgumentException("combined reveals do not open the round's commitment C_A");
        }
        return result;
    }

    /** {@code Σ_a λ_a·reveal_a} for given coefficients, as node 0; no check. */
    public static Share interpolate(List<Share> reveals, Fr[] coefficients) {
        if (coefficients.length != reveals.size() || reveals.isEmpty()) {
            throw new IllegalArgumentException("one coefficient per reveal is needed");
        }
        Fr[] v = VectorOps.zeros(reveals.get(0).values().length);
        Fr[] b = VectorOps.zeros(reveals.get(0).blinding().length);
        for (int a = 0; a < coefficients.length; a++) {
            VectorOps.addScaledInto(v, coefficients[a], reveals.get(a).values());
            VectorOps.addScaledInto(b, coefficients[a], reveals.get(a).blinding());
        }
        return new Share(0, v, b);
    }

    /** Whether {@code Com(s.values; s.blinding) = c}. */
    public boolean opens(G1 c, Share s) {
        return Kzg.commit(srs, s.values(), s.blinding()).equals(c);
    }
}
