package io.zkpfl.protocol.vss;

import io.zkpfl.zk.bn254.Fr;
import io.zkpfl.zk.bn254.G1;
import io.zkpfl.zk.bn254.MsmG1;
import java.util.ArrayList;
import java.util.List;

/**
 * The contract's running sums {@code P_l = Σ_{i∈I} C_il} (docs/protocol.md, "Partials and openings"),
 * from which node {@code k}'s partial commitment {@code C_k = Σ_l k^l·P_l} and the round's result
 * {@code C_A = P_0} follow.
 */
public record CommitmentSums(List<G1> sums) {

    public CommitmentSums {
        if (sums.isEmpty()) {
            throw new IllegalArgumentException("commitment sums need at least P_0");
        }
        sums = List.copyOf(sums);
    }

    /**
     * Sums the included trainers' commitments coordinate-wise.
     *
     * @throws IllegalArgumentException if the list is empty or trainers posted different counts
     */
    public static CommitmentSums of(List<List<G1>> perTrainer) {
        if (perTrainer.isEmpty()) {
            throw new IllegalArgumentException("no trainer's commitments to sum");
        }
        int t = perTrainer.get(0).size();
        List<G1> p = new ArrayList<>(t);
        for (int l = 0; l < t; l++) {
            G1 acc = G1.INFINITY;
            for (List<G1> c : perTrainer) {
                if (c.size() != t) {
                    throw new IllegalArgumentException("every trainer must post " + t + " commitments, one posted " + c.size());
                }
                acc = acc.add(c.get(l));
            }
            p.add(acc.normalize());
        }
        return new CommitmentSums(p);
    }

    /** {@code C_k = Σ_l k^l·P_l}: the commitment node {@code k}'s partial must open. */
    public G1 forNode(int k) {
        return evaluate(sums, k);
    }

    /** {@code C_A = P_0}: the commitment only the exact sum of the included updates opens. */
    public G1 aggregate() {
        return sums.get(0);
    }

    /** {@code Σ_l k^l·c_l}. */
    static G1 evaluate(List<G1> c, int k) {
        G1[] bases = c.toArray(new G1[0]);
        Fr[] scalars = new Fr[bases.length];
        Fr point = Fr.of(k);
        Fr power = Fr.ONE;
        for (int l = 0; l < bases.length; l++) {
            scalars[l] = power;
            power = power.mul(point);
        }
        return MsmG1.msm(bases, scalars);
    }
}
