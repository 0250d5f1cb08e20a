package io.zkpfl.marketplace.job;

import java.time.OffsetDateTime;

/**
 * Events on the jobs topic (key: the job id) about a job's submission, written to the outbox in the same
 * transaction that records the outcome. Delivery is at least once; consumers deduplicate by key and type.
 */
public sealed interface JobChainEvent {

    /** The job was created on chain: its fee is escrowed and its committee drawn. */
    record JobOnChain(String type, long jobId, String digest, long chainId, String market, String chainJobId, String txHash,
                      long block, OffsetDateTime at) implements JobChainEvent {

        /** Value of {@code type} and of the record's {@code type} header. */
        public static final String TYPE = "JobOnChain";
    }

    /** The chain refused the job for good (or the attempts ran out); nothing was escrowed. */
    record JobRejected(String type, long jobId, String digest, String reason, OffsetDateTime at) implements JobChainEvent {

        /** Value of {@code type} and of the record's {@code type} header. */
        public static final String TYPE = "JobRejected";
    }
}
