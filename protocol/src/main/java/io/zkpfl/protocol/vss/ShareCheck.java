package io.zkpfl.protocol.vss;

import io.zkpfl.zk.bn254.Fr;
import io.zkpfl.zk.bn254.G1;
import io.zkpfl.zk.bn254.MsmG1;
import io.zkpfl.zk.kzg.Kzg;
import io.zkpfl.zk.kzg.Srs;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Node {@code k}'s check of the shares it received (docs/protocol.md, "Check and complain"): with
 * random {@code γ_i}, {@code Com(Σ_i γ_i x_ik; Σ_i γ_i b_ik) = Σ_i γ_i Σ_l k^l C_il} — one MSM of size
 * {@code D} and one of size {@code n·t}. A forged share passes with probability at most {@code 1/r}
 * over the {@code γ_i}, so they must be drawn after the shares are received, from a source the
 * trainers cannot predict. On failure every share is checked on its own to name the trainers at
 * fault.
 */
public final class ShareCheck {

    private final Srs srs;
    private final VssParameters params;

    /** A check over {@code srs} for {@code params}. */
    public ShareCheck(Srs srs, VssParameters params) {
        params.requireFits(srs);
        this.srs = srs;
        this.params = params;
    }

    /**
     * The trainers (by their {@link ReceivedShare#trainer()} index) whose shares for node {@code node}
     * do not match their commitments, or are of the wrong shape; empty when all are consistent.
     *
     * @throws IllegalArgumentException if {@code node} is not in {@code 1..m}
     */
    public List<Integer> faultyTrainers(int node, List<ReceivedShare> received, RandomGenerator rng) {
        params.requireNode(node);
        List<Integer> faulty = new ArrayList<>();
        List<ReceivedShare> wellFormed = new ArrayList<>();
        for (ReceivedShare r : received) {
            if (wellFormed(node, r)) {
                wellFormed.add(r);
            } else {
                faulty.add(r.trainer());
            }
        }
        if (wellFormed.isEmpty() || batchHolds(node, wellFormed, rng)) {
            return faulty;
        }
        for (ReceivedShare r : wellFormed) {
            if (!holds(node, r)) {
                faulty.add(r.trainer());
            }
        }
        return faulty;
    }

    /** Whether one share matches its trainer's commitments: {@code Com(x_k; b_k) = Σ_l k^l C_l}. */
    public boolean holds(int node, ReceivedShare r) {
        params.requireNode(node);
        if (!wellFormed(node, r)) {
            return false;
        }
        G1 lhs = Kzg.commit(srs, r.share().values(), r.share().blinding());
        return lhs.equals(CommitmentSums.evaluate(r.commitments(), node));
    }

    private boolean batchHolds(int node, List<ReceivedShare> shares, RandomGenerator rng) {
        int t = params.threshold();
        Fr[] x = VectorOps.zeros(params.length());
        Fr[] b = VectorOps.zeros(params.blindingLength());
        G1[] bases = new G1[shares.size() * t];
        Fr[] scalars = new Fr[bases.length];
        Fr point = Fr.of(node);
        for (int i = 0; i < shares.size(); i++) {
            ReceivedShare r = shares.get(i);
            Fr gamma = Fr.random(rng);
            VectorOps.addScaledInto(x, gamma, r.share().values());
            VectorOps.addScaledInto(b, gamma, r.share().blinding());
            Fr w = gamma;
            for (int l = 0; l < t; l++) {
                bases[i * t + l] = r.commitments().get(l);
                scalars[i * t + l] = w;
                w = w.mul(point);
            }
        }
        return Kzg.commit(srs, x, b).equals(MsmG1.msm(bases, scalars));
    }

    private boolean wellFormed(int node, ReceivedShare r) {
        return r.share().node() == node
                && r.commitments().size() == params.threshold()
                && r.share().values().length == params.length()
                && r.share().blinding().length == params.blindingLength();
    }
}
