package io.zkpfl.protocol.dp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkpfl.protocol.fixedpoint.FixedPoint;
import java.math.BigDecimal;
import java.math.MathContext;

/**
 * A job's differential-privacy terms (docs/privacy.md), as the owner signs them inside the job manifest (whose
 * keccak is the on-chain {@code modelHash}): the budget {@code (ε, δ)} over all rounds, the noise multiplier
 * {@code z}, the L2 clip {@code C} of an update, and {@code n_min}, the fewest trainers a round may aggregate, among
 * whom the noise is split. The aggregate noise has {@code σ = z · N_max · C} in model units. The marketplace
 * refuses a job whose rounds do not fit the budget, trainers add their share of noise, and the reward engine
 * reports {@code ε} after every certified round — all from this one record, so they agree.
 *
 * @param epsilon         total {@code ε}, in (0, 100]
 * @param delta           total {@code δ}, in (0, 0.01]
 * @param noiseMultiplier {@code z}, in (0, 1000]
 * @param l2Clip          {@code C}, the L2 norm each trainer clips its update {@code Δ_i} to, in (0, 1000]
 * @param minTrainers     {@code n_min ≥ 1}
 */
public record JobPrivacy(BigDecimal epsilon, BigDecimal delta, BigDecimal noiseMultiplier, BigDecimal l2Clip,
                         int minTrainers) {

    public JobPrivacy {
        check("epsilon", epsilon, BigDecimal.valueOf(100));
        check("delta", delta, new BigDecimal("0.01"));
        check("noiseMultiplier", noiseMultiplier, BigDecimal.valueOf(1000));
        check("l2Clip", l2Clip, BigDecimal.valueOf(1000));
        if (minTrainers < 1) {
            throw new IllegalArgumentException("n_min must be at least 1, got " + minTrainers);
        }
        epsilon = epsilon.stripTrailingZeros();
        delta = delta.stripTrailingZeros();
        noiseMultiplier = noiseMultiplier.stripTrailingZeros();
        l2Clip = l2Clip.stripTrailingZeros();
    }

    private static void check(String name, BigDecimal v, BigDecimal max) {
        if (v == null || v.signum() <= 0 || v.compareTo(max) > 0) {
            throw new IllegalArgumentException(name + " must be in (0, " + max.toPlainString() + "], got "
                    + (v == null ? "nothing" : v.toPlainString()));
        }
    }

    /** {@code σ = z · N_max · C}, model units. */
    public BigDecimal sigma(long maxSamples) {
        return noiseMultiplier.multiply(BigDecimal.valueOf(maxSamples)).multiply(l2Clip, MathContext.DECIMAL128);
    }

    /** How the noise is split among trainers: what each trainer samples from. */
    public DistributedNoise noise(long maxSamples) {
        return DistributedNoise.ofModelUnits(sigma(maxSamples), FixedPoint.FRACTIONAL_BITS, minTrainers);
    }

    /** The mechanism one certified round spends, for a model of {@code dimension} parameters. */
    public RdpMechanism perRound(long maxSamples, long dimension) {
        double sensitivity = DistributedNoise.encodedL2Sensitivity(l2Clip.doubleValue(), maxSamples,
                FixedPoint.FRACTIONAL_BITS, dimension);
        return noise(maxSamples).perRound(sensitivity, dimension, 0);
    }

    /** A fresh ledger for the job. */
    public RoundAccountant accountant(long maxSamples, long dimension) {
        return new RoundAccountant(new PrivacyBudget(epsilon.doubleValue(), delta.doubleValue()),
                perRound(maxSamples, dimension));
    }

    /** How many certified rounds fit the budget. */
    public long roundsWithinBudget(long maxSamples, long dimension) {
        return accountant(maxSamples, dimension).remainingRounds();
    }

    /** The guarantee after {@code rounds} certified rounds ({@code ε} at the job's {@code δ}). */
    public PrivacySpent spentAfter(long rounds, long maxSamples, long dimension) {
        RdpAccountant a = new RdpAccountant(delta.doubleValue());
        return a.spentAfter(perRound(maxSamples, dimension), rounds);
    }

    /** The manifest's {@code privacy} object: decimals as strings, keys in this order. */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("epsilon", epsilon.toPlainString());
        o.put("delta", delta.toPlainString());
        o.put("noiseMultiplier", noiseMultiplier.toPlainString());
        o.put("l2Clip", l2Clip.toPlainString());
        o.put("minTrainers", minTrainers);
        return o;
    }

    /**
     * Reads the manifest's {@code privacy} object.
     *
     * @throws IllegalArgumentException naming the field that is missing or out of range
     */
    public static JobPrivacy fromJson(JsonNode o) {
        if (o == null || !o.isObject()) {
            throw new IllegalArgumentException("privacy must be an object {epsilon, delta, noiseMultiplier, l2Clip, minTrainers}");
        }
        return new JobPrivacy(decimal(o, "epsilon"), decimal(o, "delta"), decimal(o, "noiseMultiplier"),
                decimal(o, "l2Clip"), o.path("minTrainers").asInt(0));
    }

    private static BigDecimal decimal(JsonNode o, String name) {
        JsonNode v = o.get(name);
        if (v == null || !(v.isTextual() || v.isNumber())) {
            throw new IllegalArgumentException("privacy." + name + " is missing or not a number");
        }
        try {
            return new BigDecimal(v.asText());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("privacy." + name + " is not a decimal: " + v.asText());
        }
    }
}
