package io.zkpfl.contracts;

import java.math.BigInteger;
import java.util.Objects;

/**
 * Deployment parameters of the zkPFL contracts. Token amounts are in base units (18 decimals).
 *
 * @param trainerMinStake     minimum stake of a trainer (default 500 tokens)
 * @param nodeMinStake        minimum stake of a zk-node operator
 * @param unbondingDelaySeconds delay between requesting unbonding and withdrawing
 * @param minimumFee          minimum job fee in the platform token, which is allow-listed as fee token
 * @param treasury            receiver of slashed stake
 */
public record PlatformConfig(BigInteger trainerMinStake, BigInteger nodeMinStake, long unbondingDelaySeconds,
                             BigInteger minimumFee, String treasury) {

    /** One whole token (10^18 base units). */
    public static final BigInteger TOKEN = BigInteger.TEN.pow(18);

    public PlatformConfig {
        Objects.requireNonNull(trainerMinStake, "trainerMinStake");
        Objects.requireNonNull(nodeMinStake, "nodeMinStake");
        Objects.requireNonNull(minimumFee, "minimumFee");
        Objects.requireNonNull(treasury, "treasury");
        if (trainerMinStake.signum() <= 0 || nodeMinStake.signum() <= 0 || minimumFee.signum() <= 0) {
            throw new IllegalArgumentException("stakes and minimum fee must be positive");
        }
        if (unbondingDelaySeconds < 0) {
            throw new IllegalArgumentException("unbondingDelaySeconds must not be negative");
        }
    }

    /** The project defaults: 500-token trainer stake, 1000-token node stake, 1 day unbonding, 100-token fee. */
    public static PlatformConfig defaults(String treasury) {
        return new PlatformConfig(tokens(500), tokens(1000), 86_400, tokens(100), treasury);
    }

    /** {@code whole} tokens in base units. */
    public static BigInteger tokens(long whole) {
        return TOKEN.multiply(BigInteger.valueOf(whole));
    }
}
