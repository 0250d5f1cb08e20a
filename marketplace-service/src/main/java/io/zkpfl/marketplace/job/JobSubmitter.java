package io.zkpfl.marketplace.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.zkpfl.contracts.ChainRevertException;
import io.zkpfl.contracts.JobSignature;
import io.zkpfl.contracts.generated.JobMarket.JobParams;
import io.zkpfl.marketplace.MarketplaceConfig;
import io.zkpfl.marketplace.dependency.Deadlines;
import io.zkpfl.marketplace.chain.ChainRejection;
import io.zkpfl.marketplace.chain.MarketChain;
import io.zkpfl.marketplace.outbox.OutboxEvent;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The relayer's worker (ADR 0006): puts stored jobs on chain, one at a time, from the relayer account. The REST
 * request never waits for it. Each attempt sends {@code createJob}; a revert first looks for the job's own
 * {@code JobCreated} event (an earlier attempt that went through before a crash or restart shows up as
 * {@code NonceAlreadyUsed}, or as {@code SignatureExpired} once the deadline passed), so a job is never created
 * twice and never recorded as failed when it is on chain. Final reverts fail the job; anything else is retried with
 * exponential back-off until {@code zkpfl.chain.max-attempts} or the signature's deadline.
 */
@ApplicationScoped
public class JobSubmitter {

    private static final Logger LOG = Logger.getLogger(JobSubmitter.class);
    private static final int BATCH = 10;
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(1);
    private static final Duration UNREACHABLE_RETRY = Duration.ofSeconds(1);

    private final MarketChain chain;
    private final MarketplaceConfig config;
    private final Vertx vertx;
    private final ObjectMapper json;
    private final MeterRegistry metrics;
    private final Deadlines deadlines;

    public JobSubmitter(MarketChain chain, MarketplaceConfig config, Vertx vertx, ObjectMapper json, MeterRegistry metrics,
            Deadlines deadlines) {
        this.deadlines = deadlines;
        this.chain = chain;
        this.config = config;
        this.vertx = vertx;
        this.json = json;
        this.metrics = metrics;
    }

    /** What an attempt needs of a job, read in one session and used outside it. */
    private record Due(long id, String owner, String digest, String chainParams, String signature, String feePermit,
                       int attempts, long fromBlock, long deadline) {
    }

    /** The outcome of one attempt. */
    private sealed interface Outcome {
        record Created(MarketChain.Submitted submitted) implements Outcome {
        }

        /** Try again after {@code after}; {@code counted}: whether this attempt counts towards the limit. */
        record Retry(String reason, Duration after, boolean counted) implements Outcome {
        }

        record Failed(String reason) implements Outcome {
        }
    }

    @Scheduled(every = "${zkpfl.chain.submit-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> submitDue() {
        return deadlines.postgres(Panache.withSession(() -> Job.<Job>find("submission = ?1 and nextSubmitAt <= ?2 order by id",
                                Submission.PENDING, OffsetDateTime.now(ZoneOffset.UTC))
                        .page(0, BATCH).list()))
                .onItem().transformToMulti(jobs -> Multi.createFrom().iterable(jobs))
                .map(job -> new Due(job.id, job.owner, job.digest, job.chainParams, job.signature, job.feePermit,
                        job.submitAttempts, job.chainFromBlock == null ? 0 : job.chainFromBlock, job.deadline))
                .onItem().transformToUniAndConcatenate(due -> vertx.executeBlocking(Uni.createFrom().item(() -> attempt(due)))
                        .chain(outcome -> record(due, outcome)))
                .collect().asList()
                .replaceWithVoid()
                // then the committees of jobs on chain (these and earlier ones), from the same worker: one relayer nonce
                .chain(() -> vertx.executeBlocking(Uni.createFrom().item(chain::drawPendingCommittees)).replaceWithVoid())
                .onFailure().invoke(e -> LOG.warnf("job submission paused: %s", e.getMessage()))
                .onFailure().recoverWithNull();
    }

    private Outcome attempt(Due due) {
        JobParams params = JobSignature.fromMessageJson(due.chainParams());
        byte[] digest = HexFormat.of().parseHex(due.digest().substring(2));
        byte[] signature = HexFormat.of().parseHex(due.signature().substring(2));
        try {
            return new Outcome.Created(chain.submit(params, signature, JobService.permit(permit(due.feePermit()))));
        } catch (ChainRevertException e) {
            String reason = ChainRejection.text(e.reason());
            try {
                Optional<MarketChain.Submitted> own = chain.findCreated(due.owner(), digest, due.fromBlock());
                if (own.isPresent()) {
                    LOG.infof("job %d: createJob reverted with %s because an earlier attempt created it as chain job %s",
                            due.id(), reason, own.get().jobId());
                    return new Outcome.Created(own.get());
                }
            } catch (RuntimeException lookup) {
                return retryOrFail(due, reason + "; looking for an earlier submission failed: " + MarketChain.rootMessage(lookup));
            }
            return ChainRejection.isFinal(e.reason()) ? new Outcome.Failed("JobMarket.createJob reverted with " + reason)
                    : retryOrFail(due, "JobMarket.createJob reverted with " + reason);
        } catch (RuntimeException e) {
            if (chainUnreachable(e)) {
                // the chain is down or stalled: no verdict on the job, so wait for it without using up attempts
                return new Outcome.Retry("the chain cannot be reached: " + MarketChain.rootMessage(e), UNREACHABLE_RETRY, false);
            }
            return retryOrFail(due, MarketChain.rootMessage(e));
        }
    }

    private static boolean chainUnreachable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.io.IOException || t instanceof java.io.UncheckedIOException) {
                return true;
            }
        }
        return false;
    }

    private Outcome retryOrFail(Due due, String reason) {
        int attempts = due.attempts() + 1;
        if (attempts >= config.chain().maxAttempts() || Instant.now().getEpochSecond() > due.deadline()) {
            return new Outcome.Failed(reason + " (gave up after " + attempts + " attempts)");
        }
        Duration backoff = Duration.ofSeconds(1L << Math.min(attempts - 1, 6));
        return new Outcome.Retry(reason, backoff.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff, true);
    }

    private Uni<Void> record(Due due, Outcome outcome) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        return deadlines.postgres(Panache.withTransaction(() -> Job.<Job>findById(due.id()).chain(job -> {
            job.submitAttempts = outcome instanceof Outcome.Retry r && !r.counted() ? due.attempts() : due.attempts() + 1;
            switch (outcome) {
                case Outcome.Created(MarketChain.Submitted s) -> {
                    job.submission = Submission.ON_CHAIN;
                    job.status = JobStatus.OPEN;
                    job.chainJobId = s.jobId();
                    job.txHash = s.txHash();
                    job.chainBlock = s.block();
                    job.onChainAt = now;
                    job.submitError = null;
                    job.nextSubmitAt = null;
                    LOG.infof("job %d is on chain: chain job %s, block %d, tx %s", job.id, s.jobId(), s.block(), s.txHash());
                    metrics.counter("zkpfl.jobs.submitted", "outcome", "on_chain").increment();
                    return event(job, JobChainEvent.JobOnChain.TYPE, new JobChainEvent.JobOnChain(JobChainEvent.JobOnChain.TYPE,
                            job.id, job.digest, chain.chainId(), chain.addresses().market(), s.jobId().toString(), s.txHash(),
                            s.block(), now));
                }
                case Outcome.Retry(String reason, Duration after, boolean counted) -> {
                    job.submitError = reason;
                    job.nextSubmitAt = now.plus(after);
                    LOG.warnf("job %d: submission attempt %d failed (%s); retrying in %s", job.id, job.submitAttempts, reason, after);
                    metrics.counter("zkpfl.jobs.submitted", "outcome", "retry").increment();
                    return Uni.createFrom().voidItem();
                }
                case Outcome.Failed(String reason) -> {
                    job.submission = Submission.FAILED;
                    job.status = JobStatus.REJECTED;
                    job.submitError = reason;
                    job.nextSubmitAt = null;
                    LOG.warnf("job %d: submission failed for good: %s", job.id, reason);
                    metrics.counter("zkpfl.jobs.submitted", "outcome", "failed").increment();
                    return event(job, JobChainEvent.JobRejected.TYPE,
                            new JobChainEvent.JobRejected(JobChainEvent.JobRejected.TYPE, job.id, job.digest, reason, now));
                }
            }
        })));
    }

    private Uni<Void> event(Job job, String type, JobChainEvent event) {
        try {
            return OutboxEvent.of(config.jobs().topic(), String.valueOf(job.id), type, json.writeValueAsString(event))
                    .persist().replaceWithVoid();
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
    }

    private JobRequest.FeePermit permit(String stored) {
        if (stored == null) {
            return null;
        }
        try {
            return json.readValue(stored, JobRequest.FeePermit.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored fee permit is not JSON", e);
        }
    }
}
