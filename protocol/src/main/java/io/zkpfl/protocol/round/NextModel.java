package io.zkpfl.protocol.round;

import io.zkpfl.protocol.vss.CommitmentSums;
import io.zkpfl.protocol.vss.Reconstruction;
import io.zkpfl.protocol.vss.Share;
import io.zkpfl.protocol.vss.VssParameters;
import io.zkpfl.zk.kzg.Srs;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The round's result as every party computes it (docs/protocol.md, steps 8 and 9): from the reveals posted for one
 * attempt, keep those of the attempt whose {@code S_k ‖ b_k} opens the contract's {@code C_k}, combine the first
 * {@code t} of distinct nodes, check that {@code A} opens {@code C_A}, and apply {@link ModelStep}. Trainers, the
 * reward engine and auditors use this one path, so they agree on {@code w'} bit for bit.
 */
public final class NextModel {

    /**
     * @param aggregate   {@code (A, b_A)}, as node 0
     * @param weights     {@code w'}
     * @param weightsHash keccak-256 of {@code w'}'s canonical bytes: what the evaluator posts on chain
     * @param used        the nodes whose reveals were combined, ascending
     * @param rejected    why each other reveal was not used, by node (a node with two reveals keeps the first valid)
     */
    public record Result(Share aggregate, float[] weights, byte[] weightsHash, List<Integer> used,
                         Map<Integer, String> rejected) {
    }

    private final Srs srs;
    private final VssParameters params;

    public NextModel(Srs srs, VssParameters params) {
        params.requireFits(srs);
        this.srs = srs;
        this.params = params;
    }

    /**
     * @param sums         the attempt's commitment sums {@code P_0 … P_{t−1}} over the included trainers, as the
     *                     contract holds them
     * @param reveals      the reveals found for the attempt, in any order, any number
     * @param current      the model {@code w} the round trained from
     * @param totalSamples {@code Σ n_i} of the included trainers, as the contract summed it
     * @throws IllegalStateException if fewer than {@code t} reveals are valid, saying why each was refused
     * @throws IllegalArgumentException if the combination does not open {@code C_A} (impossible with valid
     *                                  reveals and the right sums; it means the sums are not the attempt's)
     */
    public Result compute(BigInteger job, long round, long attempt, CommitmentSums sums, List<Reveal> reveals,
                          float[] current, BigInteger totalSamples) {
        Reconstruction reconstruction = new Reconstruction(srs, params, sums);
        TreeMap<Integer, Share> valid = new TreeMap<>();
        Map<Integer, String> rejected = new LinkedHashMap<>();
        for (Reveal r : reveals) {
            int k = r.partial().node();
            if (!r.jobId().equals(job) || r.round() != round || r.attempt() != attempt) {
                rejected.putIfAbsent(k, "reveal is for job " + r.jobId() + " round " + r.round() + " attempt "
                        + r.attempt() + ", not " + job + "/" + round + "/" + attempt);
            } else if (valid.containsKey(k)) {
                continue;
            } else if (!reconstruction.revealMatches(r.partial())) {
                rejected.put(k, "S_k ‖ b_k does not open C_" + k);
            } else {
                valid.put(k, r.partial());
                rejected.remove(k);
            }
        }
        if (valid.size() < params.threshold()) {
            throw new IllegalStateException("only " + valid.size() + " of the t = " + params.threshold()
                    + " reveals needed open their commitments" + (rejected.isEmpty() ? "" : "; refused: " + rejected));
        }
        List<Share> chosen = new ArrayList<>(valid.values()).subList(0, params.threshold());
        Share a = reconstruction.combine(chosen);
        float[] next = ModelStep.apply(current, a.values(), totalSamples);
        valid.keySet().stream().skip(params.threshold()).forEach(k -> rejected.put(k, "not needed: t reveals came first"));
        return new Result(a, next, ModelStep.weightsHash(next), chosen.stream().map(Share::node).toList(), rejected);
    }
}
