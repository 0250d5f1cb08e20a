package io.zkpfl.contracts;

import java.math.BigInteger;
import java.util.List;

/**
 * The current attempt of a job's round. Deadlines are block times in Unix seconds.
 *
 * @param phase one of {@link Phase}
 */
public record AttemptState(Phase phase, long openedAt, long commitDeadline, long complaintDeadline,
                           long partialDeadline, long proofDeadline, long revealDeadline, BigInteger rho,
                           int partialCount, int revealCount, List<String> committed, List<String> included,
                           List<BigInteger> partials) {

    public AttemptState {
        committed = List.copyOf(committed);
        included = List.copyOf(included);
        partials = List.copyOf(partials);
    }

    /** Phases of an attempt, in the order of the Solidity enum {@code Phase}. */
    public enum Phase { NONE, COLLECTING, CHALLENGE_REQUESTED, CHALLENGED, CERTIFIED, REVEALED, PAID, FAILED }
}
