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
 * @param treasury            receiver of slashed stake and of the market's creation fees
 * @param economics           creation fee, minimum owner bond and evaluation windows of the market
 */
public record PlatformConfig(BigInteger trainerMinStake, BigInteger nodeMinStake, long unbondingDelaySeconds,
                             BigInteger minimumFee, String treasury, Economics economics) {

    /** One whole token (10^18 base units). */
    public static final BigInteger TOKEN = BigInteger.TEN.pow(18);

    /**
     * The market's economics (docs/contracts.md, "Accountable evaluation"; docs/adr/0100, 0101).
     *
     * @param creationFeePpm          part of each job's fee credited to the treasury at creation, never refunded
     * @param minOwnerBondPpm         minimum evaluator bond (ppm of the fee) of an owner that is its own evaluator or
     *                                commits to its own validation set
     * @param disclosureWindowSeconds after a job ends: how long its owner may disclose its committed validation set
     * @param disputeWindowSeconds    then: how long committee nodes may dispute a round's result
     */
    public record Economics(long creationFeePpm, long minOwnerBondPpm, long disclosureWindowSeconds,
                            long disputeWindowSeconds) {

        /** What a market has before its admin sets anything: no creation fee, no minimum bond, one-day windows. */
        public static final Economics NONE = new Economics(0, 0, 86_400, 86_400);
        /** Development defaults: 1% creation fee, owner bond at least 10% of the fee, one-day windows. */
        public static final Economics DEV = new Economics(10_000, 100_000, 86_400, 86_400);

        public Economics {
            if (creationFeePpm < 0 || creationFeePpm > 100_000) {
                throw new IllegalArgumentException("creationFeePpm must be within 0..100000 (10%)");
            }
            if (minOwnerBondPpm < 0 || minOwnerBondPpm > 1_000_000) {
                throw new IllegalArgumentException("minOwnerBondPpm must be within 0..1000000");
            }
            if (disclosureWindowSeconds <= 0 || disputeWindowSeconds <= 0
                    || disclosureWindowSeconds > 30 * 86_400L || disputeWindowSeconds > 30 * 86_400L) {
                throw new IllegalArgumentException("evaluation windows must be within 1 s..30 days");
            }
        }

        /** The creation fee the market takes from {@code fee} (rounded down, as the contract does). */
        public BigInteger creationFee(BigInteger fee) {
            return fee.multiply(BigInteger.valueOf(creationFeePpm)).divide(BigInteger.valueOf(1_000_000));
        }

        /** The smallest bond an owner that evaluates itself (or commits to its own set) posts for {@code fee}. */
        public BigInteger minOwnerBond(BigInteger fee) {
            return fee.multiply(BigInteger.valueOf(minOwnerBondPpm)).divide(BigInteger.valueOf(1_000_000));
        }
    }

    public PlatformConfig {
        Objects.requireNonNull(trainerMinStake, "trainerMinStake");
        Objects.requireNonNull(nodeMinStake, "nodeMinStake");
        Objects.requireNonNull(minimumFee, "minimumFee");
        Objects.requireNonNull(treasury, "treasury");
        Objects.requireNonNull(economics, "economics");
        if (trainerMinStake.signum() <= 0 || nodeMinStake.signum() <= 0 || minimumFee.signum() <= 0) {
            throw new IllegalArgumentException("stakes and minimum fee must be positive");
        }
        if (unbondingDelaySeconds < 0) {
            throw new IllegalArgumentException("unbondingDelaySeconds must not be negative");
        }
    }

    /** A platform whose market charges no creation fee and asks no minimum bond ({@link Economics#NONE}). */
    public PlatformConfig(BigInteger trainerMinStake, BigInteger nodeMinStake, long unbondingDelaySeconds,
                          BigInteger minimumFee, String treasury) {
        this(trainerMinStake, nodeMinStake, unbondingDelaySeconds, minimumFee, treasury, Economics.NONE);
    }

    /**
     * The project defaults: 500-token trainer stake, 1000-token node stake, 1 day unbonding, 100-token fee, and
     * {@link Economics#DEV} (1% creation fee, 10% minimum owner bond, one-day windows).
     */
    public static PlatformConfig defaults(String treasury) {
        return new PlatformConfig(tokens(500), tokens(1000), 86_400, tokens(100), treasury, Economics.DEV);
    }

    /** The same platform with other economics. */
    public PlatformConfig withEconomics(Economics economics) {
        return new PlatformConfig(trainerMinStake, nodeMinStake, unbondingDelaySeconds, minimumFee, treasury, economics);
    }

    /** {@code whole} tokens in base units. */
    public static BigInteger tokens(long whole) {
        return TOKEN.multiply(BigInteger.valueOf(whole));
    }
}
