package io.zkpfl.marketplace.job;

/** Where a job's {@code createJob} transaction is (ADR 0006). */
public enum Submission {
    /** Stored; the relayer has yet to put it on chain (or retries after a transient failure). */
    PENDING,
    /** Created on chain: transaction, block and on-chain job id are recorded. */
    ON_CHAIN,
    /** The chain refused it for good, or the attempts ran out; the reason is recorded, nothing was escrowed. */
    FAILED
}
