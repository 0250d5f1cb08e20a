package io.zkpfl.trainer.cli;

import java.math.BigDecimal;
import java.math.BigInteger;

/** Token amounts: 18 decimals, written as whole tokens with a decimal point. */
final class Tokens {

    private static final int DECIMALS = 18;

    private Tokens() {
    }

    static String format(BigInteger baseUnits) {
        return new BigDecimal(baseUnits, DECIMALS).stripTrailingZeros().toPlainString();
    }

    static BigInteger parse(String tokens) {
        try {
            BigDecimal d = new BigDecimal(tokens.strip());
            if (d.signum() <= 0) {
                throw new IllegalArgumentException("amount must be positive, got " + tokens);
            }
            return d.movePointRight(DECIMALS).toBigIntegerExact();
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("amount '" + tokens + "' is not a token amount with at most 18 decimals");
        }
    }
}
