package io.zkpfl.contracts;

import java.math.BigInteger;
import java.util.List;

/**
 * The current attempt of a job's round (v2, docs/contracts.md). Deadlines are block times in Unix seconds:
 * D1 commits, D2 exclusion votes, D3 openings, D4 reveals and the result opening, then the evaluator's.
 *
 * @param openedNodes 1-based committee indices k whose opening of C_k verified
 * @param sums the running sums P_0..P_{t-1} as x, y words (P_0 = C_A)
 */
public record AttemptState(Phase phase, long openedAt, long commitDeadline, long complaintDeadline,
                           long openingDeadline, long revealDeadline, long resultDeadline, int openedCount,
                           int revealCount, List<Integer> openedNodes, long sampleSum, List<BigInteger> sums,
                           List<String> committed, List<String> included) {

    public AttemptState {
        openedNodes = List.copyOf(openedNodes);
        sums = List.copyOf(sums);
        committed = List.copyOf(committed);
        included = List.copyOf(included);
    }

    /** Phases of an attempt, in the order of the Solidity enum {@code Phase}. */
    public enum Phase { NONE, COMMITTING, CERTIFIED, AGGREGATED, PAID, FAILED, SKIPPED }
}
