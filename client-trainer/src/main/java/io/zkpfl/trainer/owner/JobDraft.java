package io.zkpfl.trainer.owner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkpfl.protocol.model.ModelSpec;
import io.zkpfl.trainer.round.TrainerException;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.Sign;
import org.web3j.crypto.StructuredDataEncoder;
import org.web3j.utils.Numeric;

/**
 * An owner's job before it is signed: the body of {@code POST /api/v1/jobs} without {@code signature}
 * (docs/marketplace-api.md). {@link #checkTypedData} holds the marketplace's {@code typedData} against it before the
 * owner's key signs it, so a service cannot get the owner to sign other terms than the ones asked for.
 *
 * @param weights  the initial weights (little-endian float32, 4·d bytes), or null: the service initialises them
 *                 seeded by the nonce
 * @param windows  seconds of each round window: commit, complaint, partial, proof, reveal
 * @param evaluator null: the marketplace's default evaluator
 * @param privacy  null, or the job's differential-privacy terms
 */
public record JobDraft(String owner, ModelSpec model, byte[] weights, Training training, BigDecimal targetAccuracy,
                       int maxRounds, String feeToken, BigInteger fee, Committee committee, Trainers trainers,
                       long maxSamples, BigDecimal alpha, Map<String, Long> windows, String evaluator, BigInteger nonce,
                       long deadline, Privacy privacy) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The window names, in the order the contract takes them. */
    public static final java.util.List<String> WINDOWS = java.util.List.of("commit", "complaint", "partial", "proof", "reveal");

    /** Local training of each round: the demo's defaults are 2 epochs, batch 32, learning rate 0.1, sgd. */
    public record Training(int localEpochs, int batchSize, BigDecimal learningRate, String optimiser) {
    }

    /** Committee size m and threshold t. */
    public record Committee(int size, int threshold) {

        /** {@code M/T}, e.g. {@code 3/2}. */
        public static Committee parse(String text) {
            int[] p = pair(text, "--committee", "SIZE/THRESHOLD, e.g. 3/2");
            if (p[1] < 0) {
                throw new IllegalArgumentException("--committee '" + text + "' names no threshold: give SIZE/THRESHOLD, e.g. 3/2");
            }
            if (p[1] < 2 || p[0] < 2 * p[1] - 1) {
                throw new IllegalArgumentException("--committee " + text + ": the threshold t must be at least 2 and the size m at"
                        + " least 2t - 1 (any t honest nodes finish a round, t - 1 learn nothing)");
            }
            return new Committee(p[0], p[1]);
        }
    }

    /** Trainers per round: at least {@code min}, at most {@code max}. */
    public record Trainers(int min, int max) {

        /** {@code MIN/MAX} or {@code MIN} (then max = max(16, MIN), the marketplace's default). */
        public static Trainers parse(String text) {
            int[] p = pair(text, "--trainers", "MIN/MAX or MIN, e.g. 2/16");
            int max = p[1] < 0 ? Math.max(16, p[0]) : p[1];
            if (p[0] < 2) {
                throw new IllegalArgumentException("--trainers " + text + ": at least 2 trainers, since a round over one would"
                        + " reveal that trainer's update");
            }
            if (max < p[0]) {
                throw new IllegalArgumentException("--trainers " + text + ": the maximum is below the minimum");
            }
            return new Trainers(p[0], max);
        }
    }

    /** Total (ε, δ) over all rounds, noise multiplier z and L2 clip C (docs/privacy.md). */
    public record Privacy(BigDecimal epsilon, BigDecimal delta, BigDecimal noiseMultiplier, BigDecimal l2Clip) {
    }

    private static int[] pair(String text, String option, String form) {
        String s = text == null ? "" : text.strip();
        String[] parts = s.split("/", -1);
        if (parts.length > 2) {
            throw new IllegalArgumentException(option + " '" + text + "' is not " + form);
        }
        try {
            int a = Integer.parseInt(parts[0].strip());
            int b = parts.length == 2 ? Integer.parseInt(parts[1].strip()) : -1;
            if (a <= 0 || (parts.length == 2 && b <= 0)) {
                throw new NumberFormatException();
            }
            return new int[] {a, b};
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " '" + text + "' is not " + form);
        }
    }

    /**
     * Window overrides {@code NAME=SECONDS} over the defaults: the demo's 600 s commit, 10 s complaint, 120 s partial,
     * 300 s proof and 120 s reveal windows.
     */
    public static Map<String, Long> windows(Map<String, Long> overrides) {
        Map<String, Long> w = new LinkedHashMap<>();
        w.put("commit", 600L);
        w.put("complaint", 10L);
        w.put("partial", 120L);
        w.put("proof", 300L);
        w.put("reveal", 120L);
        if (overrides != null) {
            overrides.forEach((name, seconds) -> {
                String n = name.strip().toLowerCase(Locale.ROOT);
                if (!w.containsKey(n)) {
                    throw new IllegalArgumentException("--window " + name + ": the windows are " + String.join(", ", WINDOWS));
                }
                if (seconds == null || seconds < 1 || seconds > 604_800) {
                    throw new IllegalArgumentException("--window " + name + "=" + seconds + ": a window is 1 to 604800 seconds");
                }
                w.put(n, seconds);
            });
        }
        return w;
    }

    /** The unsigned body of {@code POST /api/v1/jobs/typed-data} and {@code POST /api/v1/jobs}. */
    public ObjectNode toJson() {
        ObjectNode j = JSON.createObjectNode();
        j.put("owner", owner.toLowerCase(Locale.ROOT));
        try {
            j.set("model", JSON.readTree(model.toJson()));
        } catch (IOException e) {
            throw new IllegalStateException("the model specification does not serialise", e);
        }
        j.putObject("training").put("localEpochs", training.localEpochs()).put("batchSize", training.batchSize())
                .put("learningRate", training.learningRate()).put("optimiser", training.optimiser().toLowerCase(Locale.ROOT));
        if (weights != null) {
            j.put("initialWeights", Base64.getEncoder().encodeToString(weights));
        }
        j.put("targetAccuracy", targetAccuracy);
        j.put("maxRounds", maxRounds);
        j.putObject("fee").put("token", feeToken.toLowerCase(Locale.ROOT)).put("amount", fee.toString());
        j.putObject("committee").put("size", committee.size()).put("threshold", committee.threshold());
        j.put("minTrainers", trainers.min()).put("maxTrainers", trainers.max()).put("maxSamples", maxSamples);
        j.put("alpha", alpha);
        ObjectNode w = j.putObject("windows");
        windows.forEach(w::put);
        if (evaluator != null) {
            j.put("evaluator", evaluator.toLowerCase(Locale.ROOT));
        }
        if (privacy != null) {
            j.putObject("privacy").put("epsilon", privacy.epsilon()).put("delta", privacy.delta().toPlainString())
                    .put("noiseMultiplier", privacy.noiseMultiplier()).put("l2Clip", privacy.l2Clip());
        }
        j.put("nonce", nonce.toString());
        j.put("deadline", deadline);
        return j;
    }

    /** The bond this job escrows beside its fee with evaluator {@code evaluator} (ADR 0100). */
    public BigInteger evaluatorBond(String evaluator, byte[] validationCommitment) {
        return io.zkpfl.contracts.JobSignature.defaultEvaluatorBond(owner, evaluator, fee, validationCommitment);
    }

    /**
     * Checks the marketplace's answer to {@code POST /api/v1/jobs/typed-data} against this job, on chain {@code chainId}
     * and market {@code market}: the digest is the EIP-712 hash of {@code typedData}, the signed {@code JobParams} carry
     * this job's terms, {@code modelHash} is the keccak-256 of the returned manifest, and the manifest names these
     * initial weights when the owner gave them. Returns the digest to sign.
     *
     * @throws TrainerException (refused) when anything differs: nothing is signed then
     */
    public byte[] checkTypedData(JsonNode answer, long chainId, String market) {
        return checkTypedData(answer, chainId, market, new byte[32], 0);
    }

    /**
     * As {@link #checkTypedData(JsonNode, long, String)} for a job that commits to the owner's sealed validation set
     * ({@code validationCommitment}, all zero for the evaluator's public set) with {@code groups} per-group accuracies.
     */
    public byte[] checkTypedData(JsonNode answer, long chainId, String market, byte[] validationCommitment, int groups) {
        JsonNode typed = answer.path("typedData");
        byte[] digest;
        try {
            digest = new StructuredDataEncoder(typed.toString()).hashStructuredData();
        } catch (IOException | RuntimeException e) {
            throw TrainerException.refused("the marketplace's typed data cannot be hashed as EIP-712 (" + e.getMessage()
                    + "); nothing was signed");
        }
        if (!Numeric.toHexString(digest).equalsIgnoreCase(answer.path("digest").asText())) {
            throw refusedToSign("its digest " + answer.path("digest").asText() + " is not the EIP-712 hash of its typed data "
                    + Numeric.toHexString(digest));
        }
        JsonNode domain = typed.path("domain");
        expect("domain.chainId", domain.path("chainId"), BigInteger.valueOf(chainId));
        if (!domain.path("verifyingContract").asText().equalsIgnoreCase(market)) {
            throw refusedToSign("it names JobMarket " + domain.path("verifyingContract").asText() + ", not " + market);
        }
        JsonNode m = typed.path("message");
        if (!m.path("owner").asText().equalsIgnoreCase(owner)) {
            throw refusedToSign("it names owner " + m.path("owner").asText() + ", not " + owner);
        }
        if (!m.path("feeToken").asText().equalsIgnoreCase(feeToken)) {
            throw refusedToSign("it names fee token " + m.path("feeToken").asText() + ", not " + feeToken);
        }
        if (evaluator != null && !m.path("evaluator").asText().equalsIgnoreCase(evaluator)) {
            throw refusedToSign("it names evaluator " + m.path("evaluator").asText() + ", not " + evaluator);
        }
        expect("fee", m.path("fee"), fee);
        expect("maxRounds", m.path("maxRounds"), BigInteger.valueOf(maxRounds));
        expect("committeeSize", m.path("committeeSize"), BigInteger.valueOf(committee.size()));
        expect("threshold", m.path("threshold"), BigInteger.valueOf(committee.threshold()));
        expect("minTrainers", m.path("minTrainers"), BigInteger.valueOf(trainers.min()));
        expect("maxTrainers", m.path("maxTrainers"), BigInteger.valueOf(trainers.max()));
        expect("maxSamples", m.path("maxSamples"), BigInteger.valueOf(maxSamples));
        expect("targetAccuracy", m.path("targetAccuracy"), ppm(targetAccuracy));
        expect("alpha", m.path("alpha"), ppm(alpha));
        expect("nonce", m.path("nonce"), nonce);
        expect("deadline", m.path("deadline"), BigInteger.valueOf(deadline));
        // the evaluation terms (ADRs 0100-0102): the validation set asked for, the platform's evaluator release, the
        // minimum bond when the owner evaluates itself or brings its own set, the per-group accuracies asked for
        expect("validationCommitment", m.path("validationCommitment"), new BigInteger(1, validationCommitment));
        expect("evaluatorVersion", m.path("evaluatorVersion"), new BigInteger(1,
                io.zkpfl.contracts.JobSignature.evaluatorVersion(io.zkpfl.contracts.JobSignature.DEFAULT_EVALUATOR_RELEASE)));
        expect("evaluatorBond", m.path("evaluatorBond"), evaluatorBond(m.path("evaluator").asText(), validationCommitment));
        expect("groups", m.path("groups"), BigInteger.valueOf(groups));
        for (String w : WINDOWS) {
            expect(w + "Window", m.path(w + "Window"), BigInteger.valueOf(windows.get(w)));
        }
        String manifest = answer.path("manifest").isTextual() ? answer.path("manifest").asText() : answer.path("manifest").toString();
        String manifestHash = Numeric.toHexString(Hash.sha3(manifest.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        if (!manifestHash.equalsIgnoreCase(m.path("modelHash").asText())) {
            throw refusedToSign("its modelHash " + m.path("modelHash").asText() + " is not the keccak-256 of its manifest");
        }
        if (weights != null) {
            try {
                String listed = JSON.readTree(manifest).path("initialWeights").path("keccak256").asText();
                if (!listed.equalsIgnoreCase(Numeric.toHexString(Hash.sha3(weights)))) {
                    throw refusedToSign("its manifest names initial weights " + listed + ", not the keccak-256 of --weights");
                }
            } catch (IOException e) {
                throw refusedToSign("its manifest is not JSON");
            }
        }
        return digest;
    }

    /** An Ethereum signature r ‖ s ‖ v (65 bytes, v 27 or 28) of {@code digest} by {@code key}. */
    public static byte[] sign(byte[] digest, Credentials key) {
        Sign.SignatureData s = Sign.signMessage(digest, key.getEcKeyPair(), false);
        byte[] sig = new byte[65];
        System.arraycopy(s.getR(), 0, sig, 0, 32);
        System.arraycopy(s.getS(), 0, sig, 32, 32);
        sig[64] = s.getV()[0];
        return sig;
    }

    /** A fraction in [0, 1] as the chain's parts per million. */
    static BigInteger ppm(BigDecimal fraction) {
        return fraction.movePointRight(6).setScale(0, RoundingMode.UNNECESSARY).toBigIntegerExact();
    }

    private static void expect(String field, JsonNode actual, BigInteger expected) {
        BigInteger v;
        try {
            String t = actual.asText();
            v = t.startsWith("0x") ? Numeric.toBigInt(t) : new BigInteger(t);
        } catch (RuntimeException e) {
            throw refusedToSign("its " + field + " '" + actual.asText() + "' is not a number");
        }
        if (!v.equals(expected)) {
            throw refusedToSign("its " + field + " is " + v + ", not " + expected);
        }
    }

    private static TrainerException refusedToSign(String why) {
        return TrainerException.refused("the marketplace's typed data does not match the job asked for: " + why
                + "; nothing was signed");
    }
}
