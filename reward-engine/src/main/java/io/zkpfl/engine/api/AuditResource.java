package io.zkpfl.engine.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkpfl.engine.round.ModelStore;
import io.zkpfl.engine.round.PrivacyTerms;
import io.zkpfl.protocol.ipfs.Cid;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.web3j.utils.Numeric;

/**
 * The audit API (docs/audit-api.md): every figure read from the event index, each with the transaction and block
 * that carry it. Lists are in chain order with cursor pagination: pass a page's {@code next} as {@code after}.
 */
@Path("/api/v1/audit")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "audit")
public class AuditResource {

    static final int MAX_LIMIT = 500;

    /** Where a fact was mined. */
    public record Tx(String tx, long block) {
        static Tx of(EventQueries.Row r) {
            return new Tx(r.tx(), r.block());
        }
    }

    /** A page of items; {@code next} is the cursor of the last one, null at the end. */
    public record Page<T>(List<T> items, String next) {
    }

    /** An indexed event as stored. */
    public record EventView(String contract, String name, String job, Integer round, Integer attempt, String account,
                            JsonNode args, String tx, long block, int logIndex) {
    }

    public record Payment(String job, int round, String account, String role, String amount, String tx, long block) {
    }

    public record Claim(String account, String token, String amount, String tx, long block) {
    }

    /** A slash with its reason and the fault that proved it (same transaction). */
    public record Slash(String account, String amount, String reason, String job, Integer round, Integer attempt,
                        String tx, long block) {
    }

    public record Commit(String trainer, int index, long samples, String manifest, List<String> commitments, String tx,
                         long block) {
    }

    public record NodeAct(String node, Integer k, String detail, String tx, long block) {
    }

    public record Reveal(String node, String cid, String tx, long block) {
    }

    public record Included(List<String> trainers, long sampleSum, String tx, long block) {
    }

    public record Aggregate(String resultX, String resultY, long sampleSum, String chainModel, String weightsCid,
                            String tx, long block) {
    }

    public record Attempt(int attempt, Tx opened, List<Commit> commits, List<String> excluded, Included included,
                          List<NodeAct> openings, Tx certified, List<Reveal> reveals, Aggregate aggregate,
                          String outcome, List<NodeAct> faults) {
    }

    /** {@code groupAccuraciesPpm}: this evaluator's per-group figures of the round (empty for a job without groups). */
    public record Result(String weightsHash, long accuracyPpm, List<Integer> groupAccuraciesPpm, String pool, String paid,
                         String tx, long block) {
    }

    /**
     * The differential privacy spent by the end of a round (docs/privacy.md): {@code ε} at the job's {@code δ} after
     * the {@code certifiedRounds} certified attempts up to and including this round, each charged once.
     */
    public record RoundPrivacy(double epsilon, double delta, long certifiedRounds) {
    }

    /** {@code privacy} is null for a job without DP terms, or one whose manifest was not registered with this engine. */
    public record Round(int round, List<Attempt> attempts, Result result, List<Payment> payments, RoundPrivacy privacy) {
    }

    /**
     * A DP job's signed terms, how many certified rounds fit its budget and what the rounds so far spent.
     */
    public record JobPrivacy(String epsilon, String delta, String noiseMultiplier, String l2Clip, int minTrainers,
                             long roundsWithinBudget, long certifiedRounds, double spentEpsilon) {
    }

    public record JobView(String job, String owner, String feeToken, String escrowed, Tx created, List<String> committee,
                          List<String> trainers, String credited, String refunded, Integer status, Tx finished,
                          JobPrivacy privacy) {
    }

    public record AccountView(String account, String earned, String claimed, String slashed, long payments,
                              long claims, long slashes) {
    }

    private final EventQueries events;
    private final ModelStore store;
    private final PrivacyTerms privacy;

    public AuditResource(EventQueries events, ModelStore store, PrivacyTerms privacy) {
        this.events = events;
        this.store = store;
        this.privacy = privacy;
    }

    /** The job's DP terms, if it has any and this engine holds its manifest. */
    private java.util.Optional<PrivacyTerms.Terms> terms(BigInteger job) {
        try {
            return privacy.of(job);
        } catch (RuntimeException e) {
            throw new ProblemException(503, "Service Unavailable", "job " + job + "'s privacy terms cannot be read: "
                    + e.getMessage());
        }
    }

    /** The round of each certified attempt of the job, in chain order. */
    private List<Integer> certifiedRounds(BigInteger job) {
        return all(job, null, List.of("RoundCertified"), null).stream().map(EventQueries.Row::round).toList();
    }

    @GET
    @Path("/index")
    @Operation(summary = "How far the index has read the chain")
    public Map<String, Long> index() {
        long[] s = events.status();
        Map<String, Long> out = new LinkedHashMap<>();
        out.put("events", s[0]);
        out.put("nextBlock", s[1]);
        return out;
    }

    @GET
    @Path("/events")
    @Operation(summary = "Indexed events in chain order, filtered by job, account and event name")
    public Page<EventView> events(@QueryParam("job") String job, @QueryParam("account") String account,
                                  @QueryParam("name") List<String> names, @QueryParam("after") String after,
                                  @QueryParam("limit") @DefaultValue("100") int limit) {
        List<EventQueries.Row> rows = events.events(job == null ? null : JobModelResource.jobId(job),
                account == null ? null : address(account), names, null, EventQueries.Cursor.parse(after), limit(limit));
        return page(rows.stream().map(r -> new EventView(r.contract(), r.name(), r.job() == null ? null : r.job().toString(),
                r.round(), r.attempt(), r.account(), r.args(), r.tx(), r.block(), r.logIndex())).toList(), rows, limit);
    }

    @GET
    @Path("/jobs/{job}")
    @Operation(summary = "A job's creation, committee, trainers, escrow, credited and refunded amounts")
    public JobView job(@PathParam("job") String jobText) {
        BigInteger job = JobModelResource.jobId(jobText);
        List<EventQueries.Row> rows = all(job, null, List.of("JobCreated", "CommitteeDrawn", "TrainerJoined",
                "RewardCredited", "JobFinished"), null);
        EventQueries.Row created = rows.stream().filter(r -> r.name().equals("JobCreated")).findFirst()
                .orElseThrow(() -> new ProblemException(404, "Not Found", "job " + job + " is not in the index (yet)"));
        List<String> committee = new ArrayList<>();
        List<String> trainers = new ArrayList<>();
        BigInteger credited = BigInteger.ZERO;
        String refunded = null;
        Integer status = null;
        Tx finished = null;
        for (EventQueries.Row r : rows) {
            switch (r.name()) {
                case "CommitteeDrawn" -> r.args().get("committee").forEach(a -> committee.add(a.asText()));
                case "TrainerJoined" -> trainers.add(r.args().get("trainer").asText());
                case "RewardCredited" -> credited = credited.add(new BigInteger(r.args().get("amount").asText()));
                case "JobFinished" -> {
                    refunded = r.args().get("refunded").asText();
                    status = r.args().get("status").asInt();
                    finished = Tx.of(r);
                }
                default -> { }
            }
        }
        JsonNode a = created.args();
        JobPrivacy dp = terms(job).map(t -> {
            long certified = certifiedRounds(job).size();
            return new JobPrivacy(t.privacy().epsilon().toPlainString(), t.privacy().delta().toPlainString(),
                    t.privacy().noiseMultiplier().toPlainString(), t.privacy().l2Clip().toPlainString(),
                    t.privacy().minTrainers(), t.roundsWithinBudget(), certified, t.after(certified).epsilon());
        }).orElse(null);
        return new JobView(job.toString(), a.get("owner").asText(), a.get("feeToken").asText(), a.get("escrowed").asText(),
                Tx.of(created), committee, trainers, credited.toString(), refunded, status, finished, dp);
    }

    @GET
    @Path("/jobs/{job}/rounds")
    @Operation(summary = "A job's rounds: each attempt's commits, included trainers, openings, reveals, aggregate, "
            + "the posted result and the round's payments")
    public Page<Round> rounds(@PathParam("job") String jobText, @QueryParam("after") String after,
                              @QueryParam("limit") @DefaultValue("20") int limit) {
        BigInteger job = JobModelResource.jobId(jobText);
        int afterRound;
        try {
            afterRound = after == null || after.isBlank() ? -1 : Integer.parseInt(after);
        } catch (NumberFormatException e) {
            throw new ProblemException(400, "Bad Request", "after must be a round number, got '" + after + "'");
        }
        int n = limit(limit);
        List<Integer> numbers = events.rounds(job, afterRound, n);
        Set<String> committee = new HashSet<>();
        all(job, null, List.of("CommitteeDrawn"), null).forEach(r ->
                r.args().get("committee").forEach(x -> committee.add(x.asText())));
        List<Round> out = new ArrayList<>();
        if (!numbers.isEmpty()) {
            Map<Integer, List<EventQueries.Row>> byRound = new TreeMap<>();
            for (EventQueries.Row r : events.roundEvents(job, afterRound, numbers.getLast())) {
                byRound.computeIfAbsent(r.round(), k -> new ArrayList<>()).add(r);
            }
            var dp = terms(job);
            List<Integer> certified = dp.isPresent() ? certifiedRounds(job) : List.of();
            for (int round : numbers) {
                RoundPrivacy rp = dp.map(t -> {
                    long charged = certified.stream().filter(c -> c != null && c <= round).count();
                    var spent = t.after(charged);
                    return new RoundPrivacy(spent.epsilon(), spent.delta(), charged);
                }).orElse(null);
                out.add(round(job, round, byRound.getOrDefault(round, List.of()), committee, rp));
            }
        }
        long windowEnd = (long) afterRound + n;
        String next = events.hasRoundAfter(job, windowEnd) ? String.valueOf(windowEnd) : null;
        return new Page<>(out, next);
    }

    private Round round(BigInteger job, int round, List<EventQueries.Row> rows, Set<String> committee,
                        RoundPrivacy privacy) {
        Map<Integer, List<EventQueries.Row>> byAttempt = new TreeMap<>();
        Result result = null;
        List<Payment> payments = new ArrayList<>();
        for (EventQueries.Row r : rows) {
            if (r.attempt() != null) {
                byAttempt.computeIfAbsent(r.attempt(), k -> new ArrayList<>()).add(r);
            } else if (r.name().equals("RoundPaid")) {
                JsonNode a = r.args();
                result = new Result(a.get("model").asText(), a.get("accuracy").asLong(),
                        store.round(job, round).map(ModelStore.RoundRow::groupAccuraciesPpm).orElse(List.of()),
                        a.get("pool").asText(),
                        a.get("paid").asText(), r.tx(), r.block());
            } else if (r.name().equals("RewardCredited")) {
                payments.add(payment(r, committee));
            }
        }
        String weightsCid = store.round(job, round).map(ModelStore.RoundRow::weightsCid).orElse(null);
        List<Attempt> attempts = new ArrayList<>();
        byAttempt.forEach((k, list) -> attempts.add(attempt(k, list, weightsCid)));
        return new Round(round, attempts, result, payments, privacy);
    }

    private static Attempt attempt(int attempt, List<EventQueries.Row> rows, String weightsCid) {
        Tx opened = null;
        Tx certified = null;
        Included included = null;
        Aggregate aggregate = null;
        String outcome = null;
        List<Commit> commits = new ArrayList<>();
        List<String> excluded = new ArrayList<>();
        List<NodeAct> openings = new ArrayList<>();
        List<Reveal> reveals = new ArrayList<>();
        List<NodeAct> faults = new ArrayList<>();
        for (EventQueries.Row r : rows) {
            JsonNode a = r.args();
            switch (r.name()) {
                case "AttemptOpened" -> opened = Tx.of(r);
                case "RoundCommitted" -> {
                    List<String> points = new ArrayList<>();
                    a.get("points").forEach(p -> points.add(p.asText()));
                    commits.add(new Commit(a.get("trainer").asText(), a.get("index").asInt(), a.get("samples").asLong(),
                            a.get("manifest").asText(), points, r.tx(), r.block()));
                }
                case "TrainerExcluded" -> excluded.add(a.get("trainer").asText());
                case "IncludedSetFixed" -> {
                    List<String> who = new ArrayList<>();
                    a.get("included").forEach(p -> who.add(p.asText()));
                    included = new Included(who, a.get("sampleSum").asLong(), r.tx(), r.block());
                }
                case "OpeningVerified" -> openings.add(new NodeAct(a.get("node").asText(), a.get("k").asInt(),
                        "z=" + a.get("z").asText() + " y=" + a.get("y").asText(), r.tx(), r.block()));
                case "RoundCertified" -> certified = Tx.of(r);
                case "PartialRevealed" -> reveals.add(new Reveal(a.get("node").asText(), cidText(a.get("cid").asText()),
                        r.tx(), r.block()));
                case "RoundAggregated" -> aggregate = new Aggregate(a.get("resultX").asText(), a.get("resultY").asText(),
                        a.get("sampleSum").asLong(), a.get("model").asText(), weightsCid, r.tx(), r.block());
                case "AttemptFailed" -> outcome = "failed: " + a.get("reasonText").asText();
                case "RoundSkipped" -> outcome = "skipped with " + a.get("reveals").asInt() + " reveals";
                case "FaultProven" -> faults.add(new NodeAct(a.get("offender").asText(), null, a.get("faultText").asText(),
                        r.tx(), r.block()));
                default -> { }
            }
        }
        return new Attempt(attempt, opened, commits, excluded, included, openings, certified, reveals, aggregate, outcome,
                faults);
    }

    /** The CID text of binary CID bytes, or the hex itself when they are not a CID. */
    static String cidText(String hex) {
        try {
            return Cid.fromBytes(Numeric.hexStringToByteArray(hex)).toString();
        } catch (RuntimeException e) {
            return hex;
        }
    }

    @GET
    @Path("/jobs/{job}/payments")
    @Operation(summary = "Every amount credited for a job to trainers and nodes, in chain order (the owner's refund is "
            + "in the job's JobFinished)")
    public Page<Payment> payments(@PathParam("job") String jobText, @QueryParam("after") String after,
                                  @QueryParam("limit") @DefaultValue("100") int limit) {
        BigInteger job = JobModelResource.jobId(jobText);
        Set<String> committee = new HashSet<>();
        all(job, null, List.of("CommitteeDrawn"), null).forEach(r ->
                r.args().get("committee").forEach(x -> committee.add(x.asText())));
        List<EventQueries.Row> rows = events.events(job, null, List.of("RewardCredited"), null,
                EventQueries.Cursor.parse(after), limit(limit));
        return page(rows.stream().map(r -> payment(r, committee)).toList(), rows, limit);
    }

    private Payment payment(EventQueries.Row r, Set<String> committee) {
        String account = r.args().get("account").asText();
        String role = committee.contains(account) ? "node" : "trainer";
        return new Payment(r.job().toString(), r.round() == null ? -1 : r.round(), account, role,
                r.args().get("amount").asText(), r.tx(), r.block());
    }

    @GET
    @Path("/accounts/{account}")
    @Operation(summary = "An account's totals: earned (credited), claimed, slashed")
    public AccountView account(@PathParam("account") String accountText) {
        String account = address(accountText);
        Map<String, Object[]> totals = events.accountTotals(account);
        Object[] none = {0L, BigInteger.ZERO};
        Object[] earnedT = totals.getOrDefault("RewardCredited", none);
        Object[] claimedT = totals.getOrDefault("Claimed", none);
        Object[] slashedT = totals.getOrDefault("Slashed", none);
        BigInteger earned = (BigInteger) earnedT[1];
        BigInteger claimed = (BigInteger) claimedT[1];
        BigInteger slashed = (BigInteger) slashedT[1];
        long p = (Long) earnedT[0];
        long c = (Long) claimedT[0];
        long s = (Long) slashedT[0];
        return new AccountView(account, earned.toString(), claimed.toString(), slashed.toString(), p, c, s);
    }

    @GET
    @Path("/accounts/{account}/earnings")
    @Operation(summary = "Every amount credited to an account, with its job, round and transaction")
    public Page<Payment> earnings(@PathParam("account") String accountText, @QueryParam("after") String after,
                                  @QueryParam("limit") @DefaultValue("100") int limit) {
        String account = address(accountText);
        List<EventQueries.Row> rows = events.events(null, account, List.of("RewardCredited"), null,
                EventQueries.Cursor.parse(after), limit(limit));
        Map<BigInteger, Set<String>> committees = new LinkedHashMap<>();
        List<Payment> out = new ArrayList<>();
        for (EventQueries.Row r : rows) {
            Set<String> committee = committees.computeIfAbsent(r.job(), j -> {
                Set<String> set = new HashSet<>();
                all(j, null, List.of("CommitteeDrawn"), null).forEach(x ->
                        x.args().get("committee").forEach(y -> set.add(y.asText())));
                return set;
            });
            out.add(payment(r, committee));
        }
        return page(out, rows, limit);
    }

    @GET
    @Path("/accounts/{account}/claims")
    @Operation(summary = "Every claim (withdrawal of credited rewards) of an account")
    public Page<Claim> claims(@PathParam("account") String accountText, @QueryParam("after") String after,
                              @QueryParam("limit") @DefaultValue("100") int limit) {
        List<EventQueries.Row> rows = events.events(null, address(accountText), List.of("Claimed"), null,
                EventQueries.Cursor.parse(after), limit(limit));
        return page(rows.stream().map(r -> new Claim(r.account(), r.args().get("token").asText(),
                r.args().get("amount").asText(), r.tx(), r.block())).toList(), rows, limit);
    }

    @GET
    @Path("/accounts/{account}/slashes")
    @Operation(summary = "Every slash of an account with its reason and the job, round and attempt of the proven fault")
    public Page<Slash> slashes(@PathParam("account") String accountText, @QueryParam("after") String after,
                               @QueryParam("limit") @DefaultValue("100") int limit) {
        List<EventQueries.Row> rows = events.events(null, address(accountText), List.of("Slashed"), null,
                EventQueries.Cursor.parse(after), limit(limit));
        List<Slash> out = new ArrayList<>();
        for (EventQueries.Row r : rows) {
            EventQueries.Row fault = events.transaction(r.tx()).stream()
                    .filter(e -> e.name().equals("FaultProven") && r.account().equals(e.account())).findFirst().orElse(null);
            out.add(new Slash(r.account(), r.args().get("amount").asText(), r.args().get("reasonText").asText(),
                    fault == null ? null : fault.job().toString(), fault == null ? null : fault.round(),
                    fault == null ? null : fault.attempt(), r.tx(), r.block()));
        }
        return page(out, rows, limit);
    }

    private List<EventQueries.Row> all(BigInteger job, String account, List<String> names, Integer round) {
        List<EventQueries.Row> out = new ArrayList<>();
        EventQueries.Cursor c = EventQueries.Cursor.START;
        while (true) {
            List<EventQueries.Row> page = events.events(job, account, names, round, c, 1000);
            out.addAll(page);
            if (page.size() < 1000) {
                return out;
            }
            c = new EventQueries.Cursor(page.getLast().block(), page.getLast().logIndex());
        }
    }

    private static <T> Page<T> page(List<T> items, List<EventQueries.Row> rows, int limit) {
        String next = rows.size() == limit(limit) && !rows.isEmpty() ? rows.getLast().cursor() : null;
        return new Page<>(items, next);
    }

    static int limit(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new ProblemException(400, "Bad Request", "limit must be between 1 and " + MAX_LIMIT + ", got " + limit);
        }
        return limit;
    }

    static String address(String text) {
        if (text == null || !text.matches("0x[0-9a-fA-F]{40}")) {
            throw new ProblemException(400, "Bad Request", "account must be a 20-byte hex address 0x…, got '" + text + "'");
        }
        return text.toLowerCase(Locale.ROOT);
    }
}
