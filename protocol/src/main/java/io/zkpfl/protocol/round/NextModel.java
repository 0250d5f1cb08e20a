package io.zkpfl.protocol.round;

import io.zkpfl.protocol.vss.CommitmentSums;
import io.zkpfl.protocol.vss.Lagrange;
import io.zkpfl.protocol.vss.Reconstruction;
import io.zkpfl.protocol.vss.Share;
import io.zkpfl.protocol.vss.VssParameters;
import io.zkpfl.zk.bn254.G1;
import io.zkpfl.zk.kzg.Srs;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;

/**
 * The round's result as every party computes it (docs/protocol.md, steps 8 and 9). Trainers, the reward engine and
 * auditors use this one path, so they agree on {@code w'} bit for bit.
 *
 * <p>Two checks (docs/adr/0108-result-point-bound-to-the-aggregate.md):
 * <ul>
 *   <li>Against the chain's {@code ResultOpened} ({@link #compute(BigInteger, long, long, CommitmentSums, List, float[],
 *   BigInteger, ResultBinding.Claim)}): combine {@code t} well-formed reveals of distinct nodes with Lagrange
 *   coefficients (no MSM) and accept {@code A} if it hashes to the claim's {@code aggregateHash} and {@code A(z) = y}.
 *   Other {@code t}-subsets are tried (cheaply) before anything else.</li>
 *   <li>Per reveal ({@link #compute(BigInteger, long, long, CommitmentSums, List, float[], BigInteger)}, also the
 *   fallback): keep the reveals whose {@code S_k ‖ b_k} opens the contract's {@code C_k} (one MSM each, naming those
 *   that do not), combine the first {@code t} of distinct nodes and check that {@code A} opens {@code C_A}.</li>
 * </ul>
 * The engine, which posts the opening, uses {@link #aggregate}: combine, open at the point bound to the aggregate's
 * hash, verify with one pairing against {@code C_A}, and only if that fails check reveal by reveal.
 */
public final class NextModel {

    /** How many {@code t}-subsets of the reveals the cheap check tries before the per-reveal MSM check. */
    static final int MAX_SUBSETS = 16;

    /**
     * @param aggregate   {@code (A, b_A)}, as node 0
     * @param weights     {@code w'}
     * @param weightsHash keccak-256 of {@code w'}'s canonical bytes: what the evaluator posts on chain
     * @param used        the nodes whose reveals were combined, ascending
     * @param rejected    why each other reveal was not used, by node (a node with two reveals keeps the first valid)
     * @param check       how {@code A} was accepted: {@code "result-opened"} (hash and evaluation against the chain's
     *                    ResultOpened), {@code "opening"} (one pairing against {@code C_A}) or {@code "per-reveal"}
     *                    (every reveal against its {@code C_k}, {@code A} against {@code C_A})
     */
    public record Result(Share aggregate, float[] weights, byte[] weightsHash, List<Integer> used,
                         Map<Integer, String> rejected, String check) {
    }

    /**
     * The engine's result with the opening it posts.
     *
     * @param result the round's result
     * @param posted {@code aggregateHash} and the opening of {@code C_A} at the point bound to it, verified
     */
    public record Aggregated(Result result, ResultBinding.Posted posted) {
    }

    private final Srs srs;
    private final VssParameters params;

    public NextModel(Srs srs, VssParameters params) {
        params.requireFits(srs);
        this.srs = srs;
        this.params = params;
    }

    /**
     * The cheap check against the chain's {@code ResultOpened}, falling back to the per-reveal check if no
     * {@code t}-subset of the reveals gives the claimed aggregate.
     *
     * @param claim what {@code ResultOpened} says for this attempt; {@code null}: per-reveal check only
     * @throws IllegalStateException if fewer than {@code t} reveals are valid, saying why each was refused
     * @throws IllegalArgumentException if the combination does not open {@code C_A}
     */
    public Result compute(BigInteger job, long round, long attempt, CommitmentSums sums, List<Reveal> reveals,
                          float[] current, BigInteger totalSamples, ResultBinding.Claim claim) {
        // a claim whose z is not bound to its own hash fits no aggregate: straight to the per-reveal check
        if (claim != null && ResultBinding.point(sums.aggregate(), attempt, claim.aggregateHash()).equals(claim.z())) {
            Map<Integer, String> rejected = new LinkedHashMap<>();
            List<Share> candidates = wellFormed(job, round, attempt, reveals, rejected);
            int tried = 0;
            for (int[] subset : subsets(candidates.size(), params.threshold())) {
                if (tried++ == MAX_SUBSETS) {
                    break;
                }
                List<Share> chosen = pick(candidates, subset);
                Share a = combineUnchecked(chosen);
                if (claim.refusal(a, sums.aggregate(), attempt) == null) {
                    for (Share s : candidates) {
                        if (!chosen.contains(s)) {
                            rejected.put(s.node(), "not needed: t reveals gave the chain's result");
                        }
                    }
                    return result(a, chosen, rejected, current, totalSamples, "result-opened");
                }
            }
            // a reveal is bad (or missing): the per-reveal check below names it
        }
        return compute(job, round, attempt, sums, reveals, current, totalSamples);
    }

    /**
     * The per-reveal check: every reveal against its {@code C_k} (one MSM each), {@code A} against {@code C_A}.
     *
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
            if (valid.size() == params.threshold()) {
                break; // enough: the rest is not checked (one MSM each)
            }
        }
        if (valid.size() < params.threshold()) {
            throw new IllegalStateException("only " + valid.size() + " of the t = " + params.threshold()
                    + " reveals needed open their commitments" + (rejected.isEmpty() ? "" : "; refused: " + rejected));
        }
        List<Share> chosen = new ArrayList<>(valid.values());
        Share a = combineUnchecked(chosen);
        if (!reconstruction.opens(sums.aggregate(), a)) {
            throw new IllegalArgumentException("combined reveals do not open the round's commitment C_A");
        }
        return result(a, chosen, rejected, current, totalSamples, "per-reveal");
    }

    /**
     * The engine's step: combine the first {@code t} well-formed reveals, open {@code Com(A; b_A)} at the point bound
     * to its hash and verify that opening against {@code C_A} with one pairing (which holds only if
     * {@code Com(A; b_A) = C_A}, so neither the per-reveal MSMs nor the {@code C_A} MSM are needed). If it does not
     * verify, the per-reveal check finds {@code t} valid reveals (naming the others) and their result is opened.
     *
     * @throws IllegalStateException if fewer than {@code t} reveals are valid
     * @throws IllegalArgumentException if even the per-reveal result does not open {@code C_A}
     */
    public Aggregated aggregate(BigInteger job, long round, long attempt, CommitmentSums sums, List<Reveal> reveals,
                                float[] current, BigInteger totalSamples) {
        G1 ca = sums.aggregate();
        Map<Integer, String> rejected = new LinkedHashMap<>();
        List<Share> candidates = wellFormed(job, round, attempt, reveals, rejected);
        if (candidates.size() >= params.threshold()) {
            List<Share> chosen = candidates.subList(0, params.threshold());
            Share a = combineUnchecked(chosen);
            ResultBinding.Posted posted = ResultBinding.open(srs, a, ca, attempt);
            if (posted.verifies(srs, ca)) {
                candidates.stream().skip(params.threshold())
                        .forEach(s -> rejected.put(s.node(), "not needed: t reveals came first"));
                return new Aggregated(result(a, chosen, rejected, current, totalSamples, "opening"), posted);
            }
        }
        Result r = compute(job, round, attempt, sums, reveals, current, totalSamples);
        ResultBinding.Posted posted = ResultBinding.open(srs, r.aggregate(), ca, attempt);
        if (!posted.verifies(srs, ca)) {
            throw new IllegalArgumentException("the opening of the combined reveals does not verify against C_A");
        }
        return new Aggregated(r, posted);
    }

    /** The attempt's reveals of the right shape, first of each node, ascending by node; the rest into rejected. */
    private List<Share> wellFormed(BigInteger job, long round, long attempt, List<Reveal> reveals,
                                   Map<Integer, String> rejected) {
        TreeMap<Integer, Share> byNode = new TreeMap<>();
        for (Reveal r : reveals) {
            Share p = r.partial();
            int k = p.node();
            if (!r.jobId().equals(job) || r.round() != round || r.attempt() != attempt) {
                rejected.putIfAbsent(k, "reveal is for job " + r.jobId() + " round " + r.round() + " attempt "
                        + r.attempt() + ", not " + job + "/" + round + "/" + attempt);
            } else if (k > params.committeeSize() || p.values().length != params.length()
                    || p.blinding().length != params.blindingLength()) {
                rejected.putIfAbsent(k, "reveal has the wrong shape (node " + k + ", D = " + p.values().length
                        + ", blinding " + p.blinding().length + ")");
            } else {
                byNode.putIfAbsent(k, p);
                rejected.remove(k);
            }
        }
        return new ArrayList<>(byNode.values());
    }

    private Result result(Share a, List<Share> chosen, Map<Integer, String> rejected, float[] current,
                          BigInteger totalSamples, String check) {
        float[] next = ModelStep.apply(current, a.values(), totalSamples);
        return new Result(a, next, ModelStep.weightsHash(next), chosen.stream().map(Share::node).toList(), rejected,
                check);
    }

    private static Share combineUnchecked(List<Share> chosen) {
        int[] points = chosen.stream().mapToInt(Share::node).toArray();
        return Reconstruction.interpolate(chosen, Lagrange.atZero(points));
    }

    private static List<Share> pick(List<Share> from, int[] subset) {
        List<Share> out = new ArrayList<>(subset.length);
        for (int i : subset) {
            out.add(from.get(i));
        }
        return out;
    }

    /** The {@code k}-subsets of {@code 0 … n−1} in lexicographic order. */
    static Iterable<int[]> subsets(int n, int k) {
        return () -> new Iterator<>() {
            private int[] next = k <= n && k > 0 ? java.util.stream.IntStream.range(0, k).toArray() : null;

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public int[] next() {
                if (next == null) {
                    throw new NoSuchElementException();
                }
                int[] out = next.clone();
                int i = k - 1;
                while (i >= 0 && next[i] == n - k + i) {
                    i--;
                }
                if (i < 0) {
                    next = null;
                } else {
                    next[i]++;
                    for (int j = i + 1; j < k; j++) {
                        next[j] = next[j - 1] + 1;
                    }
                }
                return out;
            }
        };
    }
}
