package io.zkpfl.marketplace.job;

/** Where a job is in its life. */
public enum JobStatus {
    /** Stored and announced; not yet created on chain. */
    POSTED,
    /** Created on chain with its fee escrowed and its committee drawn; accepting trainers. */
    OPEN,
    /** Rounds are running. */
    TRAINING,
    /** Target accuracy reached or round budget spent; the owner has the final model. */
    COMPLETED,
    /** Withdrawn before training started; the escrow went back to the owner. */
    CANCELLED,
    /** The chain refused the job (see its submission error); nothing was escrowed. */
    REJECTED
}
