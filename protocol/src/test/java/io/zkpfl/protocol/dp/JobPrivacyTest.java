package io.zkpfl.protocol.dp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class JobPrivacyTest {

    private static JobPrivacy terms(String epsilon, String z) {
        return new JobPrivacy(new BigDecimal(epsilon), new BigDecimal("0.00001"), new BigDecimal(z), BigDecimal.ONE, 4);
    }

    @Test
    void roundsWithinBudgetFollowTheNoiseMultiplier() {
        // docs/privacy.md's table (per-round ρ = 1/(2z²), δ = 1e-5): z = 5 fits 18 rounds at ε = 4, 61 at ε = 8;
        // z = 2 fits 2 rounds at ε = 4. With N_max·C·2^16 ≫ √d/2 the job's mechanism is that one.
        assertEquals(18, terms("4", "5").roundsWithinBudget(60_000, 25_450));
        assertEquals(61, terms("8", "5").roundsWithinBudget(60_000, 25_450));
        assertEquals(2, terms("4", "2").roundsWithinBudget(60_000, 25_450));
        assertEquals(0, terms("1", "1").roundsWithinBudget(60_000, 25_450));
    }

    @Test
    void epsilonGrowsWithRoundsAndStaysWithinTheBudgetAtTheLastRoundThatFits() {
        JobPrivacy p = terms("4", "5");
        double after1 = p.spentAfter(1, 60_000, 25_450).epsilon();
        double after18 = p.spentAfter(18, 60_000, 25_450).epsilon();
        double after19 = p.spentAfter(19, 60_000, 25_450).epsilon();
        assertTrue(after1 > 0 && after1 < after18, after1 + " " + after18);
        assertTrue(after18 <= 4 && after19 > 4, after18 + " " + after19);
        assertEquals(new BigDecimal("300000"), p.sigma(60_000).stripTrailingZeros().setScale(0));
    }

    @Test
    void manifestFormRoundTripsAndNamesBadFields() throws Exception {
        JobPrivacy p = new JobPrivacy(new BigDecimal("3.50"), new BigDecimal("1E-5"), new BigDecimal("1.1"), new BigDecimal("0.5"), 3);
        String json = p.toJson().toString();
        assertEquals("{\"epsilon\":\"3.5\",\"delta\":\"0.00001\",\"noiseMultiplier\":\"1.1\",\"l2Clip\":\"0.5\",\"minTrainers\":3}", json);
        assertEquals(p, JobPrivacy.fromJson(new ObjectMapper().readTree(json)));
        var e = assertThrows(IllegalArgumentException.class,
                () -> JobPrivacy.fromJson(new ObjectMapper().readTree("{\"epsilon\":\"3\",\"delta\":\"0.5\",\"noiseMultiplier\":1,\"l2Clip\":1,\"minTrainers\":2}")));
        assertTrue(e.getMessage().contains("delta"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> JobPrivacy.fromJson(new ObjectMapper().readTree("{\"epsilon\":\"3\",\"delta\":\"0.0001\",\"l2Clip\":1,\"minTrainers\":2}")));
        assertTrue(e.getMessage().contains("noiseMultiplier"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> terms("0", "1"));
    }
}
