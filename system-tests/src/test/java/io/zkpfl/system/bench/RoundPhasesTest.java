package io.zkpfl.system.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The benchmark's phase arithmetic on a hand-made round: the harness's figures are only as good as this. */
class RoundPhasesTest {

    private static final Instant T = Instant.parse("2026-12-03T10:00:00Z");

    private static LineStamps.Stamped at(double seconds, String line) {
        return new LineStamps.Stamped(T.plusMillis((long) (seconds * 1000)), line);
    }

    @Test
    void trainerOutputOfTheAskedRoundOnly() {
        List<LineStamps.Stamped> log = List.of(
                at(0, "round 0 attempt 0: model checked against the chain (0xaa); training as trainer 1"),
                at(2, "epoch 1/2: 5000 samples, train loss 0.6707, 1.3 s, 3994 samples/s"),
                at(3, "epoch 2/2: 5000 samples, train loss 0.3735, 1.0 s, 4917 samples/s"),
                at(5, "round 0 attempt 0: committed 2 commitments, n_i = 5000, manifest 0x01 (tx 0x02)"),
                at(5.2, "round 0 attempt 0: 3 envelopes and the manifest delivered through Kafka and IPFS"),
                at(30, "round 1 attempt 0: waiting for the committee's round keys (0 of 3 posted)"),
                at(33, "round 1 attempt 0: model checked against the chain (0xbb); training as trainer 1"),
                at(35, "epoch 1/2: 5000 samples, train loss 0.4284, 1.9 s, 2649 samples/s"),
                at(37, "epoch 2/2: 5000 samples, train loss 0.3336, 1.3 s, 3930 samples/s"),
                at(39, "round 1 attempt 0: committed 2 commitments, n_i = 5000, manifest 0x03 (tx 0x04)"),
                at(40, "round 1 attempt 0: 3 envelopes and the manifest delivered through Kafka and IPFS"));
        RoundPhases.TrainerRound r1 = RoundPhases.trainer(log, 1);
        assertEquals(T.plusSeconds(33), r1.modelChecked());
        assertEquals(3.2, r1.trainSeconds(), 1e-9);
        assertEquals(T.plusSeconds(37), r1.trained());
        assertEquals(T.plusSeconds(39), r1.committed());
        assertEquals(T.plusSeconds(40), r1.delivered());
        assertEquals(2.3, RoundPhases.trainer(log, 0).trainSeconds(), 1e-9);
        assertNull(RoundPhases.trainer(log, 2), "no commit in round 2");
    }

    @Test
    void nodeChecksOfTheJobAndRound() {
        List<String> log = List.of(
                "2026-12-03 10:00:41,500 INFO  [io.zkp.nod.RoundEngine] (executor-thread-1) job 3 round 1 attempt 0: checked 4 shares as node 2, 0 faulty or missing",
                "2026-12-03 10:00:42,000 INFO  [io.zkp.nod.RoundEngine] (executor-thread-1) job 13 round 1 attempt 0: checked 4 shares as node 2, 0 faulty or missing",
                "2026-12-03 10:00:43,000 INFO  [io.zkp.nod.RoundEngine] (executor-thread-1) job 3 round 2 attempt 0: checked 4 shares as node 2, 0 faulty or missing");
        assertEquals(List.of(T.plusMillis(41_500)), RoundPhases.nodeChecks(log, "3", 1, ZoneOffset.UTC));
    }

    @Test
    void phasesFollowTheLastPartyToEachPoint() throws Exception {
        // blocks 100..200 are mined at T + (block - 100) seconds
        JsonNode round = new ObjectMapper().readTree("""
                {"round": 1, "attempts": [
                  {"attempt": 0, "opened": {"tx": "0x1", "block": 130},
                   "commits": [{"block": 140}, {"block": 142}],
                   "included": {"block": 154}, "certified": {"tx": "0x2", "block": 157},
                   "reveals": [{"block": 158}, {"block": 160}],
                   "aggregate": {"block": 163}}],
                 "result": {"accuracyPpm": 803000, "block": 166}}""");
        List<RoundPhases.TrainerRound> trainers = List.of(
                new RoundPhases.TrainerRound(T.plusSeconds(133), 3.0, T.plusSeconds(137), T.plusSeconds(139), T.plusSeconds(140)),
                new RoundPhases.TrainerRound(T.plusSeconds(132), 5.0, T.plusMillis(138_500), T.plusSeconds(141), T.plusMillis(142_500)));
        RoundPhases p = RoundPhases.of(round, b -> T.plusSeconds(b), 131L, trainers, List.of(T.plusSeconds(143), T.plusSeconds(144)));
        assertEquals(1, p.round());
        assertEquals(2, p.trainers());
        assertEquals(1.0, p.keys(), 1e-9);         // opened 130 -> last round key 131
        assertEquals(2.0, p.model(), 1e-9);        // 131 -> last model check 133
        assertEquals(5.0, p.trainMax(), 1e-9);
        assertEquals(4.0, p.trainMean(), 1e-9);
        assertEquals(3.5, p.shareCommit(), 1e-9);  // last training end 138.5 -> last commit block 142
        assertEquals(0.5, p.deliver(), 1e-9);      // 142 -> last delivery 142.5
        assertEquals(2.0, p.check(), 1e-9);        // 142 -> last node check 144
        assertEquals(13.0, p.openings(), 1e-9);    // 144 -> certified 157 (complaint window, then the openings)
        assertEquals(3.0, p.reveals(), 1e-9);
        assertEquals(3.0, p.aggregate(), 1e-9);
        assertEquals(3.0, p.evaluate(), 1e-9);
        assertEquals(36.0, p.total(), 1e-9);
        assertEquals(803000, p.accuracyPpm());
    }

    @Test
    void noPhasesBeforeTheResult() throws Exception {
        JsonNode round = new ObjectMapper().readTree("{\"round\": 0, \"attempts\": [], \"result\": null}");
        assertNull(RoundPhases.of(round, b -> T, null, List.of(), List.of()));
    }
}
