package io.zkpfl.marketplace.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.zkpfl.contracts.JobSignature;
import io.zkpfl.contracts.RevertReason;
import io.zkpfl.contracts.generated.JobMarket.JobParams;
import io.zkpfl.marketplace.MarketplaceConfig;
import io.zkpfl.marketplace.chain.ChainRejection;
import io.zkpfl.marketplace.chain.MarketChain;
import io.zkpfl.marketplace.artifact.ArtifactStore;
import io.zkpfl.marketplace.dependency.Deadlines;
import io.zkpfl.marketplace.dependency.Dependency;
import io.zkpfl.marketplace.dependency.DependencyUnavailableException;
import io.vertx.pgclient.PgException;
import io.zkpfl.marketplace.outbox.OutboxEvent;
import io.zkpfl.marketplace.problem.ProblemException;
import io.zkpfl.protocol.model.FlatParameters;
import io.zkpfl.protocol.model.WeightInitializer;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.jboss.logging.Logger;

/**
 * Posts and lists jobs. A post is checked completely (content, signature over the chain's {@code JobParams},
 * deadline, and a simulation of {@code createJob} on chain) before anything is written; artefacts go to IPFS
 * first (content-addressed, so a failed post leaves nothing that matters), then the job row (submission
 * {@code PENDING}) and its {@link JobPosted} outbox event commit in one transaction. {@link JobSubmitter} puts
 * the job on chain afterwards.
 */
@ApplicationScoped
public class JobService {

    private static final Logger LOG = Logger.getLogger(JobService.class);

    private final MarketplaceConfig config;
    private final ArtifactStore artifacts;
    private final Vertx vertx;
    private final ObjectMapper json;
    private final MeterRegistry metrics;
    private final io.vertx.mutiny.sqlclient.Pool pool;
    private final MarketChain chain;
    private final Deadlines deadlines;
    private final java.util.concurrent.ConcurrentHashMap<String, CachedTotal> totals = new java.util.concurrent.ConcurrentHashMap<>();

    public JobService(MarketplaceConfig config, ArtifactStore artifacts, Vertx vertx, ObjectMapper json, MeterRegistry metrics,
            io.vertx.mutiny.sqlclient.Pool pool, MarketChain chain, Deadlines deadlines) {
        this.chain = chain;
        this.deadlines = deadlines;
        this.config = config;
        this.artifacts = artifacts;
        this.vertx = vertx;
        this.json = json;
        this.metrics = metrics;
        this.pool = pool;
    }

    /** A stored job and whether this call created it (false: the same signed job was posted before). */
    public record Posted(Job job, boolean created) {
    }

    /**
     * A request with everything the service derives: the weights (initialised when the owner sent none), the
     * manifest, the chain's {@code JobParams} and their EIP-712 digest (the job's identity).
     */
    record Prepared(JobRequest request, byte[] weights, Long seed, JobManifest manifest, JobParams params, byte[] digest) {

        String digestHex() {
            return hex(digest);
        }
    }

    /** Validates, authorises, simulates on chain and stores a job request given as JSON (plus optional multipart weights). */
    public Uni<Posted> post(String body, java.nio.file.Path weightsFile) {
        JobRequestParser parser = new JobRequestParser();
        return vertx.executeBlocking(Uni.createFrom().item(() -> authorise(prepare(parser.parse(body, read(weightsFile))))))
                .chain(prepared -> deadlines.postgres(Job.<Job>find("digest", prepared.digestHex()).firstResult())
                        .chain(existing -> existing != null
                                ? Uni.createFrom().item(new Posted(existing, false))
                                : nonceUnused(prepared.request()).chain(() -> simulate(prepared))
                                        .chain(fromBlock -> store(prepared, fromBlock))))
                .invoke(posted -> metrics.counter("zkpfl.jobs.posted", "outcome", posted.created() ? "created" : "replayed").increment());
    }

    /**
     * The EIP-712 typed data ({@code eth_signTypedData_v4} JSON) the owner signs for a job request given without
     * signature, with the derived manifest, {@code modelHash}, {@code bucket} and digest.
     */
    public Uni<TypedDataView> typedData(String body, java.nio.file.Path weightsFile) {
        JobRequestParser parser = new JobRequestParser();
        return vertx.executeBlocking(Uni.createFrom().item(() -> {
            Prepared p = prepare(parser.parse(body, read(weightsFile), false));
            return TypedDataView.of(p, JobSignature.typedDataJson(p.params(), chain.chainId(), chain.addresses().market()));
        }));
    }

    private static byte[] read(java.nio.file.Path file) {
        try {
            return file == null ? null : java.nio.file.Files.readAllBytes(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read the uploaded weights", e);
        }
    }

    Prepared prepare(JobRequest request) {
        byte[] weights = request.initialWeights();
        Long seed = null;
        if (weights == null) {
            seed = request.nonce().longValue() & Long.MAX_VALUE;
            weights = FlatParameters.encode(WeightInitializer.initialise(request.model(), seed));
        }
        JobManifest manifest = JobManifest.of(request.model().toJson(), request.model().parameterCount(), weights, seed,
                request.training(), request.learningRate(), request.privacy(), request.validation());
        long bucket;
        try {
            bucket = JobManifest.bucket(request.model().parameterCount());
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("model", e.getMessage());
        }
        JobRequest.Windows w = request.windows();
        String evaluator = request.evaluator() != null ? request.evaluator() : chain.defaultEvaluator();
        // the owner's sealed validation set (ADR 0105) is signed on chain too: its commitment and groups
        byte[] commitment = request.validation() == null ? new byte[32]
                : org.web3j.utils.Numeric.hexStringToByteArray(request.validation().commitment());
        int groups = request.validation() == null ? 0 : request.validation().groups();
        JobParams params = new JobParams(request.owner(), request.feeToken(), request.feeAmount(), evaluator,
                manifest.modelHash(),
                BigInteger.valueOf(bucket), BigInteger.valueOf(request.maxRounds()), BigInteger.valueOf(request.committeeSize()),
                BigInteger.valueOf(request.threshold()), BigInteger.valueOf(request.minTrainers()),
                BigInteger.valueOf(request.maxTrainers()), BigInteger.valueOf(request.maxSamples()), request.clipQ16(),
                BigInteger.valueOf(ppm(request.targetAccuracy())), BigInteger.valueOf(ppm(request.alpha())),
                BigInteger.valueOf(w.commit()), BigInteger.valueOf(w.complaint()), BigInteger.valueOf(w.partial()),
                BigInteger.valueOf(w.proof()), BigInteger.valueOf(w.reveal()), request.nonce(), BigInteger.valueOf(request.deadline()),
                commitment, JobSignature.evaluatorVersion(JobSignature.DEFAULT_EVALUATOR_RELEASE),
                JobSignature.defaultEvaluatorBond(request.owner(), evaluator, request.feeAmount(), commitment),
                BigInteger.valueOf(groups));
        return new Prepared(request, weights, seed, manifest, params, chain.digest(params));
    }

    private static long ppm(java.math.BigDecimal value) {
        return value.movePointRight(6).longValueExact();
    }

    private Prepared authorise(Prepared prepared) {
        String signer;
        try {
            signer = JobSignature.recoverSigner(prepared.digest(), prepared.request().signature());
        } catch (IllegalArgumentException e) {
            throw ProblemException.unauthorised("signature", e.getMessage());
        }
        String owner = prepared.request().owner();
        if (!signer.equalsIgnoreCase(owner)) {
            throw ProblemException.unauthorised("signature", "the signature is not by the owner " + owner + " (it recovers "
                    + signer + "): sign the EIP-712 JobParams of exactly this job for chain id " + chain.chainId() + " and JobMarket "
                    + chain.addresses().market() + " (POST /api/v1/jobs/typed-data returns them) with the owner's wallet");
        }
        return prepared;
    }

    /** Fails with 409 when another stored job of the owner uses the nonce (the chain would accept only one of them). */
    private Uni<Void> nonceUnused(JobRequest request) {
        return deadlines.postgres(pool.preparedQuery("SELECT id FROM job WHERE owner = $1 AND nonce = $2")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(request.owner(), new java.math.BigDecimal(request.nonce()))))
                .onItem().transformToUni(rows -> rows.size() == 0 ? Uni.createFrom().voidItem()
                        : Uni.createFrom().failure(nonceConflict(request, rows.iterator().next().getLong(0))));
    }

    private static ProblemException nonceConflict(JobRequest request, Long otherJob) {
        return ProblemException.conflict("nonce", "nonce " + request.nonce() + " of " + request.owner() + " is already used by "
                + (otherJob == null ? "another stored job" : "job " + otherJob) + "; sign with a fresh nonce");
    }

    /**
     * Refuses an expired signature, then runs {@code createJob} as an {@code eth_call}: a revert becomes a 422 with
     * the decoded reason. Returns the block the job's submission will search from.
     */
    private Uni<Long> simulate(Prepared prepared) {
        JobRequest request = prepared.request();
        if (Instant.now().getEpochSecond() > request.deadline()) {
            return Uni.createFrom().failure(ProblemException.invalid("deadline",
                    "the signature expired at " + Instant.ofEpochSecond(request.deadline()) + "; sign the job again with a later deadline"));
        }
        return deadlines.bound(Dependency.CHAIN, vertx.executeBlocking(Uni.createFrom().item(() -> {
            long block;
            java.util.Optional<RevertReason> revert;
            try {
                block = chain.blockNumber();
                revert = chain.simulate(prepared.params(), request.signature(), permit(request.permit()));
            } catch (RuntimeException e) {
                throw DependencyUnavailableException.unreachable(Dependency.CHAIN, e);
            }
            revert.ifPresent(reason -> {
                throw ProblemException.rejectedByChain(ChainRejection.field(reason), ChainRejection.detail(reason));
            });
            return block;
        })));
    }

    static io.zkpfl.contracts.generated.JobMarket.FeePermit permit(JobRequest.FeePermit permit) {
        return permit == null ? MarketChain.NO_PERMIT
                : new io.zkpfl.contracts.generated.JobMarket.FeePermit(BigInteger.valueOf(permit.deadline()),
                        BigInteger.valueOf(permit.v()), permit.r(), permit.s());
    }

    private Uni<Posted> store(Prepared prepared, long fromBlock) {
        JobRequest request = prepared.request();
        byte[] modelJson = request.model().toJson().getBytes(StandardCharsets.UTF_8);
        return artifacts.put(modelJson)
                .chain(modelCid -> artifacts.put(prepared.weights()).map(weightsCid -> List.of(modelCid, weightsCid)))
                .chain(cids -> artifacts.put(prepared.manifest().bytes()).map(manifestCid -> List.of(cids.get(0), cids.get(1), manifestCid)))
                .chain(cids -> deadlines.postgres(Panache.withTransaction(() -> {
                    Job job = toEntity(prepared, cids.get(0), cids.get(1), cids.get(2), fromBlock);
                    return job.<Job>persist()
                            .chain(stored -> OutboxEvent.of(config.jobs().topic(), String.valueOf(stored.id), JobPosted.TYPE,
                                    toJson(JobPosted.of(stored))).persist())
                            .replaceWith(job);
                })))
                .invoke(job -> LOG.infof("job %d posted by %s: %d parameters, fee %s of %s, modelHash %s, bucket %d", job.id, job.owner,
                        job.parameterCount, job.feeAmount, job.feeToken, job.modelHash, job.bucket))
                .invoke(job -> totals.clear())
                .map(job -> new Posted(job, true))
                // a concurrent post won the race for the digest or the (owner, nonce): the failed session cannot be used for
                // a lookup, so answer 409; posting the same job again returns it with 200
                .onFailure(JobService::isUniqueViolation)
                .transform(failure -> "job_owner_nonce".equals(constraint(failure)) ? nonceConflict(request, null)
                        : ProblemException.conflict(null, "the same signed job was being stored concurrently; post it again to get it"));
    }

    private Job toEntity(Prepared prepared, String modelCid, String weightsCid, String manifestCid, long fromBlock) {
        JobRequest request = prepared.request();
        Job job = new Job();
        job.digest = prepared.digestHex();
        job.owner = request.owner();
        job.status = JobStatus.POSTED;
        job.modelSpec = request.model().toJson();
        job.parameterCount = request.model().parameterCount();
        job.localEpochs = request.training().localEpochs();
        job.batchSize = request.training().batchSize();
        job.learningRate = request.training().learningRate();
        job.optimiser = request.training().optimiser().name().toLowerCase(Locale.ROOT);
        job.targetAccuracy = request.targetAccuracy();
        job.maxRounds = request.maxRounds();
        job.feeToken = request.feeToken();
        job.feeAmount = request.feeAmount();
        job.committeeSize = request.committeeSize();
        job.threshold = request.threshold();
        job.minTrainers = request.minTrainers();
        job.nonce = request.nonce();
        job.deadline = request.deadline();
        job.signature = hex(request.signature());
        job.modelCid = modelCid;
        job.weightsCid = weightsCid;
        job.weightsHash = JobManifest.keccakHex(prepared.weights());
        job.weightsBytes = prepared.weights().length;
        job.weightsSeed = prepared.seed();
        job.manifestCid = manifestCid;
        job.manifest = prepared.manifest().json();
        job.modelHash = hex(prepared.params().modelHash);
        job.bucket = prepared.params().bucket.longValueExact();
        job.evaluator = prepared.params().evaluator.toLowerCase(Locale.ROOT);
        job.chainParams = JobSignature.messageJson(prepared.params());
        job.feePermit = request.permit() == null ? null : toJson(request.permit());
        job.submission = Submission.PENDING;
        job.submitAttempts = 0;
        job.nextSubmitAt = OffsetDateTime.now(ZoneOffset.UTC);
        job.chainFromBlock = fromBlock;
        job.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
        if (request.validation() != null) {
            job.validationCid = request.validation().cid();
            job.validationCommitment = request.validation().commitment();
            job.validationGroups = request.validation().groups();
        }
        return job;
    }

    /** The job with this id. */
    @io.quarkus.hibernate.reactive.panache.common.WithSession
    public Uni<Job> get(long id) {
        return Job.<Job>findById(id).onItem().ifNull().failWith(() -> ProblemException.notFound("no job with id " + id));
    }

    /**
     * A page of jobs, newest first, optionally filtered by status and owner: page {@code page} by offset, or, when
     * {@code after} is given, the jobs older than job {@code after} (a cursor: constant cost however deep). The hot
     * read path of the API: prepared statements on the reactive client, no entity loading, a cached total.
     */
    public Uni<JobPage> list(JobStatus status, String owner, int page, int size, Long after) {
        if (after != null && (after < 1 || page != 0)) {
            return Uni.createFrom().failure(ProblemException.invalid("after", after < 1
                    ? "must be a job id ≥ 1" : "use either a page number or an 'after' cursor, not both"));
        }
        if (page < 0 || page > 1_000_000) {
            return Uni.createFrom().failure(ProblemException.invalid("page", "must be in [0, 1000000]"));
        }
        if (size < 1 || size > config.jobs().maxPageSize()) {
            return Uni.createFrom().failure(ProblemException.invalid("size", "must be in [1, " + config.jobs().maxPageSize() + "]"));
        }
        if (owner != null && !owner.matches("0x[0-9a-fA-F]{40}")) {
            return Uni.createFrom().failure(ProblemException.invalid("owner", "must be a 0x-prefixed 20-byte hex address"));
        }
        JobListing.Query query = JobListing.query(status, owner == null ? null : owner.toLowerCase(Locale.ROOT), page, size, after);
        return deadlines.postgres(Uni.combine().all()
                .unis(pool.preparedQuery(query.pageSql()).execute(query.pageArgs()).map(JobListing::summaries), total(query))
                .asTuple())
                .map(t -> JobPage.of(t.getItem1(), page, size, t.getItem2()));
    }

    /**
     * Total matching jobs, cached per filter for {@code zkpfl.jobs.total-ttl}: a listing's {@code total} may lag new
     * posts by that long (this instance's own posts clear the cache at once), which spares a count on every page.
     */
    private Uni<Long> total(JobListing.Query query) {
        String key = query.filterKey();
        CachedTotal cached = totals.get(key);
        long now = System.nanoTime();
        if (cached != null && now - cached.at() < config.jobs().totalTtl().toNanos()) {
            return Uni.createFrom().item(cached.total());
        }
        return pool.preparedQuery(query.countSql()).execute(query.filterArgs())
                .map(rows -> rows.iterator().next().getLong(0))
                .invoke(total -> totals.put(key, new CachedTotal(total, now)));
    }

    private record CachedTotal(long total, long at) {
    }

    private String toJson(Object event) {
        try {
            return json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SQLSTATE of a unique violation. */
    static final String UNIQUE_VIOLATION = "23505";

    /** Whether PostgreSQL refused {@code failure}'s statement with SQLSTATE 23505 (unique_violation). */
    static boolean isUniqueViolation(Throwable failure) {
        return pgError(failure).map(pg -> UNIQUE_VIOLATION.equals(pg.getSqlState())).orElse(false);
    }

    /** The constraint PostgreSQL names in {@code failure}, or null. */
    static String constraint(Throwable failure) {
        return pgError(failure).map(PgException::getConstraint).orElse(null);
    }

    private static java.util.Optional<PgException> pgError(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PgException pg) {
                return java.util.Optional.of(pg);
            }
        }
        return java.util.Optional.empty();
    }

    static String hex(byte[] bytes) {
        return "0x" + HexFormat.of().formatHex(bytes);
    }
}
