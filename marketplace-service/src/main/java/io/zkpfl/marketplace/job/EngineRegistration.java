package io.zkpfl.marketplace.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.zkpfl.marketplace.MarketplaceConfig;
import io.zkpfl.marketplace.dependency.Deadlines;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Hands each job's artefacts to its reward engine once the job is on chain (docs/adr/0080): {@code POST
 * /api/v1/jobs/{chain job}/artifacts} on {@code zkpfl.audit.url} with the CIDs of {@code manifest.json},
 * {@code model.json} and {@code weights.bin}. It runs on its own schedule, after the submission worker, so it never
 * delays a job's submission. The engine checks the CIDs against the chain, so registering twice is harmless: a 200
 * ends it; a refusal (400, 409 another evaluator, 422 artefacts that do not match) ends it with the reason stored and
 * logged; anything else (the engine down, slow, 404 while it has not seen the job yet, 5xx) is retried with
 * exponential back-off up to {@link #MAX_ATTEMPTS} attempts.
 */
@ApplicationScoped
public class EngineRegistration {

    private static final Logger LOG = Logger.getLogger(EngineRegistration.class);
    static final int MAX_ATTEMPTS = 30;
    private static final int BATCH = 10;
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(1);

    private final MarketplaceConfig config;
    private final Deadlines deadlines;
    private final ObjectMapper json;
    private final MeterRegistry metrics;
    private final HttpClient http;

    public EngineRegistration(MarketplaceConfig config, Deadlines deadlines, ObjectMapper json, MeterRegistry metrics) {
        this.config = config;
        this.deadlines = deadlines;
        this.json = json;
        this.metrics = metrics;
        this.http = HttpClient.newBuilder().connectTimeout(config.audit().timeout()).build();
    }

    void announce(@Observes StartupEvent start) {
        if (config.audit().url().isEmpty()) {
            LOG.info("zkpfl.audit.url is not set: jobs' artefacts are not handed to a reward engine; register them with "
                    + "POST /api/v1/jobs/{job}/artifacts on the engine");
        }
    }

    /** What a registration needs of a job, read in one session and used outside it. */
    private record Due(long id, BigInteger chainJob, String manifestCid, String modelCid, String weightsCid, int attempts) {
    }

    /** The outcome of one registration. */
    private record Outcome(boolean done, boolean refused, String detail) {
    }

    @Scheduled(every = "${zkpfl.audit.register-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> registerDue() {
        if (config.audit().url().isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        // the HTTP answers arrive on the client's threads; the database work goes back to this Vert.x context
        io.vertx.core.Context context = io.vertx.core.Vertx.currentContext();
        java.util.concurrent.Executor onContext = context == null ? Runnable::run : task -> context.runOnContext(x -> task.run());
        return deadlines.postgres(Panache.withSession(() -> Job.<Job>find("submission = ?1 and engineRegisteredAt is null "
                                + "and engineAttempts < ?2 and (engineNextAt is null or engineNextAt <= ?3) order by id",
                        Submission.ON_CHAIN, MAX_ATTEMPTS, now).page(0, BATCH).list()))
                .onItem().transformToMulti(jobs -> Multi.createFrom().iterable(jobs))
                .map(j -> new Due(j.id, j.chainJobId, j.manifestCid, j.modelCid, j.weightsCid, j.engineAttempts))
                .onItem().transformToUniAndConcatenate(due -> post(due).emitOn(onContext).chain(outcome -> record(due, outcome))
                        // one job that cannot be recorded does not hold up the others
                        .onFailure().invoke(e -> LOG.warnf("job %d: its hand-over to the reward engine could not be "
                                + "recorded: %s", due.id(), e.toString()))
                        .onFailure().recoverWithNull())
                .collect().asList()
                .replaceWithVoid()
                .onFailure().invoke(e -> LOG.warnf("handing artefacts to the reward engine paused: %s", e.getMessage()))
                .onFailure().recoverWithNull();
    }

    private Uni<Outcome> post(Due due) {
        if (due.chainJob() == null || due.manifestCid() == null || due.modelCid() == null || due.weightsCid() == null) {
            return Uni.createFrom().item(new Outcome(true, true, "nothing to hand over: the job has no chain id or no "
                    + "manifest, model or weights CID"));
        }
        String body;
        try {
            body = json.writeValueAsString(Map.of("manifestCid", due.manifestCid(), "modelCid", due.modelCid(),
                    "weightsCid", due.weightsCid()));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        URI uri = URI.create(config.audit().url().orElseThrow().toString().replaceAll("/+$", "") + "/api/v1/jobs/"
                + due.chainJob() + "/artifacts");
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(config.audit().timeout().multipliedBy(2))
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return Uni.createFrom().completionStage(() -> http.sendAsync(request, HttpResponse.BodyHandlers.ofString()))
                .map(r -> switch (r.statusCode()) {
                    case 200 -> new Outcome(true, false, null);
                    case 400, 409, 422 -> new Outcome(true, true, "the engine refused the artefacts (" + r.statusCode()
                            + "): " + detail(r.body()));
                    default -> new Outcome(false, false, "the engine answered " + r.statusCode() + ": " + detail(r.body()));
                })
                .onFailure().recoverWithItem(e -> new Outcome(false, false, "the engine cannot be reached: "
                        + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())));
    }

    private String detail(String body) {
        try {
            return json.readTree(body).path("detail").asText(body);
        } catch (java.io.IOException | RuntimeException e) {
            return body.length() > 200 ? body.substring(0, 200) : body;
        }
    }

    private Uni<Void> record(Due due, Outcome outcome) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        return deadlines.postgres(Panache.withTransaction(() -> Job.<Job>findById(due.id()).invoke(job -> {
            job.engineAttempts = due.attempts() + 1;
            if (outcome.done() && !outcome.refused()) {
                job.engineRegisteredAt = now;
                job.engineError = null;
                job.engineNextAt = null;
                LOG.infof("job %d (chain job %s): the reward engine took its artefacts", job.id, due.chainJob());
                metrics.counter("zkpfl.jobs.engine_registration", "outcome", "registered").increment();
            } else if (outcome.refused()) {
                job.engineError = outcome.detail();
                job.engineAttempts = MAX_ATTEMPTS;
                job.engineNextAt = null;
                LOG.warnf("job %d (chain job %s): %s", job.id, due.chainJob(), outcome.detail());
                metrics.counter("zkpfl.jobs.engine_registration", "outcome", "refused").increment();
            } else {
                Duration backoff = Duration.ofSeconds(1L << Math.min(due.attempts(), 6));
                job.engineError = outcome.detail();
                job.engineNextAt = now.plus(backoff.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff);
                if (job.engineAttempts >= MAX_ATTEMPTS) {
                    LOG.warnf("job %d (chain job %s): gave up handing its artefacts to the reward engine after %d attempts: %s",
                            job.id, due.chainJob(), job.engineAttempts, outcome.detail());
                } else {
                    LOG.infof("job %d (chain job %s): handing its artefacts to the reward engine failed (attempt %d: %s); "
                            + "retrying", job.id, due.chainJob(), job.engineAttempts, outcome.detail());
                }
                metrics.counter("zkpfl.jobs.engine_registration", "outcome", "retry").increment();
            }
        }))).replaceWithVoid();
    }
}
