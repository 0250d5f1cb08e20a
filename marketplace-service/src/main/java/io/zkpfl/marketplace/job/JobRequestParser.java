package io.zkpfl.marketplace.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zkpfl.marketplace.problem.ProblemException;
import io.zkpfl.protocol.dp.JobPrivacy;
import io.zkpfl.protocol.model.FlatParameters;
import io.zkpfl.protocol.model.ModelSpec;
import io.zkpfl.protocol.model.ModelSpecException;
import io.zkpfl.protocol.model.Optimiser;
import io.zkpfl.protocol.model.TrainingPlan;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Parses and validates the JSON body of {@code POST /api/v1/jobs}. Every rejection names the offending
 * field as a JSON path; nothing is stored before parsing succeeds.
 */
public final class JobRequestParser {

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-fA-F]{40}");
    private static final Pattern HEX = Pattern.compile("0x([0-9a-fA-F]{2})*");
    private static final BigInteger UINT256_MAX = BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);
    /** Largest committee a request may name (the contract's own limit may be lower: it answers 422). */
    public static final int MAX_COMMITTEE = 32;
    /** Largest round budget a job may ask for (the contract's bound). */
    public static final int MAX_ROUNDS = 1_000;
    /** Longest protocol window in seconds (the contract's bound: 7 days). */
    public static final int MAX_WINDOW_SECONDS = 7 * 24 * 3600;

    /** Defaults of the optional chain parameters (documented in docs/marketplace-api.md). */
    public static final int DEFAULT_MAX_TRAINERS = 16;
    public static final long DEFAULT_MAX_SAMPLES = 60_000;
    /** 4.0 in Q16: coordinates of an update are clipped to [-4, 4]. */
    public static final BigInteger DEFAULT_CLIP_Q16 = BigInteger.valueOf(4L << 16);
    public static final BigDecimal DEFAULT_ALPHA = new BigDecimal("0.5");
    public static final long DEFAULT_WINDOW = 3600;
    private static final long UINT16 = 65_535;
    private static final long UINT32 = 4_294_967_295L;

    /** A parser for requests that carry a signature. */
    public JobRequestParser() {
    }

    /**
     * Parses a job request.
     *
     * @param json             the request body (or the {@code job} part of a multipart request)
     * @param multipartWeights weights sent as a separate part, or {@code null}
     */
    public JobRequest parse(String json, byte[] multipartWeights) {
        return parse(json, multipartWeights, true);
    }

    /**
     * Parses a job request; {@code signed == false} for the typed-data endpoint, where a signature is not yet
     * there (and ignored if present).
     */
    public JobRequest parse(String json, byte[] multipartWeights, boolean signed) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw ProblemException.invalid("$", "malformed JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw ProblemException.invalid("$", "the job must be a JSON object");
        }
        String owner = address(root, "owner");
        ModelSpec model;
        try {
            model = ModelSpec.fromJson(required(root, "model"));
        } catch (ModelSpecException e) {
            throw ProblemException.invalid("$".equals(e.field()) ? "model" : "model." + e.field(), e.reason());
        }
        JsonNode trainingNode = required(root, "training");
        TrainingPlan training = training(trainingNode);
        BigDecimal learningRate = decimal(trainingNode, "training", "learningRate", 9);
        BigDecimal target = decimal(root, "targetAccuracy", 6);
        if (target.signum() <= 0 || target.compareTo(BigDecimal.ONE) > 0) {
            throw ProblemException.invalid("targetAccuracy", "must be in (0, 1], got " + target.toPlainString());
        }
        int maxRounds = integer(root, "maxRounds", 1, MAX_ROUNDS);

        JsonNode fee = required(root, "fee");
        String feeToken = address(fee, "fee", "token");
        BigInteger feeAmount = uint(fee.get("amount"), "fee.amount");
        if (feeAmount.signum() == 0) {
            throw ProblemException.invalid("fee.amount", "the fee must be positive");
        }
        JobRequest.FeePermit permit = permit(fee.get("permit"));

        JsonNode committee = required(root, "committee");
        int size = integer(committee, "committee", "size", 2, MAX_COMMITTEE);
        int threshold = integer(committee, "committee", "threshold", 2, MAX_COMMITTEE);
        if (threshold > size) {
            throw ProblemException.invalid("committee.threshold", "threshold t = " + threshold + " exceeds the committee size m = " + size);
        }
        if (size < 2 * threshold - 1) {
            throw ProblemException.invalid("committee.size", "the committee needs m ≥ 2t − 1 nodes so that any t honest nodes finish a round; got m = " + size + ", t = " + threshold);
        }
        int minTrainers = integer(root, "minTrainers", 2, (int) UINT16);
        int maxTrainers = root.has("maxTrainers") ? integer(root, "maxTrainers", 2, (int) UINT16) : Math.max(DEFAULT_MAX_TRAINERS, minTrainers);
        if (maxTrainers < minTrainers) {
            throw ProblemException.invalid("maxTrainers", "must be at least minTrainers = " + minTrainers + ", got " + maxTrainers);
        }
        long maxSamples = root.has("maxSamples") ? integer(root, "maxSamples", 1, UINT32) : DEFAULT_MAX_SAMPLES;
        BigInteger clipQ16 = root.has("clipQ16") ? uint(root.get("clipQ16"), "clipQ16") : DEFAULT_CLIP_Q16;
        if (clipQ16.signum() == 0) {
            throw ProblemException.invalid("clipQ16", "must be positive");
        }
        BigDecimal alpha = root.has("alpha") ? decimal(root, "alpha", 6) : DEFAULT_ALPHA;
        if (alpha.signum() < 0 || alpha.compareTo(BigDecimal.ONE) > 0) {
            throw ProblemException.invalid("alpha", "must be in [0, 1], got " + alpha.toPlainString());
        }
        JobRequest.Windows windows = windows(root.get("windows"));
        String evaluator = root.has("evaluator") && !root.get("evaluator").isNull() ? address(root, "evaluator") : null;
        BigInteger nonce = uint(root.get("nonce"), "nonce");
        long deadline = integer(root, "deadline", 1, Long.MAX_VALUE);

        byte[] weights = multipartWeights;
        JsonNode inline = root.get("initialWeights");
        if (inline != null && !inline.isNull()) {
            if (multipartWeights != null) {
                throw ProblemException.invalid("initialWeights", "send the weights either inline or as the multipart part 'weights', not both");
            }
            if (!inline.isTextual()) {
                throw ProblemException.invalid("initialWeights", "must be a base64 string of little-endian float32 values");
            }
            try {
                weights = Base64.getDecoder().decode(inline.asText());
            } catch (IllegalArgumentException e) {
                throw ProblemException.invalid("initialWeights", "not valid base64: " + e.getMessage());
            }
        }
        if (weights != null) {
            try {
                FlatParameters.decode(weights, model);
            } catch (ModelSpecException e) {
                throw ProblemException.invalid("initialWeights", e.reason());
            }
        }
        byte[] signature = null;
        if (signed) {
            signature = hex(root, "signature");
            if (signature.length != 65) {
                throw ProblemException.invalid("signature", "an EIP-712 signature is 65 bytes (r ‖ s ‖ v), got " + signature.length);
            }
        }
        JobPrivacy privacy = privacy(root.get("privacy"), minTrainers, maxTrainers, maxSamples, maxRounds, model.parameterCount());
        JobRequest.Validation validation = validation(root.get("validation"));
        return new JobRequest(owner, model, training, learningRate, target, maxRounds, feeToken, feeAmount, permit, size,
                threshold, minTrainers, maxTrainers, maxSamples, clipQ16, alpha, windows, evaluator, nonce, deadline, privacy,
                validation, weights, signature);
    }

    /** Most groups a validation set may have (the engine posts one accuracy per group). */
    static final int MAX_GROUPS = 64;

    /**
     * The owner's sealed validation set ({@code null} when absent): {@code cid} an IPFS CID, {@code commitment} 32
     * bytes of {@code 0x}-hex, not zero (zero means the evaluator's default set on chain), {@code groups} absent (none)
     * or in {@code 1..64}.
     */
    static JobRequest.Validation validation(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw ProblemException.invalid("validation", "must be an object {cid, commitment, groups}");
        }
        JsonNode cid = node.get("cid");
        if (cid == null || !cid.isTextual()) {
            throw ProblemException.invalid("validation.cid", "required: the IPFS CID of the sealed validation set");
        }
        try {
            io.zkpfl.protocol.ipfs.Cid.parse(cid.asText());
        } catch (RuntimeException e) {
            throw ProblemException.invalid("validation.cid", "not a CID (" + e.getMessage() + "): " + cid.asText());
        }
        JsonNode commitment = node.get("commitment");
        if (commitment == null || !commitment.isTextual() || !commitment.asText().matches("0x[0-9a-fA-F]{64}")) {
            throw ProblemException.invalid("validation.commitment",
                    "required: keccak256(abi.encode(bundleHash, contentKey)) as 32 bytes of 0x-hex");
        }
        if (commitment.asText().substring(2).matches("0+")) {
            throw ProblemException.invalid("validation.commitment", "must not be zero (zero names the evaluator's default set)");
        }
        int groups = 0;
        JsonNode g = node.get("groups");
        if (g != null && !g.isNull()) {
            if (!g.canConvertToInt() || !g.isIntegralNumber() || g.asInt() < 1 || g.asInt() > MAX_GROUPS) {
                throw ProblemException.invalid("validation.groups", "must be an integer in 1.." + MAX_GROUPS + ", got " + g);
            }
            groups = g.asInt();
        }
        return new JobRequest.Validation(cid.asText(), commitment.asText().toLowerCase(java.util.Locale.ROOT), groups);
    }

    /**
     * The job's DP terms ({@code null} when absent): each of {@code epsilon, delta, noiseMultiplier, l2Clip} a
     * positive decimal, {@code δ < 1/maxTrainers}, and every one of the job's {@code maxRounds} must fit the budget,
     * so the job ends before it is spent (docs/privacy.md).
     */
    static JobPrivacy privacy(JsonNode node, int minTrainers, int maxTrainers, long maxSamples, int maxRounds, long dimension) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw ProblemException.invalid("privacy", "must be an object {epsilon, delta, noiseMultiplier, l2Clip} of decimals");
        }
        java.util.Map<String, BigDecimal> v = new java.util.LinkedHashMap<>();
        for (String name : new String[] {"epsilon", "delta", "noiseMultiplier", "l2Clip"}) {
            JsonNode f = node.get(name);
            if (f == null || !(f.isNumber() || f.isTextual())) {
                throw ProblemException.invalid("privacy." + name, "required, a positive decimal");
            }
            try {
                v.put(name, new BigDecimal(f.asText()));
            } catch (NumberFormatException e) {
                throw ProblemException.invalid("privacy." + name, "not a decimal: " + f.asText());
            }
        }
        JobPrivacy privacy;
        try {
            privacy = new JobPrivacy(v.get("epsilon"), v.get("delta"), v.get("noiseMultiplier"), v.get("l2Clip"), minTrainers);
        } catch (IllegalArgumentException e) {
            String field = v.keySet().stream().filter(e.getMessage()::startsWith).findFirst().orElse("");
            throw ProblemException.invalid(field.isEmpty() ? "privacy" : "privacy." + field, e.getMessage());
        }
        if (privacy.delta().compareTo(BigDecimal.ONE.divide(BigDecimal.valueOf(maxTrainers), java.math.MathContext.DECIMAL64)) >= 0) {
            throw ProblemException.invalid("privacy.delta", "δ must be below 1/maxTrainers = 1/" + maxTrainers
                    + ", or one trainer's data could leak whole; got " + privacy.delta().toPlainString());
        }
        long fit = privacy.roundsWithinBudget(maxSamples, dimension);
        if (fit < maxRounds) {
            throw ProblemException.invalid(fit == 0 ? "privacy.noiseMultiplier" : "maxRounds", "with noise multiplier "
                    + privacy.noiseMultiplier().toPlainString() + " only " + fit + " round(s) fit the budget ε = "
                    + privacy.epsilon().toPlainString() + " at δ = " + privacy.delta().toPlainString() + "; lower maxRounds to "
                    + "at most " + fit + ", or raise ε or the noise multiplier");
        }
        return privacy;
    }

    private static JobRequest.FeePermit permit(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw ProblemException.invalid("fee.permit", "must be an object {deadline, v, r, s}");
        }
        long deadline = integer(node, "fee.permit", "deadline", 1, Long.MAX_VALUE);
        int v = integer(node, "fee.permit", "v", 0, 28);
        byte[] r = hex(node, "fee.permit", "r");
        byte[] s = hex(node, "fee.permit", "s");
        if (r.length != 32 || s.length != 32) {
            throw ProblemException.invalid("fee.permit", "r and s are 32 bytes each");
        }
        return new JobRequest.FeePermit(deadline, v < 27 ? v + 27 : v, r, s);
    }

    private static JobRequest.Windows windows(JsonNode node) {
        if (node == null || node.isNull()) {
            return new JobRequest.Windows(DEFAULT_WINDOW, DEFAULT_WINDOW, DEFAULT_WINDOW, DEFAULT_WINDOW, DEFAULT_WINDOW);
        }
        if (!node.isObject()) {
            throw ProblemException.invalid("windows", "must be an object {commit, complaint, partial, proof, reveal} in seconds");
        }
        return new JobRequest.Windows(integer(node, "windows", "commit", 1, MAX_WINDOW_SECONDS),
                integer(node, "windows", "complaint", 1, MAX_WINDOW_SECONDS), integer(node, "windows", "partial", 1, MAX_WINDOW_SECONDS),
                integer(node, "windows", "proof", 1, MAX_WINDOW_SECONDS), integer(node, "windows", "reveal", 1, MAX_WINDOW_SECONDS));
    }

    private static TrainingPlan training(JsonNode node) {
        int epochs = integer(node, "training", "localEpochs", 1, 1000);
        int batch = integer(node, "training", "batchSize", 1, 65536);
        BigDecimal rate = decimal(node, "training", "learningRate", 9);
        if (rate.signum() <= 0 || rate.compareTo(BigDecimal.TEN) > 0) {
            throw ProblemException.invalid("training.learningRate", "must be in (0, 10], got " + rate.toPlainString());
        }
        JsonNode opt = node.get("optimiser");
        Optimiser optimiser = Optimiser.SGD;
        if (opt != null && !opt.isNull()) {
            try {
                optimiser = Optimiser.valueOf(opt.asText().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw ProblemException.invalid("training.optimiser", "expected one of sgd, momentum, adam, got " + opt);
            }
        }
        return new TrainingPlan(epochs, batch, rate.doubleValue(), optimiser);
    }

    private static JsonNode required(JsonNode node, String name) {
        JsonNode value = node.get(name);
        if (value == null || !value.isObject()) {
            throw ProblemException.invalid(name, "required object");
        }
        return value;
    }

    private static String address(JsonNode node, String name) {
        return address(node, null, name);
    }

    private static String address(JsonNode node, String parent, String name) {
        String path = parent == null ? name : parent + "." + name;
        JsonNode value = node.get(name);
        if (value == null || !value.isTextual() || !ADDRESS.matcher(value.asText()).matches()) {
            throw ProblemException.invalid(path, "required 0x-prefixed 20-byte hex address");
        }
        return value.asText().toLowerCase(Locale.ROOT);
    }

    private static int integer(JsonNode node, String name, int min, int max) {
        return (int) integer(node, null, name, min, (long) max);
    }

    private static int integer(JsonNode node, String parent, String name, int min, int max) {
        return (int) integer(node, parent, name, min, (long) max);
    }

    private static long integer(JsonNode node, String name, long min, long max) {
        return integer(node, null, name, min, max);
    }

    private static long integer(JsonNode node, String parent, String name, long min, long max) {
        String path = parent == null ? name : parent + "." + name;
        JsonNode value = node.get(name);
        if (value == null || !value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < min || value.asLong() > max) {
            throw ProblemException.invalid(path, "required integer in [" + min + ", " + max + "]");
        }
        return value.asLong();
    }

    private static BigDecimal decimal(JsonNode node, String name, int maxScale) {
        return decimal(node, null, name, maxScale);
    }

    private static BigDecimal decimal(JsonNode node, String parent, String name, int maxScale) {
        String path = parent == null ? name : parent + "." + name;
        JsonNode value = node.get(name);
        if (value == null || !value.isNumber()) {
            throw ProblemException.invalid(path, "required number");
        }
        BigDecimal decimal = new BigDecimal(value.asText()).stripTrailingZeros();
        if (decimal.scale() > maxScale) {
            throw ProblemException.invalid(path, "at most " + maxScale + " decimal places, got " + value.asText());
        }
        return decimal;
    }

    private static BigInteger uint(JsonNode value, String path) {
        if (value == null || !(value.isTextual() || value.isIntegralNumber())) {
            throw ProblemException.invalid(path, "required unsigned integer (a decimal string for large values)");
        }
        BigInteger result;
        try {
            result = new BigInteger(value.asText());
        } catch (NumberFormatException e) {
            throw ProblemException.invalid(path, "not an unsigned integer: " + value);
        }
        if (result.signum() < 0 || result.compareTo(UINT256_MAX) > 0) {
            throw ProblemException.invalid(path, "must fit in uint256");
        }
        return result;
    }

    private static byte[] hex(JsonNode node, String name) {
        return hex(node, null, name);
    }

    private static byte[] hex(JsonNode node, String parent, String name) {
        String path = parent == null ? name : parent + "." + name;
        JsonNode value = node.get(name);
        if (value == null || !value.isTextual() || !HEX.matcher(value.asText()).matches()) {
            throw ProblemException.invalid(path, "required 0x-prefixed hex string");
        }
        return HexFormat.of().parseHex(value.asText().substring(2));
    }
}
