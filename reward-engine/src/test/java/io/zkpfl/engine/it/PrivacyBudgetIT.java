package io.zkpfl.engine.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkpfl.contracts.MarketEvent;
import io.zkpfl.contracts.AttemptState;
import io.zkpfl.contracts.ChainRevertException;
import io.zkpfl.contracts.JobState;
import io.zkpfl.contracts.generated.JobMarket;
import io.zkpfl.devstack.demo.ServiceProcess;
import io.zkpfl.protocol.dp.JobPrivacy;
import io.zkpfl.trainer.round.RoundShape;
import io.zkpfl.trainer.round.UpdateNoise;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.web3j.crypto.Credentials;

/**
 * A DP job whose budget fits three rounds (docs/privacy.md) runs with the reward engine as a separate process: the
 * trainers (played here with the protocol library) add their share of discrete Gaussian noise as the trainer's
 * {@code run} does; the job's {@code maxRounds} is what the budget allows, as the marketplace requires, so the chain
 * ends it after the third round. Rounds 0 and 1 are aggregated and paid; round 2 is certified (so charged) but
 * skipped for want of reveals; the job then completes, the unspent fee is refunded to the owner, and no round can
 * start past the budget. The audit API's {@code ε} after each round equals the Rényi-DP bound computed here from the
 * definitions (Gaussian mechanism, Balle et al. 2020 conversion, a continuous search over the order).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PrivacyBudgetIT {

    private static final int[] SAMPLES = {100, 250, 400};
    private static final int N_MAX = 400;
    private static final int N_MIN = 2;
    private static final double DELTA = 1e-5;
    private static final double BUDGET = 4.2;
    private static final double Z = 2;
    private static final double CLIP = 0.5;
    private static final JobPrivacy TERMS = new JobPrivacy(BigDecimal.valueOf(BUDGET), BigDecimal.valueOf(DELTA),
            BigDecimal.valueOf(Z), BigDecimal.valueOf(CLIP), N_MIN);

    private EngineStack s;
    private ServiceProcess engine;
    private EngineStack.Job job;

    @BeforeAll
    void start() throws Exception {
        s = EngineStack.start(3, 3, "privacy");
        engine = s.startEngine(java.util.Map.of());
    }

    @AfterAll
    void stop() {
        if (engine != null) {
            engine.close();
        }
        if (s != null) {
            s.close();
        }
    }

    /**
     * {@code ε} after {@code rounds} rounds of the Gaussian mechanism with L2 sensitivity {@code Δ = N_max·C·2^16 +
     * √d/2} and aggregate noise {@code σ = z·N_max·C·2^16} (integer units): RDP {@code ε(α) = rounds·α·Δ²/(2σ²)},
     * converted at {@code δ} by Balle et al. 2020 (Thm. 21) and minimised over {@code α ∈ (1, 200]} in steps of 0.001.
     */
    static double epsilon(int rounds) {
        long d = EngineStack.SPEC.parameterCount();
        double sensitivity = N_MAX * CLIP * 65536 + Math.sqrt(d) / 2;
        double sigma = Z * N_MAX * CLIP * 65536;
        double rho = sensitivity * sensitivity / (2 * sigma * sigma);
        double best = Double.POSITIVE_INFINITY;
        for (int i = 1; i <= 199_000; i++) {
            double a = 1 + i / 1000.0;
            double e = rounds * a * rho + Math.log((a - 1) / a) - (Math.log(DELTA) + Math.log(a)) / (a - 1);
            best = Math.min(best, e);
        }
        return best;
    }

    @Test
    @Order(2)
    void aJobWhoseBudgetFitsThreeRoundsStopsAfterThemPaysThemAndRefundsTheRest() throws Exception {
        long d = EngineStack.SPEC.parameterCount();
        // the terms allow exactly three rounds, by the definitions as well as by the library
        assertTrue(epsilon(3) <= BUDGET && epsilon(4) > BUDGET, "ε(3) = " + epsilon(3) + ", ε(4) = " + epsilon(4));
        int k = Math.toIntExact(TERMS.roundsWithinBudget(N_MAX, d));
        assertEquals(3, k);

        job = s.createJob(k, 21, s.evaluator.getAddress(), TERMS.toJson(), N_MIN, N_MAX);
        for (Credentials t : s.trainers) {
            s.client(t).market().join(job.id());
        }
        HttpResponse<String> reg = s.post(engine, "/api/v1/jobs/" + job.id() + "/artifacts", """
                {"manifestCid": "%s", "modelCid": "%s", "weightsCid": "%s"}""".formatted(job.manifestCid(), job.modelCid(),
                job.weightsCid()));
        assertEquals(200, reg.statusCode(), reg.body());
        String token = s.addresses.token();
        BigInteger ownerBefore = s.admin.market().claimable(s.owner.getAddress(), token);
        JobMarket.JobParams params = s.admin.market().jobParams(job.id());
        var chainClip = RoundShape.clip(params.clipQ16, N_MAX, d);

        for (int round = 0; round < k; round++) {
            assertEquals(round, s.admin.market().job(job.id()).round());
            RoundPlayer p = new RoundPlayer(s, job.id(), 100 + round);
            for (int i = 0; i < 3; i++) {
                p.commit(s.trainers.get(i), SAMPLES[i], UpdateNoise.of(TERMS, chainClip, N_MIN, new SecureRandom()));
            }
            p.openAll();
            if (round < k - 1) {
                for (int node = 1; node <= 3; node++) {
                    p.reveal(node, false);
                }
                s.passTime(s.admin.market().attempt(job.id()).openingDeadline());
                int r = round;
                EngineStack.await("round " + r + " to be paid", Duration.ofMinutes(3), () -> roundPaid(r).isPresent());
            } else {
                // the last round is certified, so it is charged, but too few nodes reveal: it is skipped, unpaid
                p.reveal(1, false);
                AttemptState a = s.admin.market().attempt(job.id());
                assertEquals(AttemptState.Phase.CERTIFIED, a.phase());
                s.passTime(a.revealDeadline());
                s.admin.market().advance(job.id());
            }
        }

        // the chain ended the job after the rounds the budget allows; nothing more can start
        JobState state = s.admin.market().job(job.id());
        assertEquals(JobState.Status.COMPLETED, state.status(), "completed after its last round");
        ChainRevertException refused = assertThrows(ChainRevertException.class, () -> s.client(s.trainers.getFirst())
                .market().commitRound(job.id(), List.of(BigInteger.ONE, BigInteger.TWO), new byte[32], 1));
        assertTrue(refused.getMessage().contains("JobNotActive"), refused.getMessage());

        // rounds 0 and 1 were paid, round 2 was not; the rest of the fee went back to the owner
        assertTrue(roundPaid(0).isPresent() && roundPaid(1).isPresent());
        assertTrue(roundPaid(2).isEmpty(), "a skipped round pays nothing");
        BigInteger fee = params.fee;
        assertEquals(fee, state.escrowed());
        assertEquals(state.escrowed(), state.paid().add(state.refunded()), "escrowed = paid + refunded, none left");
        assertTrue(state.refunded().compareTo(fee.divide(BigInteger.valueOf(4))) > 0,
                "the third round's share of the fee is refunded: " + state.refunded() + " of " + fee);
        assertEquals(state.refunded(), s.admin.market().claimable(s.owner.getAddress(), token).subtract(ownerBefore),
                "the owner can claim the refund");
        var finished = s.admin.events().events(MarketEvent.JobFinished.class, job.id(), 0);
        assertEquals(1, finished.size());
        assertEquals(state.refunded(), finished.getFirst().refunded());
        for (Credentials t : s.trainers) {
            assertTrue(s.admin.market().claimable(t.getAddress(), token).signum() > 0, "trainer " + t.getAddress() + " was paid");
        }

        // the audit API: ε after each round, cumulative over the certified rounds, within the budget
        s.mine();
        s.mine();
        long head = s.blockNumber();
        EngineStack.await("the index to reach block " + (head - 1), Duration.ofSeconds(60),
                () -> s.getJson(engine, "/api/v1/audit/index").get("nextBlock").asLong() >= head);
        JsonNode rounds = s.getJson(engine, "/api/v1/audit/jobs/" + job.id() + "/rounds").get("items");
        assertEquals(3, rounds.size());
        List<Double> spent = new ArrayList<>();
        for (JsonNode r : rounds) {
            int round = r.get("round").asInt();
            JsonNode privacy = r.get("privacy");
            assertEquals(round + 1, privacy.get("certifiedRounds").asInt());
            assertEquals(DELTA, privacy.get("delta").asDouble());
            double eps = privacy.get("epsilon").asDouble();
            double expected = epsilon(round + 1);
            assertTrue(Math.abs(eps - expected) <= 0.01 * expected, "round " + round + ": ε = " + eps
                    + ", the definitions give " + expected);
            assertTrue(eps <= BUDGET);
            spent.add(eps);
        }
        assertTrue(spent.get(0) < spent.get(1) && spent.get(1) < spent.get(2), "ε grows round by round: " + spent);
        assertTrue(rounds.get(2).get("result").isNull(), "the skipped round has no result");

        JsonNode audit = s.getJson(engine, "/api/v1/audit/jobs/" + job.id());
        assertEquals(state.refunded().toString(), audit.get("refunded").asText());
        JsonNode dp = audit.get("privacy");
        assertEquals("4.2", dp.get("epsilon").asText());
        assertEquals(3, dp.get("roundsWithinBudget").asInt());
        assertEquals(3, dp.get("certifiedRounds").asInt());
        assertEquals(spent.get(2), dp.get("spentEpsilon").asDouble(), 1e-12);
    }

    /** Runs first: the budget test's skipped round slashes two nodes below the stake a committee needs. */
    @Test
    @Order(1)
    void aJobWithoutPrivacyTermsReportsNone() throws Exception {
        EngineStack.Job plain = s.createJob(1, 22);
        HttpResponse<String> reg = s.post(engine, "/api/v1/jobs/" + plain.id() + "/artifacts", """
                {"manifestCid": "%s", "modelCid": "%s", "weightsCid": "%s"}""".formatted(plain.manifestCid(),
                plain.modelCid(), plain.weightsCid()));
        assertEquals(200, reg.statusCode(), reg.body());
        s.mine();
        long head = s.blockNumber();
        EngineStack.await("the index to reach block " + (head - 1), Duration.ofSeconds(60),
                () -> s.getJson(engine, "/api/v1/audit/index").get("nextBlock").asLong() >= head);
        JsonNode audit = s.getJson(engine, "/api/v1/audit/jobs/" + plain.id());
        assertTrue(audit.get("privacy").isNull(), audit.toString());
    }

    private java.util.Optional<MarketEvent.RoundPaid> roundPaid(int round) {
        return s.admin.events().events(MarketEvent.RoundPaid.class, job.id(), 0).stream()
                .filter(e -> e.round() == round).findFirst();
    }
}
