package io.zkpfl.marketplace.job;

/** Where a job is in its life. */
public enum JobStatus {
    /** Stored and announced; not yet opened on chain. */
    POSTED,
    /** Escrowed on chain, accepting trainers. */
    OPEN,
    /** Rounds are running. */
    TRAINING,
    /** Target accuracy reached or round budget spent; the owner has the final model. */
    COMPLETED,
    /** Withdrawn before training started; the escrow went back to the owner. */
    CANCELLED
}
