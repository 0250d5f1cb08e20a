package io.zkpfl.marketplace.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.mutiny.core.Vertx;
import io.zkpfl.marketplace.MarketplaceConfig;
import io.zkpfl.marketplace.audit.AuditClient;
import io.zkpfl.marketplace.chain.MarketChain;
import io.zkpfl.marketplace.dependency.Deadlines;
import io.zkpfl.marketplace.dependency.Dependency;
import io.zkpfl.marketplace.dependency.DependencyUnavailableException;
import io.zkpfl.marketplace.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * A job's progress as the dashboard shows it: the marketplace's job with the chain's state, and, from the reward
 * engine's audit API, its participants, every round (commits, openings, reveals, aggregate, result, payments) with
 * {@code ε} spent for DP jobs, and its final model. {@link #stream} turns successive snapshots into the live job
 * stream's events, sending only what changed.
 */
@ApplicationScoped
public class JobProgress {

    private static final Logger LOG = Logger.getLogger(JobProgress.class);

    /** Names of the live stream's events (docs/marketplace-api.md, "Dashboard"). */
    public static final String JOB_EVENT = "job";
    public static final String ROUND_EVENT = "round";
    public static final String AUDIT_EVENT = "audit";
    public static final String END_EVENT = "end";

    private final JobService jobs;
    private final MarketChain chain;
    private final AuditClient audit;
    private final Deadlines deadlines;
    private final Vertx vertx;
    private final ObjectMapper json;
    private final MarketplaceConfig config;

    public JobProgress(JobService jobs, MarketChain chain, AuditClient audit, Deadlines deadlines, Vertx vertx,
            ObjectMapper json, MarketplaceConfig config) {
        this.jobs = jobs;
        this.chain = chain;
        this.audit = audit;
        this.deadlines = deadlines;
        this.vertx = vertx;
        this.json = json;
        this.config = config;
    }

    /** One event of the live stream: its name and its JSON data. */
    public record Event(String name, String data) {
    }

    /** Where the audit API stands for a snapshot: {@code ok}, {@code not-configured} or {@code unavailable}. */
    public record AuditState(String state, String dependency, String detail) {
    }

    /** What the page shows of a job at one moment. */
    record Snapshot(Job job, MarketChain.OnChainState chain, ObjectNode jobEvent, List<ObjectNode> rounds,
                    AuditState audit, boolean finished) {
    }

    /** Job {@code id} from PostgreSQL (404 when there is none), within its deadline. */
    public Uni<Job> job(long id) {
        return deadlines.postgres(jobs.get(id));
    }

    /** The chain's state of {@code job}, or {@code null} before it is on chain (read on a worker thread). */
    Uni<MarketChain.OnChainState> chainState(Job job) {
        if (job.chainJobId == null) {
            return Uni.createFrom().nullItem();
        }
        return vertx.executeBlocking(Uni.createFrom().item(() -> chain.state(job.chainJobId,
                job.chainBlock == null ? 0 : job.chainBlock)));
    }

    /** Every round of an on-chain job from the audit API, each with {@code epsilon} after it for a DP job. */
    public Uni<List<ObjectNode>> rounds(Job job) {
        if (job.chainJobId == null) {
            return Uni.createFrom().item(List.of());
        }
        return audit.rounds(job.chainJobId).map(rounds -> withEpsilon(job, rounds));
    }

    private List<ObjectNode> withEpsilon(Job job, List<JsonNode> rounds) {
        List<ObjectNode> out = new ArrayList<>();
        for (JsonNode r : rounds) {
            ObjectNode round = r.deepCopy();
            boolean paid = r.hasNonNull("result");
            Double epsilon = paid ? JobView.epsilonAfter(job, r.path("round").asLong() + 1) : null;
            if (epsilon != null) {
                round.put("epsilon", epsilon);
            }
            out.add(round);
        }
        return out;
    }

    /** A snapshot of job {@code id}; audit failures are part of it, never a failure of it. */
    Uni<Snapshot> snapshot(long id) {
        return job(id).chain(job -> chainState(job).chain(state -> {
            if (job.chainJobId == null) {
                return Uni.createFrom().item(snapshot(job, state, null, List.of(), auditIdle()));
            }
            if (!audit.configured()) {
                return Uni.createFrom().item(snapshot(job, state, null, List.of(),
                        new AuditState("not-configured", Dependency.AUDIT.id(), AuditClient.notConfigured())));
            }
            return audit.job(job.chainJobId).chain(participants -> rounds(job)
                            .map(rounds -> snapshot(job, state, participants.orElse(null), rounds,
                                    new AuditState("ok", Dependency.AUDIT.id(), participants.isPresent() ? null
                                            : "the audit index has not reached job " + job.chainJobId + " yet"))))
                    .onFailure(DependencyUnavailableException.class).recoverWithItem(e ->
                            snapshot(job, state, null, null, new AuditState("unavailable", Dependency.AUDIT.id(), e.getMessage())));
        }));
    }

    private static AuditState auditIdle() {
        return new AuditState("ok", Dependency.AUDIT.id(), "the job is not on chain yet");
    }

    private Snapshot snapshot(Job job, MarketChain.OnChainState state, JsonNode participants, List<ObjectNode> rounds,
            AuditState auditState) {
        ObjectNode e = json.createObjectNode();
        e.put("id", job.id);
        e.put("status", job.status.name());
        e.put("submission", job.submission == null ? null : job.submission.name());
        e.put("chainJobId", job.chainJobId == null ? null : job.chainJobId.toString());
        e.put("owner", job.owner);
        e.put("targetAccuracy", job.targetAccuracy.stripTrailingZeros().toPlainString());
        e.put("maxRounds", job.maxRounds);
        e.putObject("committee").put("size", job.committeeSize).put("threshold", job.threshold);
        e.put("minTrainers", job.minTrainers);
        e.set("privacy", json.valueToTree(JobView.privacy(job, state)));
        e.set("chain", json.valueToTree(state));
        e.set("participants", participants);
        String chainStatus = state == null ? null : state.status();
        boolean chainDone = "COMPLETED".equals(chainStatus) || "FAILED".equals(chainStatus);
        boolean finished = job.status == JobStatus.REJECTED
                || chainDone && (!"ok".equals(auditState.state()) || participants != null && participants.hasNonNull("finished"));
        return new Snapshot(job, state, e, rounds, auditState, finished);
    }

    /**
     * The live stream of job {@code job} (already known to exist): every {@code zkpfl.audit.poll-interval}, a snapshot;
     * first the whole state, then only the events whose data changed; {@code end} once the job has finished and the
     * audit index has recorded its end, after which the stream completes.
     */
    public Multi<Event> stream(Job first) {
        long id = first.id;
        Duration every = config.audit().pollInterval();
        return Multi.createFrom().deferred(() -> {
            Tracker tracker = new Tracker();
            return Multi.createFrom().ticks().every(every)
                    .onOverflow().drop()
                    .onItem().transformToUniAndConcatenate(tick -> onFreshContext(() -> snapshot(id))
                            .map(tracker::events)
                            .onFailure().recoverWithItem(e -> tracker.failure(id, e)))
                    .onItem().transformToIterable(events -> events)
                    .select().first(event -> event != STOP);
        });
    }

    /** Runs {@code call} on a new duplicated Vert.x context, where reactive PostgreSQL sessions live. */
    private <T> Uni<T> onFreshContext(java.util.function.Supplier<Uni<T>> call) {
        Context context = VertxContext.getOrCreateDuplicatedContext(vertx.getDelegate());
        return Uni.createFrom().emitter(emitter -> context.runOnContext(ignored ->
                call.get().subscribe().with(emitter::complete, emitter::fail)));
    }

    /** Follows an {@code end} event on the next tick: the stream completes there, without sending it. */
    private static final Event STOP = new Event("", "");

    /** What one stream has sent so far. */
    private final class Tracker {
        static final List<Event> DONE = List.of(STOP);

        private String job;
        private String auditState;
        private final Map<Integer, String> rounds = new HashMap<>();
        private boolean ended;

        List<Event> events(Snapshot s) {
            if (ended) {
                return DONE;
            }
            List<Event> out = new ArrayList<>();
            String a = write(s.audit());
            if (!a.equals(auditState)) {
                auditState = a;
                out.add(new Event(AUDIT_EVENT, a));
            }
            String j = s.jobEvent().toString();
            if (!j.equals(job)) {
                job = j;
                out.add(new Event(JOB_EVENT, j));
            }
            if (s.rounds() != null) {
                for (ObjectNode r : s.rounds()) {
                    String data = r.toString();
                    int n = r.path("round").asInt();
                    if (!data.equals(rounds.get(n))) {
                        rounds.put(n, data);
                        out.add(new Event(ROUND_EVENT, data));
                    }
                }
            }
            if (s.finished()) {
                ended = true;
                ObjectNode end = json.createObjectNode().put("id", s.job().id)
                        .put("chainStatus", s.chain() == null ? null : s.chain().status()).put("status", s.job().status.name());
                out.add(new Event(END_EVENT, end.toString()));
            }
            return out;
        }

        /** A failed snapshot (PostgreSQL or the chain away) is reported on the stream, which goes on. */
        List<Event> failure(long id, Throwable e) {
            if (ended) {
                return DONE;
            }
            if (e instanceof ProblemException p && p.status() == 404) {
                ended = true;
                return List.of(new Event(END_EVENT, json.createObjectNode().put("id", id).put("status", "DELETED").toString()));
            }
            String dependency = e instanceof DependencyUnavailableException d ? d.dependency().id() : null;
            LOG.debugf("job %d: a live snapshot failed: %s", id, e.getMessage());
            String data = write(new AuditState("unavailable", dependency, e.getMessage()));
            if (data.equals(auditState)) {
                return List.of();
            }
            auditState = data;
            return List.of(new Event(AUDIT_EVENT, data));
        }

        private String write(Object value) {
            try {
                return json.writeValueAsString(value);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** The final model of an on-chain job as the marketplace serves it. */
    public record FinalModel(long id, String chainJobId, int round, String weightsHash, String weightsCid,
                             Long accuracyPpm, String resultTx, long resultBlock, boolean verifiedOnChain, String href) {
    }

    /**
     * The final model of job {@code job}: 409 unless the job has finished on chain after at least one paid round; the
     * engine's CID and {@code keccak(w')}, checked against the chain's last {@code RoundPaid}.
     */
    public Uni<FinalModel> finalModel(Job job) {
        if (job.chainJobId == null) {
            return Uni.createFrom().failure(ProblemException.conflict(null, "job " + job.id + " is not on chain yet ("
                    + (job.submission == null ? "not submitted" : job.submission.name()) + "); it has no model"));
        }
        BigInteger chainJob = job.chainJobId;
        return chainState(job).chain(state -> {
            if (state == null || state.error() != null) {
                return Uni.createFrom().failure(new DependencyUnavailableException(Dependency.CHAIN,
                        state == null ? "the chain's state of job " + job.id + " is unknown" : state.error(), null));
            }
            if ("ACTIVE".equals(state.status())) {
                return Uni.createFrom().failure(ProblemException.conflict(null, "job " + job.id + " is still running (round "
                        + state.round() + " of " + job.maxRounds + ", " + (state.roundsPaid() == null ? 0 : state.roundsPaid())
                        + " paid); its final model is available once it completes"));
            }
            return vertx.executeBlocking(Uni.createFrom().item(() -> chain.paidRounds(chainJob,
                            job.chainBlock == null ? 0 : job.chainBlock)))
                    .onFailure(e -> !(e instanceof ProblemException)).transform(e ->
                            DependencyUnavailableException.unreachable(Dependency.CHAIN, e))
                    .chain(paid -> {
                        // a round closed by stopJob or advance is paid by time share with the chain's aggregate hash
                        // (accuracy 0), not an evaluated w'
                        List<MarketChain.PaidRound> evaluated = paid.stream().filter(p -> p.accuracyPpm() > 0
                                || !p.weightsHash().equalsIgnoreCase(state.model())).toList();
                        if (evaluated.isEmpty()) {
                            return Uni.createFrom().failure(ProblemException.conflict(null, "job " + job.id + " ended ("
                                    + state.status() + ") without an evaluated round: no model was trained; its initial "
                                    + "weights are /api/v1/jobs/" + job.id + "/artifacts/" + JobView.WEIGHTS_ARTIFACT));
                        }
                        MarketChain.PaidRound last = evaluated.getLast();
                        return audit.model(chainJob).map(found -> model(job, last, found));
                    });
        });
    }

    private FinalModel model(Job job, MarketChain.PaidRound last, Optional<JsonNode> found) {
        JsonNode m = found.orElseThrow(() -> ProblemException.notFound("the audit service's engine does not evaluate job "
                + job.id + " (chain job " + job.chainJobId + "): its evaluator " + job.evaluator + " publishes the model"));
        String hash = m.path("weightsHash").asText(null);
        int round = m.path("round").asInt(-1);
        if (round != last.round() || hash == null || !hash.equalsIgnoreCase(last.weightsHash())) {
            throw new ProblemException(502, "Inconsistent model", "the audit service's model of job " + job.id + " (round "
                    + round + ", keccak " + hash + ") is not the result the chain logged for round " + last.round()
                    + " (keccak " + last.weightsHash() + ", tx " + last.tx() + ")", null);
        }
        return new FinalModel(job.id, job.chainJobId.toString(), round, last.weightsHash(), m.path("weightsCid").asText(null),
                last.accuracyPpm(), last.tx(), last.block(), true, "/api/v1/jobs/" + job.id + "/model/weights");
    }
}
