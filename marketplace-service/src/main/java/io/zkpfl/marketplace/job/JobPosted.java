package io.zkpfl.marketplace.job;

import java.math.BigDecimal;
import java.time.OffsetDateTime;

/**
 * Event on the jobs topic (key: the job id) once a job is stored. Consumers deduplicate by {@code jobId}:
 * delivery is at least once.
 */
public record JobPosted(
        String type,
        long jobId,
        String digest,
        String owner,
        String modelCid,
        String weightsCid,
        String weightsHash,
        long parameterCount,
        BigDecimal targetAccuracy,
        int maxRounds,
        String feeToken,
        String feeAmount,
        int committeeSize,
        int threshold,
        int minTrainers,
        OffsetDateTime postedAt) {

    /** Value of {@link #type()} and of the record's {@code type} header. */
    public static final String TYPE = "JobPosted";

    static JobPosted of(Job job) {
        return new JobPosted(TYPE, job.id, job.digest, job.owner, job.modelCid, job.weightsCid, job.weightsHash, job.parameterCount,
                job.targetAccuracy.stripTrailingZeros(), job.maxRounds, job.feeToken, job.feeAmount.toString(), job.committeeSize,
                job.threshold, job.minTrainers, job.createdAt);
    }
}
