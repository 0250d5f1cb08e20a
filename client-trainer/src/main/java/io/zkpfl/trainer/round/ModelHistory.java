package io.zkpfl.trainer.round;

import io.zkpfl.contracts.MarketEvent;
import io.zkpfl.protocol.ipfs.Cid;
import io.zkpfl.protocol.ipfs.KuboClient;
import io.zkpfl.protocol.round.NextModel;
import io.zkpfl.protocol.round.Reveal;
import io.zkpfl.protocol.round.ResultBinding;
import io.zkpfl.protocol.vss.CommitmentSums;
import io.zkpfl.protocol.vss.VssParameters;
import io.zkpfl.trainer.chain.TrainerChain;
import io.zkpfl.zk.bn254.G1;
import io.zkpfl.zk.kzg.Srs;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * The model a round trains from, recomputed by the trainer itself (docs/protocol.md, step 9; docs/adr/0067): from the
 * initial weights (checked against the signed modelHash), every aggregated round of the job is replayed with
 * {@link NextModel} from the reveals its nodes posted (PartialRevealed CIDs, read from IPFS and checked against the
 * contract-derived C_k), the commitment sums of its included trainers (RoundCommitted points of the IncludedSetFixed
 * set, which must equal the certified C_A) and its Σn; {@code A} is accepted by its hash and one evaluation against the
 * round's ResultOpened event, and reveal by reveal against C_k only if that fails (ADR 0108). Each step must chain to the contract's model value
 * {@code keccak256(abi.encode(model, C_A.x, C_A.y, Σn))}, and w' must hash to the weights the evaluator posted with
 * the round's result; anything else is a model hash mismatch.
 */
final class ModelHistory {

    private final BigInteger job;
    private float[] weights;
    private byte[] model;

    ModelHistory(BigInteger job, float[] initialWeights, byte[] initialModelHash) {
        this.job = job;
        this.weights = initialWeights;
        this.model = initialModelHash;
    }

    /** The chain's model value for {@code (previous, C_A, Σn)}. */
    static byte[] chained(byte[] previous, BigInteger cx, BigInteger cy, long sampleSum) {
        byte[] enc = new byte[128];
        System.arraycopy(previous, 0, enc, 0, 32);
        System.arraycopy(Numeric.toBytesPadded(cx, 32), 0, enc, 32, 32);
        System.arraycopy(Numeric.toBytesPadded(cy, 32), 0, enc, 64, 32);
        System.arraycopy(Numeric.toBytesPadded(BigInteger.valueOf(sampleSum), 32), 0, enc, 96, 32);
        return Hash.sha3(enc);
    }

    /**
     * The weights whose chain value is {@code chainModel}.
     *
     * @throws TrainerException (refused) when the posted data does not lead to {@code chainModel}
     */
    float[] current(byte[] chainModel, TrainerChain chain, KuboClient ipfs, Srs srs, VssParameters params, PrintWriter out) {
        if (Arrays.equals(chainModel, model)) {
            return weights;
        }
        var aggregated = chain.events(MarketEvent.RoundAggregated.class, job, 0);
        for (var agg : aggregated) {
            long sampleSum = agg.sampleSum();
            byte[] next = chained(model, agg.resultX(), agg.resultY(), sampleSum);
            if (!Arrays.equals(next, agg.model())) {
                continue; // a round before the one this history stands at
            }
            int round = agg.round();
            int attempt = agg.attempt();
            NextModel.Result r = step(chain, ipfs, srs, params, agg, round, attempt, sampleSum);
            float[] w = r.weights();
            out.println("round " + round + " attempt " + attempt + ": recomputed the aggregated model from the reveals ("
                    + JobModel.hex(r.weightsHash()) + ", nodes " + r.used() + ", checked "
                    + ("result-opened".equals(r.check()) ? "against ResultOpened" : "reveal by reveal") + ")");
            out.flush();
            weights = w;
            model = next;
            if (Arrays.equals(chainModel, model)) {
                return weights;
            }
        }
        throw TrainerException.refused("model hash mismatch: the chain's model " + JobModel.hex(chainModel)
                + " does not follow from the initial weights and the aggregated rounds posted on chain");
    }

    private NextModel.Result step(TrainerChain chain, KuboClient ipfs, Srs srs, VssParameters params,
                         MarketEvent.RoundAggregated agg, int round, int attempt, long sampleSum) {
        List<String> included = new ArrayList<>();
        for (var e : chain.events(MarketEvent.IncludedSetFixed.class, job, 0)) {
            if (e.round() == round && e.attempt() == attempt) {
                included.addAll(e.included());
            }
        }
        List<List<G1>> commitments = new ArrayList<>();
        for (var e : chain.events(MarketEvent.RoundCommitted.class, job, 0)) {
            if (e.round() == round && e.attempt() == attempt
                    && included.stream().anyMatch(e.trainer()::equalsIgnoreCase)) {
                commitments.add(ChainWords.points(e.points()));
            }
        }
        if (commitments.size() != included.size() || commitments.isEmpty()) {
            throw TrainerException.refused("model hash mismatch: round " + round + " attempt " + attempt + " includes "
                    + included.size() + " trainers but " + commitments.size() + " of their commitments are on chain");
        }
        CommitmentSums sums = CommitmentSums.of(commitments);
        if (!sums.aggregate().equals(ChainWords.point(agg.resultX(), agg.resultY()))) {
            throw TrainerException.refused("model hash mismatch: round " + round + "'s included commitments do not sum to"
                    + " the certified C_A");
        }
        List<Reveal> reveals = new ArrayList<>();
        for (var e : chain.events(MarketEvent.PartialRevealed.class, job, 0)) {
            if (e.round() == round && e.attempt() == attempt) {
                try {
                    reveals.add(Reveal.fromBytes(ipfs.catVerifiedBytes(Cid.fromBytes(e.cid()), 1L << 31)));
                } catch (Exception ex) {
                    // an unreadable reveal is one fewer; NextModel needs only t valid ones
                }
            }
        }
        ResultBinding.Claim claim = null;
        for (var e : chain.events(MarketEvent.ResultOpened.class, job, 0)) {
            if (e.round() == round && e.attempt() == attempt) {
                claim = ResultBinding.Claim.of(e.aggregateHash(), e.z(), e.y());
            }
        }
        NextModel.Result result;
        try {
            // A checked by its hash and A(z) = y against ResultOpened (no MSM); per reveal only if that fails (ADR 0108)
            result = new NextModel(srs, params).compute(job, round, attempt, sums, reveals, weights,
                    BigInteger.valueOf(sampleSum), claim);
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw TrainerException.refused("model hash mismatch: round " + round + "'s reveals do not give its result: "
                    + e.getMessage());
        }
        for (var paid : chain.events(MarketEvent.RoundPaid.class, job, 0)) {
            if (paid.round() == round && !Arrays.equals(paid.model(), agg.model())
                    && !Arrays.equals(paid.model(), result.weightsHash())) {
                throw TrainerException.refused("model hash mismatch: round " + round + "'s weights hash to "
                        + JobModel.hex(result.weightsHash()) + " but the evaluator posted " + JobModel.hex(paid.model()));
            }
        }
        return result;
    }
}
