package io.zkpfl.trainer.owner;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkpfl.contracts.MarketEvent;
import io.zkpfl.trainer.chain.TrainerChain;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.web3j.utils.Numeric;

/**
 * A job's paid rounds as an owner follows them: from the JobMarket's events ({@code RoundPaid} for the accuracy, the
 * pay and the posted weights hash, {@code IncludedSetFixed} for the trainers a round included), or from the reward
 * engine's audit API ({@code GET /api/v1/audit/jobs/{job}/rounds}, docs/audit-api.md).
 */
public final class JobProgress {

    /**
     * One paid round.
     *
     * @param weightsHash keccak-256 of the round's weights w' as the evaluator posted them (hex); null when the round was
     *                    closed because the evaluator timed out (the chain then has no weights hash for it)
     */
    public record Round(int round, int trainers, long accuracyPpm, BigInteger paid, String weightsHash) {

        /** {@code round  trainers  accuracy  paid (tokens)}, aligned under {@link #HEADER}. */
        public String line() {
            return String.format(Locale.ROOT, "%-6d %-9d %-9.4f %s", round, trainers, accuracyPpm / 1e6, tokens(paid));
        }
    }

    /** The column names of {@link Round#line()}. */
    public static final String HEADER = String.format(Locale.ROOT, "%-6s %-9s %-9s %s", "round", "trainers", "accuracy",
            "paid (tokens)");

    private JobProgress() {
    }

    /** Paid rounds of {@code job}, oldest first, from the chain's events. */
    public static List<Round> fromChain(TrainerChain chain, BigInteger job) {
        Map<Integer, Integer> included = new HashMap<>();
        for (var e : chain.events(MarketEvent.IncludedSetFixed.class, job, 0)) {
            included.put(e.round(), e.included().size()); // a later attempt of a round replaces an earlier one
        }
        Set<Integer> timedOut = new HashSet<>();
        for (var e : chain.events(MarketEvent.EvaluatorTimedOut.class, job, 0)) {
            timedOut.add(e.round());
        }
        List<Round> rounds = new ArrayList<>();
        for (var e : chain.events(MarketEvent.RoundPaid.class, job, 0)) {
            int r = e.round();
            rounds.add(new Round(r, included.getOrDefault(r, 0), e.accuracyPpm(), e.paid(),
                    timedOut.contains(r) ? null : Numeric.toHexString(e.model())));
        }
        return rounds;
    }

    /** Rounds with a result from the audit API's {@code rounds} page, oldest first. */
    public static List<Round> fromAudit(JsonNode page) {
        List<Round> rounds = new ArrayList<>();
        for (JsonNode r : page.path("items")) {
            JsonNode result = r.path("result");
            if (result.isMissingNode() || result.isNull()) {
                continue;
            }
            int trainers = 0;
            for (JsonNode a : r.path("attempts")) {
                if (a.path("included").has("trainers")) {
                    trainers = a.path("included").path("trainers").size();
                }
            }
            String hash = result.path("weightsHash").asText(null);
            rounds.add(new Round(r.path("round").asInt(), trainers, result.path("accuracyPpm").asLong(),
                    new BigInteger(result.path("paid").asText("0")), hash == null || hash.isBlank() ? null : hash));
        }
        return rounds;
    }

    /** The last round whose result the evaluator posted: the job's current (at the end, final) model. */
    public static Optional<Round> lastResult(List<Round> rounds) {
        Round last = null;
        for (Round r : rounds) {
            if (r.weightsHash() != null && (last == null || r.round() >= last.round())) {
                last = r;
            }
        }
        return Optional.ofNullable(last);
    }

    /** Base units (18 decimals) as tokens with four decimals. */
    static String tokens(BigInteger baseUnits) {
        return new BigDecimal(baseUnits).movePointLeft(18).setScale(4, RoundingMode.DOWN).toPlainString();
    }
}
