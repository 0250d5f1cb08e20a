package io.zkpfl.marketplace.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zkpfl.marketplace.chain.MarketChain;
import io.zkpfl.protocol.dp.JobPrivacy;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code ε} per round of a DP job: after each round the chain paid (its {@code RoundPaid} events, not its round counter,
 * which stays on the last round when that round ends the job), as the protocol's accountant gives it.
 */
class JobViewPrivacyTest {

    static final long D = 7850;
    static final long MAX_SAMPLES = 60_000;

    static Job job(boolean dp) {
        Job job = new Job();
        job.id = 7L;
        job.parameterCount = D;
        job.minTrainers = 3;
        job.chainParams = "{\"maxSamples\":" + MAX_SAMPLES + "}";
        job.manifest = dp
                ? "{\"version\":1,\"privacy\":{\"epsilon\":\"8\",\"delta\":\"0.00001\",\"noiseMultiplier\":\"5\",\"l2Clip\":\"1\",\"minTrainers\":3}}"
                : "{\"version\":1}";
        return job;
    }

    static MarketChain.OnChainState finished(int roundCounter, int roundsPaid) {
        return new MarketChain.OnChainState("3", "COMPLETED", roundCounter, 0, List.of(), 3, "0", "0", "0", "0", "0x00",
                null, roundsPaid, null);
    }

    @Test
    void everyPaidRoundHasItsEpsilonAndTheLastOneIsTheSpentTotal() {
        JobPrivacy p = new JobPrivacy(new BigDecimal("8"), new BigDecimal("0.00001"), new BigDecimal("5"), BigDecimal.ONE, 3);
        // two rounds paid, the second ended the job: the counter still says 1
        JobView.Privacy privacy = JobView.privacy(job(true), finished(1, 2));
        assertEquals(2, privacy.perRound().size());
        for (int r = 0; r < 2; r++) {
            assertEquals(r, privacy.perRound().get(r).round());
            assertEquals(p.spentAfter(r + 1, MAX_SAMPLES, D).epsilon(), privacy.perRound().get(r).epsilon(), 1e-12);
        }
        assertTrue(privacy.perRound().get(0).epsilon() < privacy.perRound().get(1).epsilon(), "ε grows round by round");
        assertEquals(2, privacy.spent().completedRounds());
        assertEquals(privacy.perRound().get(1).epsilon(), privacy.spent().epsilon());
        assertEquals(p.spentAfter(2, MAX_SAMPLES, D).epsilon(), JobView.epsilonAfter(job(true), 2), 1e-12);
    }

    @Test
    void aJobWithoutPrivacyHasNoEpsilonAndOneNotYetPaidHasNone() {
        assertNull(JobView.privacy(job(false), finished(1, 2)));
        assertNull(JobView.epsilonAfter(job(false), 2));
        JobView.Privacy none = JobView.privacy(job(true), finished(0, 0));
        assertEquals(List.of(), none.perRound());
        assertEquals(0.0, none.spent().epsilon());
    }
}
