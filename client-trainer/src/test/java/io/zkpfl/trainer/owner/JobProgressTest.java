package io.zkpfl.trainer.owner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobProgressTest {

    /** Two rounds in the audit API's shape (docs/audit-api.md): round 1 with two attempts, round 2 not yet paid. */
    private static final String PAGE = """
            {"items": [
              {"round": 0, "attempts": [{"attempt": 0, "included": {"trainers": ["0xa", "0xb", "0xc"], "sampleSum": 90}}],
               "result": {"weightsHash": "0x11", "accuracyPpm": 612000, "paid": "1500000000000000000", "tx": "0xt0"}},
              {"round": 1, "attempts": [{"attempt": 0, "included": {"trainers": ["0xa", "0xb", "0xc"]}},
                                        {"attempt": 1, "included": {"trainers": ["0xa", "0xb"]}}],
               "result": {"weightsHash": "0x22", "accuracyPpm": 805500, "paid": "2250000000000000000", "tx": "0xt1"}},
              {"round": 2, "attempts": [{"attempt": 0}], "result": null}
            ]}""";

    @Test
    void auditRoundsWithAResultBecomeLinesWithTheLastAttemptsTrainers() throws Exception {
        List<JobProgress.Round> rounds = JobProgress.fromAudit(new ObjectMapper().readTree(PAGE));
        assertEquals(2, rounds.size(), "round 2 has no result yet");
        assertEquals(new JobProgress.Round(0, 3, 612_000, new BigInteger("1500000000000000000"), "0x11"), rounds.get(0));
        assertEquals(2, rounds.get(1).trainers(), "attempt 1 included two trainers");
        assertEquals("1      2         0.8055    2.2500", rounds.get(1).line());
        assertTrue(JobProgress.HEADER.startsWith("round  trainers  accuracy  paid"));
    }

    @Test
    void theLastResultIsTheLatestRoundWithAPostedWeightsHash() {
        var r0 = new JobProgress.Round(0, 2, 500_000, BigInteger.ONE, "0xaa");
        var r1 = new JobProgress.Round(1, 2, 600_000, BigInteger.TWO, "0xbb");
        var timedOut = new JobProgress.Round(2, 2, 0, BigInteger.TEN, null);
        assertEquals(r1, JobProgress.lastResult(List.of(r0, r1, timedOut)).orElseThrow(),
                "a round closed by the evaluator's timeout has no weights hash");
        assertTrue(JobProgress.lastResult(List.of(timedOut)).isEmpty());
        assertTrue(JobProgress.lastResult(List.of()).isEmpty());
    }

    @Test
    void tokensAreShownWithFourDecimalsRoundedDown() {
        assertEquals("0.0000", JobProgress.tokens(BigInteger.ONE));
        assertEquals("150.5000", JobProgress.tokens(new BigInteger("150500000000000000000")));
        assertEquals("0.1234", JobProgress.tokens(new BigInteger("123499999999999999")));
    }
}
