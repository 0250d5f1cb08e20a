package io.zkpfl.contracts;

import java.math.BigInteger;

/** Job market events that services follow; each carries the block it was mined in. */
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

    /** The opening of C_A verified: the round's result is C_A = (resultX, resultY) over {@code sampleSum} samples. */
    record RoundAggregated(BigInteger jobId, long block, int round, int attempt, BigInteger resultX, BigInteger resultY,
                           long sampleSum) implements MarketEvent {
    }

    /** A certified round got fewer than t reveals or no opening of C_A by D4; the next round starts from the same model. */
    record RoundSkipped(BigInteger jobId, long block, int round, int attempt, int reveals) implements MarketEvent {
    }

    record AttemptFailed(BigInteger jobId, long block, int round, int attempt, String reason) implements MarketEvent {
    }

    record FaultProven(BigInteger jobId, long block, int round, int attempt, String offender, String fault)
            implements MarketEvent {
    }

    record RoundPaid(BigInteger jobId, long block, int round, int accuracyPpm, BigInteger paid) implements MarketEvent {
    }

    record JobFinished(BigInteger jobId, long block, int status, BigInteger refunded) implements MarketEvent {
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
}
