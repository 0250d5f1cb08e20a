package io.zkpfl.marketplace.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkpfl.protocol.dp.JobPrivacy;
import io.zkpfl.protocol.model.TrainingPlan;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;
import org.web3j.crypto.Hash;

/**
 * The canonical job manifest: what the on-chain {@code modelHash} commits to (ADR 0005). Compact JSON, keys in
 * this fixed order, no whitespace:
 *
 * <pre>{"version":1,"modelSpec":"0x…","parameterCount":d,
 *  "initialWeights":{"keccak256":"0x…","bytes":n,"initialisation":null|{"method":"he-xavier-normal","seed":s}},
 *  "training":{"localEpochs":e,"batchSize":b,"learningRate":"0.05","optimiser":"sgd"}
 *  [,"privacy":{"epsilon":"…","delta":"…","noiseMultiplier":"…","l2Clip":"…","minTrainers":n}]
 *  [,"validation":{"cid":"…","commitment":"0x…","groups":g}]}</pre>
 *
 * The {@code privacy} key is present only for a job with differential privacy ({@link JobPrivacy#toJson()}), so jobs
 * without it keep their manifests.
 *
 * {@code modelSpec} is keccak-256 of the canonical model JSON (the {@code model.json} artefact), {@code keccak256}
 * of the initial weight bytes (the {@code weights.bin} artefact). {@code modelHash} = keccak-256 of the manifest's
 * UTF-8 bytes, which the service stores as the {@code manifest.json} artefact, so anyone can check the chain's
 * commitment against the artefacts.
 *
 * @param json the manifest's canonical bytes as a string
 */
public record JobManifest(String json) {

    /** Manifest format version. */
    public static final int VERSION = 1;
    /** Name of the service-side initialisation in the manifest. */
    public static final String INITIALISATION = "he-xavier-normal";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The manifest of a job.
     *
     * @param canonicalModel the canonical model JSON
     * @param weights        the initial weights (owner's or initialised)
     * @param seed           the initialisation seed, or {@code null} when the owner sent the weights
     * @param learningRate   the learning rate as the owner wrote it (at most 9 decimals)
     */
    public static JobManifest of(String canonicalModel, long parameterCount, byte[] weights, Long seed, TrainingPlan training,
            BigDecimal learningRate) {
        return of(canonicalModel, parameterCount, weights, seed, training, learningRate, null);
    }

    /** As {@link #of(String, long, byte[], Long, TrainingPlan, BigDecimal)}, with the job's DP terms or {@code null}. */
    public static JobManifest of(String canonicalModel, long parameterCount, byte[] weights, Long seed, TrainingPlan training,
            BigDecimal learningRate, JobPrivacy privacy) {
        return of(canonicalModel, parameterCount, weights, seed, training, learningRate, privacy, null);
    }

    /**
     * As above, with the owner's sealed validation set or {@code null}: {@code "validation":{"cid":"…",
     * "commitment":"0x…","groups":g}} after {@code privacy}, present only when the owner names a set.
     */
    public static JobManifest of(String canonicalModel, long parameterCount, byte[] weights, Long seed, TrainingPlan training,
            BigDecimal learningRate, JobPrivacy privacy, JobRequest.Validation validation) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", VERSION);
        root.put("modelSpec", keccakHex(canonicalModel.getBytes(StandardCharsets.UTF_8)));
        root.put("parameterCount", parameterCount);
        ObjectNode w = root.putObject("initialWeights");
        w.put("keccak256", keccakHex(weights));
        w.put("bytes", weights.length);
        if (seed == null) {
            w.putNull("initialisation");
        } else {
            w.putObject("initialisation").put("method", INITIALISATION).put("seed", seed);
        }
        ObjectNode t = root.putObject("training");
        t.put("localEpochs", training.localEpochs());
        t.put("batchSize", training.batchSize());
        t.put("learningRate", learningRate.stripTrailingZeros().toPlainString());
        t.put("optimiser", training.optimiser().name().toLowerCase(Locale.ROOT));
        if (privacy != null) {
            root.set("privacy", privacy.toJson());
        }
        if (validation != null) {
            root.putObject("validation").put("cid", validation.cid()).put("commitment", validation.commitment())
                    .put("groups", validation.groups());
        }
        return new JobManifest(root.toString());
    }

    /** The manifest's bytes (UTF-8). */
    public byte[] bytes() {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    /** keccak-256 of {@link #bytes()}: the job's on-chain {@code modelHash}. */
    public byte[] modelHash() {
        return Hash.sha3(bytes());
    }

    /**
     * The size bucket of a model with {@code d} parameters: the smallest power of two {@code D ≥ d + 2}
     * (docs/protocol.md), at least 4.
     *
     * @throws IllegalArgumentException if {@code D} would not fit the contract's {@code uint32}
     */
    public static long bucket(long d) {
        long needed = Math.max(4, d + 2);
        long bucket = Long.highestOneBit(needed);
        if (bucket < needed) {
            bucket <<= 1;
        }
        if (bucket > (1L << 31)) {
            throw new IllegalArgumentException("a model of " + d + " parameters needs a bucket of " + bucket
                    + " > 2^31, more than the contract's uint32 bucket allows");
        }
        return bucket;
    }

    static String keccakHex(byte[] bytes) {
        return "0x" + HexFormat.of().formatHex(Hash.sha3(bytes));
    }
}
