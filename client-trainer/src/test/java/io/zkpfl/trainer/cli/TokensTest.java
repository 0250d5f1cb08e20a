package io.zkpfl.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class TokensTest {

    @Test
    void amountsAreWholeTokensWithEighteenDecimals() {
        assertEquals(new BigInteger("500000000000000000000"), Tokens.parse("500"));
        assertEquals(new BigInteger("1500000000000000000"), Tokens.parse("1.5"));
        assertEquals(BigInteger.ONE, Tokens.parse("0.000000000000000001"));
        assertEquals("500", Tokens.format(new BigInteger("500000000000000000000")));
        assertEquals("0.25", Tokens.format(new BigInteger("250000000000000000")));
        assertEquals("0", Tokens.format(BigInteger.ZERO));
        assertThrows(IllegalArgumentException.class, () -> Tokens.parse("0.0000000000000000001"));
        assertThrows(IllegalArgumentException.class, () -> Tokens.parse("-1"));
        assertThrows(IllegalArgumentException.class, () -> Tokens.parse("ten"));
    }
}
