package io.zkpfl.marketplace.job;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.OffsetDateTime;

/**
 * One row of a job listing: what a trainer needs to pick a job, without the model itself; {@code submission} and
 * {@code chainJobId} say whether (and as which job) it is on chain, from the database only (the listing reads no chain
 * state; {@code GET /api/v1/jobs/{id}} does).
 */
public record JobSummary(
        long id,
        JobStatus status,
        String owner,
        long parameterCount,
        BigDecimal targetAccuracy,
        int maxRounds,
        String feeToken,
        BigInteger feeAmount,
        int minTrainers,
        Submission submission,
        String chainJobId,
        OffsetDateTime createdAt) {
}
