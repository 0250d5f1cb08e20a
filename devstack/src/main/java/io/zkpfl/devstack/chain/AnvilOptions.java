package io.zkpfl.devstack.chain;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * How to start Anvil.
 *
 * @param chainId         EIP-155 chain id (default 31337)
 * @param blockTime       interval between mined blocks; {@code null} for automine (a block per transaction)
 * @param accounts        number of funded dev accounts derived from the dev mnemonic (default 10)
 * @param balanceEther    balance of every dev account, in whole ether (default 10,000)
 * @param gasLimit        block gas limit (default 60,000,000, enough for verifier contracts)
 * @param codeSizeLimit   contract code size limit in bytes; empty for Anvil's default (24,576)
 * @param startupTimeout  how long to wait for JSON-RPC to answer
 * @param stepsTracing    record every opcode step, so that {@code debug_traceTransaction} returns them (Anvil's
 *                        {@code --steps-tracing}; slower, for gas breakdowns only)
 */
public record AnvilOptions(long chainId, Duration blockTime, int accounts, long balanceEther, long gasLimit,
                           OptionalLong codeSizeLimit, Duration startupTimeout, boolean stepsTracing) {

    /** The standard dev mnemonic every Foundry/Hardhat tool uses for its test accounts. */
    public static final String DEV_MNEMONIC = "test test test test test test test test test test test junk";
    /** Default chain id. */
    public static final long DEFAULT_CHAIN_ID = 31337L;

    public AnvilOptions {
        if (chainId <= 0) {
            throw new IllegalArgumentException("chainId must be positive: " + chainId);
        }
        if (blockTime != null && (blockTime.isNegative() || blockTime.isZero())) {
            throw new IllegalArgumentException("blockTime must be positive or null for automine: " + blockTime);
        }
        if (accounts < 1 || accounts > 1000) {
            throw new IllegalArgumentException("accounts must be in [1, 1000]: " + accounts);
        }
        if (balanceEther < 0) {
            throw new IllegalArgumentException("balanceEther must not be negative: " + balanceEther);
        }
        if (gasLimit < 21_000) {
            throw new IllegalArgumentException("gasLimit below one transfer (21000): " + gasLimit);
        }
        Objects.requireNonNull(codeSizeLimit, "codeSizeLimit");
        Objects.requireNonNull(startupTimeout, "startupTimeout");
    }

    /** Defaults: chain 31337, automine, 10 accounts of 10,000 ETH, 60M block gas limit. */
    public static AnvilOptions defaults() {
        return new AnvilOptions(DEFAULT_CHAIN_ID, null, 10, 10_000L, 60_000_000L, OptionalLong.empty(),
                Duration.ofSeconds(30), false);
    }

    /** A copy with another chain id. */
    public AnvilOptions withChainId(long id) {
        return new AnvilOptions(id, blockTime, accounts, balanceEther, gasLimit, codeSizeLimit, startupTimeout, stepsTracing);
    }

    /** A copy that mines a block every {@code interval} instead of automining. */
    public AnvilOptions withBlockTime(Duration interval) {
        return new AnvilOptions(chainId, interval, accounts, balanceEther, gasLimit, codeSizeLimit, startupTimeout, stepsTracing);
    }

    /** A copy with another number of dev accounts. */
    public AnvilOptions withAccounts(int count) {
        return new AnvilOptions(chainId, blockTime, count, balanceEther, gasLimit, codeSizeLimit, startupTimeout, stepsTracing);
    }

    /** A copy with another per-account balance, in whole ether. */
    public AnvilOptions withBalanceEther(long ether) {
        return new AnvilOptions(chainId, blockTime, accounts, ether, gasLimit, codeSizeLimit, startupTimeout, stepsTracing);
    }

    /** A copy with another block gas limit. */
    public AnvilOptions withGasLimit(long limit) {
        return new AnvilOptions(chainId, blockTime, accounts, balanceEther, limit, codeSizeLimit, startupTimeout, stepsTracing);
    }

    /** A copy with a contract code size limit in bytes (Anvil's {@code --code-size-limit}). */
    public AnvilOptions withCodeSizeLimit(long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("codeSizeLimit must be positive: " + bytes);
        }
        return new AnvilOptions(chainId, blockTime, accounts, balanceEther, gasLimit, OptionalLong.of(bytes),
                startupTimeout, stepsTracing);
    }

    /** A copy with another start-up timeout. */
    public AnvilOptions withStartupTimeout(Duration timeout) {
        return new AnvilOptions(chainId, blockTime, accounts, balanceEther, gasLimit, codeSizeLimit, timeout, stepsTracing);
    }

    /** A copy that records opcode steps for {@code debug_traceTransaction}. */
    public AnvilOptions withStepsTracing() {
        return new AnvilOptions(chainId, blockTime, accounts, balanceEther, gasLimit, codeSizeLimit, startupTimeout, true);
    }
}
