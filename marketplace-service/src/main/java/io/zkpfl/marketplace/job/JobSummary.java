package io.zkpfl.marketplace.job;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.OffsetDateTime;

/** One row of a job listing: what a trainer needs to pick a job, without the model itself. */
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
        OffsetDateTime createdAt) {
}
