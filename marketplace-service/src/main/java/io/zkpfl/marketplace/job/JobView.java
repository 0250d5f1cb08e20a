package io.zkpfl.marketplace.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import io.zkpfl.marketplace.chain.MarketChain;
import java.util.Map;

/** A job as the API shows it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobView(
        long id,
        JobStatus status,
        String digest,
        String owner,
        @JsonRawValue String model,
        long parameterCount,
        Training training,
        BigDecimal targetAccuracy,
        int maxRounds,
        Fee fee,
        Committee committee,
        int minTrainers,
        String nonce,
        long deadline,
        Map<String, Artifact> artifacts,
        Initialisation initialisation,
        Privacy privacy,
        Validation validation,
        OnChainTerms onChainTerms,
        SubmissionView submission,
        EngineHandOver engine,
        MarketChain.OnChainState chain,
        OffsetDateTime createdAt) {

    /** What the owner signed beyond the fields above: the chain's view of the job (ADR 0005). */
    public record OnChainTerms(String modelHash, Long bucket, String evaluator, @JsonRawValue String jobParams) {
    }

    /**
     * Where the job's {@code createJob} is: {@code PENDING} (the relayer has yet to send it, or retries), {@code ON_CHAIN}
     * (with the on-chain job id, transaction and block) or {@code FAILED} (with the reason).
     */
    public record SubmissionView(Submission state, int attempts, String chainJobId, String txHash, Long block,
                                 String error, OffsetDateTime onChainAt) {
    }

    /** The owner's sealed validation set (docs/owner.md): absent for the evaluator's default set. */
    public record Validation(String cid, String commitment, int groups) {
    }

    /**
     * Handing the job's artefacts to its reward engine (docs/adr/0080): {@code state} is {@code registered},
     * {@code pending} (retrying; {@code error} says why), {@code refused} (the engine said no; {@code error} says why)
     * or {@code abandoned} (gave up after the retries).
     */
    public record EngineHandOver(String state, int attempts, String error, OffsetDateTime registeredAt) {
    }

    /** Local training settings. */
    public record Training(int localEpochs, int batchSize, double learningRate, String optimiser) {
    }

    /** The escrowed fee, in the token's base units. */
    public record Fee(String token, String amount) {
    }

    /** zk-aggregator committee size and Shamir threshold. */
    public record Committee(int size, int threshold) {
    }

    /** An artefact on IPFS and where the API serves it. */
    public record Artifact(String cid, long size, String keccak256, String href) {
    }

    /**
     * A job's differential-privacy terms (docs/privacy.md), how many rounds fit its budget, {@code ε} spent after
     * the rounds the chain has completed (each completed round was certified and is charged once), and {@code ε}
     * after each of those rounds ({@code perRound[r]}: after rounds 0..r, cumulative).
     */
    public record Privacy(String epsilon, String delta, String noiseMultiplier, String l2Clip, int minTrainers,
                          long roundsWithinBudget, Spent spent, java.util.List<RoundSpent> perRound) {
    }

    /** {@code ε} at the job's {@code δ} once round {@code round} (from 0) is completed. */
    public record RoundSpent(int round, double epsilon) {
    }

    /** {@code ε} at the job's {@code δ} after {@code completedRounds}. */
    public record Spent(long completedRounds, double epsilon) {
    }

    /** Present when the service initialised the weights because the owner sent none. */
    public record Initialisation(String method, long seed) {
    }

    /** Name of the model specification artefact. */
    public static final String MODEL_ARTIFACT = "model.json";
    /** Name of the job manifest artefact (keccak-256 = the on-chain modelHash). */
    public static final String MANIFEST_ARTIFACT = "manifest.json";
    /** Name of the initial weights artefact. */
    public static final String WEIGHTS_ARTIFACT = "weights.bin";

    private static EngineHandOver engine(Job job) {
        String state = job.engineRegisteredAt != null ? "registered"
                : job.engineAttempts < EngineRegistration.MAX_ATTEMPTS ? "pending"
                : job.engineError != null && job.engineError.startsWith("the engine refused") ? "refused" : "abandoned";
        return new EngineHandOver(state, job.engineAttempts, job.engineError, job.engineRegisteredAt);
    }

    static JobView of(Job job) {
        return of(job, null);
    }

    /** The job with its on-chain state ({@code null} when it is not on chain). */
    static JobView of(Job job, MarketChain.OnChainState chain) {
        String base = "/api/v1/jobs/" + job.id + "/artifacts/";
        Map<String, Artifact> artifacts = new java.util.TreeMap<>();
        artifacts.put(MODEL_ARTIFACT, new Artifact(job.modelCid, job.modelSpec.getBytes(java.nio.charset.StandardCharsets.UTF_8).length, null, base + MODEL_ARTIFACT));
        artifacts.put(WEIGHTS_ARTIFACT, new Artifact(job.weightsCid, job.weightsBytes, job.weightsHash, base + WEIGHTS_ARTIFACT));
        if (job.manifestCid != null) {
            artifacts.put(MANIFEST_ARTIFACT, new Artifact(job.manifestCid, job.manifest.getBytes(java.nio.charset.StandardCharsets.UTF_8).length,
                    job.modelHash, base + MANIFEST_ARTIFACT));
        }
        return new JobView(job.id, job.status, job.digest, job.owner, job.modelSpec, job.parameterCount,
                new Training(job.localEpochs, job.batchSize, job.learningRate, job.optimiser),
                job.targetAccuracy.stripTrailingZeros(), job.maxRounds,
                new Fee(job.feeToken, job.feeAmount.toString()),
                new Committee(job.committeeSize, job.threshold), job.minTrainers, job.nonce.toString(), job.deadline,
                artifacts,
                job.weightsSeed == null ? null : new Initialisation("he-normal for relu layers, xavier-normal otherwise, zero biases", job.weightsSeed),
                privacy(job, chain),
                job.validationCid == null ? null
                        : new Validation(job.validationCid, job.validationCommitment, job.validationGroups),
                job.modelHash == null ? null : new OnChainTerms(job.modelHash, job.bucket, job.evaluator, job.chainParams),
                job.submission == null ? null : new SubmissionView(job.submission, job.submitAttempts,
                        job.chainJobId == null ? null : job.chainJobId.toString(), job.txHash, job.chainBlock, job.submitError, job.onChainAt),
                job.submission != Submission.ON_CHAIN ? null : engine(job),
                chain,
                job.createdAt);
    }

    /**
     * Rounds the chain has completed: its {@code RoundPaid} events. (Its round counter moves on when a round is paid,
     * but stays on the last round when that round ends the job.)
     */
    static long completedRounds(MarketChain.OnChainState chain) {
        if (chain == null) {
            return 0;
        }
        if (chain.roundsPaid() != null) {
            return chain.roundsPaid();
        }
        return chain.round() == null ? 0 : chain.round();
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /** {@code ε} at the job's {@code δ} after {@code rounds} completed rounds, or {@code null} for a job without DP. */
    static Double epsilonAfter(Job job, long rounds) {
        if (job.manifest == null || job.chainParams == null) {
            return null;
        }
        try {
            com.fasterxml.jackson.databind.JsonNode node = JSON.readTree(job.manifest).get("privacy");
            if (node == null || node.isNull()) {
                return null;
            }
            long maxSamples = JSON.readTree(job.chainParams).get("maxSamples").asLong();
            return rounds == 0 ? 0.0 : io.zkpfl.protocol.dp.JobPrivacy.fromJson(node)
                    .spentAfter(rounds, maxSamples, job.parameterCount).epsilon();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("job " + job.id + " has a stored manifest that is not JSON", e);
        }
    }

    /** The manifest's DP terms with the budget's figures, or {@code null} for a job without DP. */
    static Privacy privacy(Job job, MarketChain.OnChainState chain) {
        if (job.manifest == null || job.chainParams == null) {
            return null;
        }
        try {
            com.fasterxml.jackson.databind.JsonNode node = JSON.readTree(job.manifest).get("privacy");
            if (node == null || node.isNull()) {
                return null;
            }
            io.zkpfl.protocol.dp.JobPrivacy p = io.zkpfl.protocol.dp.JobPrivacy.fromJson(node);
            long maxSamples = JSON.readTree(job.chainParams).get("maxSamples").asLong();
            long rounds = completedRounds(chain);
            java.util.List<RoundSpent> perRound = new java.util.ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                perRound.add(new RoundSpent(r, p.spentAfter(r + 1, maxSamples, job.parameterCount).epsilon()));
            }
            return new Privacy(p.epsilon().toPlainString(), p.delta().toPlainString(), p.noiseMultiplier().toPlainString(),
                    p.l2Clip().toPlainString(), p.minTrainers(), p.roundsWithinBudget(maxSamples, job.parameterCount),
                    new Spent(rounds, rounds == 0 ? 0 : perRound.getLast().epsilon()), perRound);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("job " + job.id + " has a stored manifest that is not JSON", e);
        }
    }
}
