package io.zkpfl.marketplace.job;

/**
 * Where the marketplace's submission of a job stands. What happens to the job after it reached the chain
 * (rounds, completion) is the chain's state, shown beside it in {@code GET /api/v1/jobs/{id}}.
 */
public enum JobStatus {
    /** Stored and announced; not yet created on chain. */
    POSTED,
    /** Created on chain with its fee escrowed and its committee drawn. */
    OPEN,
    /** The chain refused the job (see its submission error); nothing was escrowed. */
    REJECTED
}
