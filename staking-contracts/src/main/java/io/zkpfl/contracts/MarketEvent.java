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
}
