package io.zkpfl.marketplace.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
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
        OffsetDateTime createdAt) {

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

    /** Present when the service initialised the weights because the owner sent none. */
    public record Initialisation(String method, long seed) {
    }

    /** Name of the model specification artefact. */
    public static final String MODEL_ARTIFACT = "model.json";
    /** Name of the initial weights artefact. */
    public static final String WEIGHTS_ARTIFACT = "weights.bin";

    static JobView of(Job job) {
        String base = "/api/v1/jobs/" + job.id + "/artifacts/";
        return new JobView(job.id, job.status, job.digest, job.owner, job.modelSpec, job.parameterCount,
                new Training(job.localEpochs, job.batchSize, job.learningRate, job.optimiser),
                job.targetAccuracy.stripTrailingZeros(), job.maxRounds,
                new Fee(job.feeToken, job.feeAmount.toString()),
                new Committee(job.committeeSize, job.threshold), job.minTrainers, job.nonce.toString(), job.deadline,
                Map.of(MODEL_ARTIFACT, new Artifact(job.modelCid, job.modelSpec.getBytes(java.nio.charset.StandardCharsets.UTF_8).length, null, base + MODEL_ARTIFACT),
                        WEIGHTS_ARTIFACT, new Artifact(job.weightsCid, job.weightsBytes, job.weightsHash, base + WEIGHTS_ARTIFACT)),
                job.weightsSeed == null ? null : new Initialisation("he-normal for relu layers, xavier-normal otherwise, zero biases", job.weightsSeed),
                job.createdAt);
    }
}
