package io.zkpfl.devstack.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkpfl.protocol.chain.DevChainKeys;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Locale;

/**
 * The unsigned job the dev owner posts to the marketplace ({@code POST /api/v1/jobs}, docs/marketplace-api.md), with
 * the demo's terms as defaults: SGD with two local epochs at 0.1, batch 32, a committee of 3 with threshold 2, 1,000
 * tokens of fee, a 10 s complaint window. The demo, the end-to-end test and the secure-round benchmark post jobs
 * through this one builder and change only what they need.
 */
public final class DemoJob {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonNode model;
    private final String feeToken;
    private int localEpochs = 2;
    private int batchSize = 32;
    private BigDecimal learningRate = new BigDecimal("0.1");
    private BigDecimal target = new BigDecimal("0.80");
    private int maxRounds = 15;
    private String fee = "1000000000000000000000";
    private int minTrainers = 2;
    private int maxTrainers = 4;
    private int maxSamples = 60_000;
    private int commitWindow = 600;
    private int complaintWindow = 10;
    private int proofWindow = 300;
    private String nonce = String.valueOf(System.currentTimeMillis());
    private long validSeconds = 3_600;

    private DemoJob(JsonNode model, String feeToken) {
        this.model = model;
        this.feeToken = feeToken;
    }

    /** A job for {@code modelSpec} (the JSON {@code models --show} prints), paid in {@code feeToken}. */
    public static DemoJob of(String modelSpec, String feeToken) {
        try {
            return new DemoJob(JSON.readTree(modelSpec), feeToken);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("the model specification is not JSON: " + e.getMessage(), e);
        }
    }

    public DemoJob training(int epochs, int batch, BigDecimal lr) {
        this.localEpochs = epochs;
        this.batchSize = batch;
        this.learningRate = lr;
        return this;
    }

    public DemoJob target(BigDecimal accuracy) {
        this.target = accuracy;
        return this;
    }

    public DemoJob rounds(int budget) {
        this.maxRounds = budget;
        return this;
    }

    /** The fee in the token's smallest unit. */
    public DemoJob fee(String amount) {
        this.fee = amount;
        return this;
    }

    public DemoJob trainers(int min, int max) {
        this.minTrainers = min;
        this.maxTrainers = max;
        return this;
    }

    public DemoJob maxSamples(int samples) {
        this.maxSamples = samples;
        return this;
    }

    /** Commit, complaint and proof windows in seconds (partial and reveal windows stay 120 s). */
    public DemoJob windows(int commit, int complaint, int proof) {
        this.commitWindow = commit;
        this.complaintWindow = complaint;
        this.proofWindow = proof;
        return this;
    }

    /** A fixed nonce: on a fresh chain it fixes the marketplace's initial weights. */
    public DemoJob nonce(String value) {
        this.nonce = value;
        return this;
    }

    /** How long the owner's signature stays valid. */
    public DemoJob validFor(long seconds) {
        this.validSeconds = seconds;
        return this;
    }

    /** The request body, owned by the dev owner ({@link LocalSystem#OWNER}). */
    public ObjectNode json() {
        ObjectNode j = JSON.createObjectNode();
        j.put("owner", LocalSystem.address(DevChainKeys.privateKey(LocalSystem.OWNER)).toLowerCase(Locale.ROOT));
        j.set("model", model);
        j.putObject("training").put("localEpochs", localEpochs).put("batchSize", batchSize)
                .put("learningRate", learningRate).put("optimiser", "sgd");
        j.put("targetAccuracy", target);
        j.put("maxRounds", maxRounds);
        j.putObject("fee").put("token", feeToken).put("amount", fee);
        j.putObject("committee").put("size", 3).put("threshold", 2);
        j.put("minTrainers", minTrainers).put("maxTrainers", maxTrainers).put("maxSamples", maxSamples);
        j.putObject("windows").put("commit", commitWindow).put("complaint", complaintWindow).put("partial", 120)
                .put("proof", proofWindow).put("reveal", 120);
        j.put("nonce", nonce);
        j.put("deadline", Instant.now().getEpochSecond() + validSeconds);
        return j;
    }
}
