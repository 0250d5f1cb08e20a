package io.zkpfl.contracts;

import java.math.BigInteger;
import java.util.List;

/**
 * Job market events that services follow, decoded by {@link MarketEvents}; each carries the block it was mined in.
 * Round and attempt numbers are 0-based as on chain; trainer and committee indices are the contract's 1-based join
 * index i and committee index k. {@code bytes} and {@code bytes32} fields are the raw bytes as logged.
 */
public sealed interface MarketEvent {

    BigInteger jobId();

    long block();

    record JobCreated(BigInteger jobId, long block, String owner, String feeToken, BigInteger escrowed)
            implements MarketEvent {
    }

    record AttemptOpened(BigInteger jobId, long block, int round, int attempt, long commitDeadline)
            implements MarketEvent {
    }

    record RoundCertified(BigInteger jobId, long block, int round, int attempt) implements MarketEvent {
    }

    /**
     * The opening of C_A verified: the round's result is C_A = (resultX, resultY) over {@code sampleSum} samples;
     * {@code model} is the chained model value it leads to.
     */
    record RoundAggregated(BigInteger jobId, long block, int round, int attempt, BigInteger resultX, BigInteger resultY,
                           long sampleSum, byte[] model) implements MarketEvent {
    }

    /** A certified round got fewer than t reveals or no opening of C_A by D4; the next round starts from the same model. */
    record RoundSkipped(BigInteger jobId, long block, int round, int attempt, int reveals) implements MarketEvent {
    }

    record AttemptFailed(BigInteger jobId, long block, int round, int attempt, String reason) implements MarketEvent {
    }

    record FaultProven(BigInteger jobId, long block, int round, int attempt, String offender, String fault)
            implements MarketEvent {
    }

    /** The evaluator's result of {@code round} paid: {@code model} = keccak(w'), its accuracy, the pool and what was paid. */
    record RoundPaid(BigInteger jobId, long block, int round, int accuracyPpm, BigInteger paid, byte[] model,
                     BigInteger pool) implements MarketEvent {
    }

    record JobFinished(BigInteger jobId, long block, JobState.Status status, BigInteger refunded) implements MarketEvent {
    }

    /** The evaluator posted no result for {@code round} by {@code resultDeadline}; the round was paid by time share. */
    record EvaluatorTimedOut(BigInteger jobId, long block, int round, long resultDeadline) implements MarketEvent {
    }

    // --- added for staking-contracts (creation fee, evaluator bond, per-group accuracies)

    /** {@code amount} of job's fee credited to the treasury at creation, never refunded. */
    record CreationFeeCharged(BigInteger jobId, long block, String treasury, BigInteger amount) implements MarketEvent {
    }

    /** The owner's evaluator bond escrowed beside the fee. */
    record BondEscrowed(BigInteger jobId, long block, String owner, BigInteger amount) implements MarketEvent {
    }

    /** Per-group accuracies (ppm) of a round's result, in group order; only for jobs with groups. */
    record GroupAccuracies(BigInteger jobId, long block, int round, java.util.List<Integer> ppm) implements MarketEvent {
        public GroupAccuracies {
            ppm = java.util.List.copyOf(ppm);
        }
    }

    /**
     * The owner disclosed its validation set: the keccak of the plaintext bundle, the AES key it is encrypted under
     * and the IPFS CID of the encrypted bundle (hex of the bytes as posted).
     */
    record ValidationDisclosed(BigInteger jobId, long block, String bundleHash, String contentKey, String cid)
            implements MarketEvent {
    }

    /** A committee node voted that the posted result of {@code round} is not reproduced. */
    record DisputeVoted(BigInteger jobId, long block, int round, String node) implements MarketEvent {
    }

    /** t committee nodes disputed {@code round}'s result: the bond is slashed (see {@link BondSlashed}). */
    record EvaluationDisputed(BigInteger jobId, long block, int round, int votes) implements MarketEvent {
    }

    /** The bond was credited in equal parts to {@code recipients}; reason {@code disputed} or {@code undisclosed}. */
    record BondSlashed(BigInteger jobId, long block, String reason, BigInteger amount, java.util.List<String> recipients)
            implements MarketEvent {
        public BondSlashed {
            recipients = java.util.List.copyOf(recipients);
        }
    }

    /** The bond was credited back to the owner after the dispute window. */
    record BondReleased(BigInteger jobId, long block, String owner, BigInteger amount) implements MarketEvent {
    }

    // --- the round's steps (docs/protocol.md), formerly decoded by hand in the node, trainer, marketplace and tests

    /** A job's creation drew no committee yet: the draw over {@code pool} and {@code weights} waits for a later block. */
    record DrawPending(BigInteger jobId, long block, long drawBlock, List<String> pool, List<BigInteger> weights)
            implements MarketEvent {
        public DrawPending {
            pool = List.copyOf(pool);
            weights = List.copyOf(weights);
        }
    }

    /** The draw block's hash had aged out: the draw moved to {@code drawBlock}. */
    record DrawDeferred(BigInteger jobId, long block, long drawBlock) implements MarketEvent {
    }

    /** The job's committee, in committee order (node k is {@code committee.get(k - 1)}). */
    record CommitteeDrawn(BigInteger jobId, long block, List<String> committee) implements MarketEvent {
        public CommitteeDrawn {
            committee = List.copyOf(committee);
        }
    }

    /** {@code trainer} joined as the job's trainer {@code index} (1-based). */
    record TrainerJoined(BigInteger jobId, long block, String trainer, int index) implements MarketEvent {
    }

    /** Every joined trainer committed before D1: the deadlines moved earlier (block times). */
    record CommitsClosed(BigInteger jobId, long block, int round, int attempt, long commitDeadline,
                         long complaintDeadline, long openingDeadline, long revealDeadline) implements MarketEvent {
    }

    /** Step 5: trainer {@code index}'s commitments C_i0..C_i,t-1 (x, y words), manifest digest and sample count. */
    record RoundCommitted(BigInteger jobId, long block, int round, int attempt, String trainer, int index,
                          List<BigInteger> points, byte[] manifest, long samples) implements MarketEvent {
        public RoundCommitted {
            points = List.copyOf(points);
        }
    }

    /** Committee node {@code k} posted its per-round envelope key (x, y). */
    record RoundKeyPosted(BigInteger jobId, long block, int round, String node, int k, BigInteger x, BigInteger y)
            implements MarketEvent {
    }

    /** Step 6: {@code node}'s verifiable complaint about {@code trainer}'s share (ephemeral and ECDH points, x, y). */
    record ShareComplaint(BigInteger jobId, long block, int round, int attempt, String node, String trainer,
                          List<BigInteger> ephemeral, List<BigInteger> shared) implements MarketEvent {
        public ShareComplaint {
            ephemeral = List.copyOf(ephemeral);
            shared = List.copyOf(shared);
        }
    }

    record ComplaintVoted(BigInteger jobId, long block, int round, int attempt, String node, String trainer,
                          boolean upheld) implements MarketEvent {
    }

    record ComplaintResolved(BigInteger jobId, long block, int round, int attempt, String trainer, boolean upheld)
            implements MarketEvent {
    }

    record ExclusionVoted(BigInteger jobId, long block, int round, int attempt, String node, String trainer)
            implements MarketEvent {
    }

    record TrainerExcluded(BigInteger jobId, long block, int round, int attempt, String trainer) implements MarketEvent {
    }

    /** All m openings came before D2 (early certification): D2 is now, D3 and D4 moved as much. */
    record ComplaintsClosed(BigInteger jobId, long block, int round, int attempt, long complaintDeadline,
                            long openingDeadline, long revealDeadline) implements MarketEvent {
    }

    /** The included set I of the attempt and its total sample count. */
    record IncludedSetFixed(BigInteger jobId, long block, int round, int attempt, List<String> included, long sampleSum)
            implements MarketEvent {
        public IncludedSetFixed {
            included = List.copyOf(included);
        }
    }

    /** Step 7: node {@code k}'s opening of C_k at z verified, value y. */
    record OpeningVerified(BigInteger jobId, long block, int round, int attempt, String node, int k, BigInteger z,
                           BigInteger y) implements MarketEvent {
    }

    /** Step 8: {@code node} revealed S_k || b_k at IPFS {@code cid} (the CID's bytes as posted). */
    record PartialRevealed(BigInteger jobId, long block, int round, int attempt, String node, byte[] cid)
            implements MarketEvent {
    }

    /** C_A's opening verified: {@code aggregateHash} = keccak256(A || b_A), z the point bound to it, y = A(z). */
    record ResultOpened(BigInteger jobId, long block, int round, int attempt, byte[] aggregateHash, BigInteger z,
                        BigInteger y) implements MarketEvent {
    }

    /** {@code amount} credited to {@code account} for {@code round}. */
    record RewardCredited(BigInteger jobId, long block, int round, String account, BigInteger amount)
            implements MarketEvent {
    }

    /** {@code account}'s stake lock in the job was released. */
    record Released(BigInteger jobId, long block, String account) implements MarketEvent {
    }
}
