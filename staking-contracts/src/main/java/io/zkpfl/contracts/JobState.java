package io.zkpfl.contracts;

import java.math.BigInteger;
import java.util.List;

/**
 * A job's on-chain state. Amounts in the fee token's base units; escrowed = paid + refunded + remaining.
 *
 * @param model     hash of the current certified global model (hex)
 */
public record JobState(Status status, int round, int attempt, String model, BigInteger escrowed, BigInteger paid,
                       BigInteger refunded, List<String> committee, List<String> trainers) {

    public JobState {
        committee = List.copyOf(committee);
        trainers = List.copyOf(trainers);
    }

    /** The job's status, in the order of the Solidity enum {@code JobStatus}. */
    public enum Status {
        NONE, ACTIVE, COMPLETED, FAILED;

        /** The status the contract reports as {@code code}. */
        public static Status of(int code) {
            if (code < 0 || code >= values().length) {
                throw new IllegalArgumentException("no job status " + code);
            }
            return values()[code];
        }
    }

    /** The escrow neither paid nor refunded. */
    public BigInteger remaining() {
        return escrowed.subtract(paid).subtract(refunded);
    }
}
