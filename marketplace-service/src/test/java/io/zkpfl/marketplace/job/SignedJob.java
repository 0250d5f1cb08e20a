package io.zkpfl.marketplace.job;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restassured.path.json.JsonPath;
import io.zkpfl.contracts.JobSignature;
import io.zkpfl.contracts.generated.JobMarket.JobParams;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;

/**
 * Builds job requests as a model owner's client would: the JSON body, the manifest written out here from its
 * documented format (not with the service's {@code JobManifest}), the {@code JobParams} with the documented
 * defaults, and the owner's EIP-712 signature over them for the deployment {@code GET /api/v1/chain} names.
 */
final class SignedJob {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String MLP = "{\"input\":{\"shape\":[784]},\"layers\":[{\"type\":\"dense\",\"units\":32,\"activation\":\"relu\"},"
            + "{\"type\":\"output\",\"units\":10,\"activation\":\"softmax\"}],\"loss\":\"cross_entropy\"}";
    static final String TINY = "{\"input\":{\"shape\":[4]},\"layers\":[{\"type\":\"output\",\"units\":3,\"activation\":\"softmax\"}],\"loss\":\"cross_entropy\"}";
    static final int TINY_PARAMETERS = 4 * 3 + 3;
    /** 100 tokens of 18 decimals: the dev platform's minimum fee. */
    static final String FEE = "100000000000000000000";
    /** Dev account 8: the evaluator the test jobs name. */
    static final String EVALUATOR = "0x23618e81e3f5cdf7f54c3d65f7fbc0abf5b21e8f";

    private static volatile JsonPath chain;

    ObjectNode body = JSON.createObjectNode();
    String canonicalModel;
    /** The typed data's parameters of the last {@link #signedBy} call. */
    JobParams params;
    /** The manifest of the last {@link #signedBy} call. */
    String manifest;

    /** {@code GET /api/v1/chain}: chain id and contract addresses. */
    static JsonPath chain() {
        if (chain == null) {
            chain = given().when().get("/api/v1/chain").then().statusCode(200).extract().jsonPath();
        }
        return chain;
    }

    static long chainId() {
        return chain().getLong("chainId");
    }

    static String market() {
        return chain().getString("market");
    }

    static String token() {
        return chain().getString("token").toLowerCase();
    }

    static SignedJob tiny(String owner, long nonce) {
        SignedJob job = new SignedJob();
        job.body.put("owner", owner);
        job.model(TINY);
        ObjectNode training = job.body.putObject("training");
        training.put("localEpochs", 2).put("batchSize", 32).put("learningRate", 0.05).put("optimiser", "sgd");
        job.body.put("targetAccuracy", 0.85);
        job.body.put("maxRounds", 20);
        job.body.putObject("fee").put("token", token()).put("amount", FEE);
        job.body.putObject("committee").put("size", 3).put("threshold", 2);
        job.body.put("minTrainers", 2);
        job.body.put("evaluator", EVALUATOR);
        job.body.put("nonce", String.valueOf(nonce));
        job.body.put("deadline", Instant.now().getEpochSecond() + 3600);
        return job;
    }

    SignedJob model(String json) {
        try {
            body.set("model", JSON.readTree(json));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
        try {
            canonicalModel = io.zkpfl.protocol.model.ModelSpec.parse(json).toJson();
        } catch (io.zkpfl.protocol.model.ModelSpecException invalidOnPurpose) {
            canonicalModel = json;
        }
        return this;
    }

    SignedJob weights(byte[] weights) {
        body.put("initialWeights", Base64.getEncoder().encodeToString(weights));
        return this;
    }

    /** Signs the body's current content with {@code privateKey} for the service's chain and market; returns the JSON. */
    String signedBy(String privateKey) {
        return signedBy(privateKey, null);
    }

    String signedBy(String privateKey, byte[] multipartWeights) {
        return signedBy(privateKey, multipartWeights, chainId(), market());
    }

    /** Signs for the given chain id and market (another deployment, to test the domain binding). */
    String signedBy(String privateKey, byte[] multipartWeights, long chainId, String market) {
        try {
            try {
                params = params(multipartWeights);
            } catch (RuntimeException unencodable) {
                // a deliberately invalid field (e.g. a negative accuracy) has no JobParams encoding; the
                // service must reject the field before it looks at the signature
                body.put("signature", "0x" + "00".repeat(65));
                return JSON.writeValueAsString(body);
            }
            byte[] rsv = JobSignature.sign(params, chainId, market, Credentials.create(privateKey));
            body.put("signature", "0x" + HexFormat.of().formatHex(rsv));
            return JSON.writeValueAsString(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The manifest as docs/marketplace-api.md defines it, written out by hand. */
    String manifest(byte[] multipartWeights) {
        byte[] weights = multipartWeights != null ? multipartWeights
                : body.has("initialWeights") ? Base64.getDecoder().decode(body.get("initialWeights").asText()) : null;
        String initialisation = "null";
        long parameters = io.zkpfl.protocol.model.ModelSpec.parse(canonicalModel).parameterCount();
        if (weights == null) {
            long seed = new BigInteger(body.get("nonce").asText()).longValue() & Long.MAX_VALUE;
            weights = io.zkpfl.protocol.model.FlatParameters.encode(io.zkpfl.protocol.model.WeightInitializer.initialise(
                    io.zkpfl.protocol.model.ModelSpec.parse(canonicalModel), seed));
            initialisation = "{\"method\":\"he-xavier-normal\",\"seed\":" + seed + "}";
        }
        ObjectNode training = (ObjectNode) body.get("training");
        return "{\"version\":1,\"modelSpec\":\"" + keccak(canonicalModel.getBytes(StandardCharsets.UTF_8)) + "\","
                + "\"parameterCount\":" + parameters + ","
                + "\"initialWeights\":{\"keccak256\":\"" + keccak(weights) + "\",\"bytes\":" + weights.length
                + ",\"initialisation\":" + initialisation + "},"
                + "\"training\":{\"localEpochs\":" + training.get("localEpochs").asInt() + ",\"batchSize\":"
                + training.get("batchSize").asInt() + ",\"learningRate\":\""
                + training.get("learningRate").decimalValue().stripTrailingZeros().toPlainString() + "\",\"optimiser\":\""
                + training.get("optimiser").asText() + "\"}" + privacy() + validation() + "}";
    }

    /** The manifest's privacy object, by hand: decimals as plain strings, n_min = minTrainers. */
    private String privacy() {
        JsonNode p = body.get("privacy");
        if (p == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(",\"privacy\":{");
        for (String name : new String[] {"epsilon", "delta", "noiseMultiplier", "l2Clip"}) {
            sb.append('"').append(name).append("\":\"")
                    .append(new BigDecimal(p.get(name).asText()).stripTrailingZeros().toPlainString()).append("\",");
        }
        return sb.append("\"minTrainers\":").append(body.get("minTrainers").asInt()).append('}').toString();
    }

    /** The manifest's validation object, by hand: cid, commitment in lower case, groups (0 when the body has none). */
    private String validation() {
        JsonNode v = body.get("validation");
        if (v == null) {
            return "";
        }
        return ",\"validation\":{\"cid\":\"" + v.get("cid").asText() + "\",\"commitment\":\""
                + v.get("commitment").asText().toLowerCase(java.util.Locale.ROOT) + "\",\"groups\":"
                + (v.has("groups") ? v.get("groups").asInt() : 0) + "}";
    }

    /** The JobParams of the body with the documented defaults for what it leaves out. */
    JobParams params(byte[] multipartWeights) {
        manifest = manifest(multipartWeights);
        long d = io.zkpfl.protocol.model.ModelSpec.parse(canonicalModel).parameterCount();
        long bucket = 4;
        while (bucket < d + 2) {
            bucket *= 2;
        }
        int minTrainers = body.get("minTrainers").asInt();
        return new JobParams(body.get("owner").asText(), body.get("fee").get("token").asText(),
                new BigInteger(body.get("fee").get("amount").asText()), body.get("evaluator").asText(),
                Hash.sha3(manifest.getBytes(StandardCharsets.UTF_8)), BigInteger.valueOf(bucket),
                BigInteger.valueOf(body.get("maxRounds").asInt()), BigInteger.valueOf(body.get("committee").get("size").asInt()),
                BigInteger.valueOf(body.get("committee").get("threshold").asInt()), BigInteger.valueOf(minTrainers),
                BigInteger.valueOf(Math.max(16, minTrainers)), BigInteger.valueOf(60_000), BigInteger.valueOf(4L << 16),
                ppm(body.get("targetAccuracy").decimalValue()), BigInteger.valueOf(500_000),
                BigInteger.valueOf(3600), BigInteger.valueOf(3600), BigInteger.valueOf(3600), BigInteger.valueOf(3600),
                BigInteger.valueOf(3600), new BigInteger(body.get("nonce").asText()), BigInteger.valueOf(body.get("deadline").asLong()),
                commitment(), io.zkpfl.contracts.JobSignature.evaluatorVersion(io.zkpfl.contracts.JobSignature.DEFAULT_EVALUATOR_RELEASE),
                io.zkpfl.contracts.JobSignature.defaultEvaluatorBond(body.get("owner").asText(), body.get("evaluator").asText(),
                        new BigInteger(body.get("fee").get("amount").asText()), commitment()),
                BigInteger.valueOf(body.has("validation") ? body.get("validation").path("groups").asInt(0) : 0));
    }

    /** The owner's validation commitment the body names (docs/adr/0105), or 32 zero bytes for the default set. */
    private byte[] commitment() {
        JsonNode v = body.get("validation");
        return v == null ? new byte[32] : org.web3j.utils.Numeric.hexStringToByteArray(v.get("commitment").asText());
    }

    private static BigInteger ppm(BigDecimal value) {
        if (value.signum() <= 0 || value.compareTo(BigDecimal.ONE) > 0) {
            throw new IllegalArgumentException("not a ppm fraction: " + value);
        }
        return value.movePointRight(6).toBigIntegerExact();
    }

    static String keccak(byte[] bytes) {
        return "0x" + HexFormat.of().formatHex(Hash.sha3(bytes));
    }

    static byte[] floats(int n, float start) {
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(4 * n).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            buffer.putFloat(start + i * 0.25f);
        }
        return buffer.array();
    }
}
