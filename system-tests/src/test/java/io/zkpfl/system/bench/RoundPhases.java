package io.zkpfl.system.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One secure round cut into phases along its critical path, from three sources that each party leaves anyway: the
 * audit API's round (every transaction with its block, whose timestamp is chain time), the trainers' {@code run}
 * output (stamped as it appeared, {@link LineStamps}) and the nodes' logs (Quarkus timestamps).
 *
 * <p>Points on the path, each the LAST party to get there: {@code T0} attempt opened (block), {@code Tk} the last node's round key mined, {@code T1} model fetched
 * and checked by the last trainer, {@code T2} its local training done, {@code T3} the last commit mined, {@code T4}
 * the last trainer's envelopes delivered (Kafka), {@code T5} the last node's share check logged, {@code T7}
 * the leader's batched openings mined after the complaint window (they fix the included set and certify in one
 * transaction), {@code T8} last reveal mined,
 * {@code T9} the aggregate's opening ({@code openResult}) mined, {@code T10} the evaluator's result mined. Block
 * timestamps are whole seconds, so a phase between two blocks is a multiple of the block time.
 */
record RoundPhases(int round, int trainers, double keys, double model, double trainMax, double trainMean, double shareCommit,
                   double deliver, double check, double openings, double reveals, double aggregate,
                   double evaluate, double total, long accuracyPpm) {

    /** What one trainer's {@code run} output says about one round. */
    record TrainerRound(Instant modelChecked, double trainSeconds, Instant trained, Instant committed, Instant delivered) {
    }

    private static final Pattern CHECKED = Pattern.compile("^round (\\d+) attempt (\\d+): model checked");
    private static final Pattern EPOCH = Pattern.compile("^epoch \\d+/\\d+: \\d+ samples, train loss [^,]+, ([0-9.]+) s,");
    private static final Pattern COMMITTED = Pattern.compile("^round (\\d+) attempt (\\d+): committed ");
    private static final Pattern DELIVERED = Pattern.compile("^round (\\d+) attempt (\\d+): \\d+ envelopes and the manifest delivered");
    private static final Pattern NODE_CHECKED = Pattern.compile(
            "^(\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2},\\d{3}) .*job (\\d+) round (\\d+) attempt (\\d+): checked (\\d+) shares as node");
    private static final DateTimeFormatter QUARKUS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS");

    /** Trainer output for {@code round} (its last attempt there), or null when the trainer did not commit in it. */
    static TrainerRound trainer(List<LineStamps.Stamped> lines, int round) {
        Instant checked = null;
        Instant trained = null;
        Instant committed = null;
        Instant delivered = null;
        double seconds = 0;
        boolean inRound = false;
        for (LineStamps.Stamped s : lines) {
            String l = s.line();
            Matcher m = CHECKED.matcher(l);
            if (m.find()) {
                inRound = Integer.parseInt(m.group(1)) == round;
                if (inRound) {
                    checked = s.at();
                    seconds = 0;
                    trained = null;
                    committed = null;
                    delivered = null;
                }
                continue;
            }
            if (!inRound) {
                continue;
            }
            m = EPOCH.matcher(l);
            if (m.find() && committed == null) {
                seconds += Double.parseDouble(m.group(1));
                trained = s.at();
                continue;
            }
            if (COMMITTED.matcher(l).find()) {
                committed = s.at();
            } else if (DELIVERED.matcher(l).find()) {
                delivered = s.at();
                inRound = false;
            }
        }
        return checked == null || committed == null ? null : new TrainerRound(checked, seconds, trained, committed, delivered);
    }

    /** When each node logged its share check of chain job {@code job}, round {@code round}. */
    static List<Instant> nodeChecks(List<String> nodeLog, String job, int round, ZoneId zone) {
        List<Instant> out = new ArrayList<>();
        for (String l : nodeLog) {
            Matcher m = NODE_CHECKED.matcher(l);
            if (m.find() && m.group(2).equals(job) && Integer.parseInt(m.group(3)) == round) {
                out.add(LocalDateTime.parse(m.group(1), QUARKUS).atZone(zone).toInstant());
            }
        }
        return out;
    }

    /**
     * The phases of audit round {@code auditRound} (one item of {@code /api/v1/audit/jobs/{job}/rounds}); null when the
     * round has no result yet.
     *
     * @param blockTime a block number's timestamp
     * @param lastKeyBlock the block of the round's last {@code RoundKeyPosted}, null if unknown
     */
    static RoundPhases of(JsonNode auditRound, LongFunction<Instant> blockTime, Long lastKeyBlock, List<TrainerRound> trainers,
                          List<Instant> nodeChecks) {
        JsonNode result = auditRound.get("result");
        if (result == null || result.isNull()) {
            return null;
        }
        JsonNode attempt = null;
        for (JsonNode a : auditRound.path("attempts")) {
            if (a.hasNonNull("aggregate")) {
                attempt = a;
            }
        }
        if (attempt == null) {
            return null;
        }
        Instant t0 = blockTime.apply(attempt.path("opened").path("block").asLong());
        Instant tk = lastKeyBlock == null ? null : blockTime.apply(lastKeyBlock);
        Instant t3 = latestBlock(attempt.path("commits"), blockTime);
        Instant t7 = blockTime.apply(attempt.path("certified").path("block").asLong());
        Instant t8 = latestBlock(attempt.path("reveals"), blockTime);
        Instant t9 = blockTime.apply(attempt.path("aggregate").path("block").asLong());
        Instant t10 = blockTime.apply(result.path("block").asLong());
        Instant t1 = latest(trainers.stream().map(TrainerRound::modelChecked).toList());
        Instant t2 = latest(trainers.stream().map(t -> t.trained() != null ? t.trained() : t.modelChecked()).toList());
        Instant t4 = latest(trainers.stream().map(t -> t.delivered() != null ? t.delivered() : t.committed()).toList());
        Instant t5 = latest(nodeChecks);
        double trainMax = trainers.stream().mapToDouble(TrainerRound::trainSeconds).max().orElse(Double.NaN);
        double trainMean = trainers.stream().mapToDouble(TrainerRound::trainSeconds).average().orElse(Double.NaN);
        return new RoundPhases(auditRound.path("round").asInt(), attempt.path("commits").size(), secs(t0, tk), secs(tk, t1), trainMax,
                trainMean, secs(t2, t3), secs(t3, t4), secs(t3, t5), secs(t5, t7), secs(t7, t8), secs(t8, t9),
                secs(t9, t10), secs(t0, t10), result.path("accuracyPpm").asLong());
    }

    private static Instant latestBlock(JsonNode txs, LongFunction<Instant> blockTime) {
        long max = -1;
        for (JsonNode t : txs) {
            max = Math.max(max, t.path("block").asLong(-1));
        }
        return max < 0 ? null : blockTime.apply(max);
    }

    private static Instant latest(List<Instant> times) {
        return times.stream().filter(java.util.Objects::nonNull).max(Instant::compareTo).orElse(null);
    }

    private static double secs(Instant from, Instant to) {
        return from == null || to == null ? Double.NaN : Duration.between(from, to).toMillis() / 1000.0;
    }
}
