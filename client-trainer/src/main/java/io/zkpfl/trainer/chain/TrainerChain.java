package io.zkpfl.trainer.chain;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkpfl.contracts.ChainClient;
import io.zkpfl.contracts.ChainRevertException;
import io.zkpfl.contracts.MarketEvent;
import io.zkpfl.contracts.EstimatingGasProvider;
import io.zkpfl.contracts.PlatformAddresses;
import io.zkpfl.contracts.RevertReason;
import io.zkpfl.contracts.generated.JobMarket;
import io.zkpfl.contracts.generated.StakingRegistry;
import io.zkpfl.trainer.round.TrainerException;
import java.io.IOException;
import java.math.BigInteger;
import java.util.List;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.TransactionManager;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;

/**
 * The trainer's view of one zkPFL deployment: a {@link ChainClient} for its key (or read-only), the job market's
 * events of one job, and revert reasons turned into one readable line each.
 */
public final class TrainerChain implements AutoCloseable {

    private static final String ZERO = "0x0000000000000000000000000000000000000000";

    private final String rpc;
    private final Web3j web3j;
    private final long chainId;
    private final PlatformAddresses addresses;
    private final ChainClient client;
    private final Credentials credentials;

    private TrainerChain(String rpc, Web3j web3j, long chainId, PlatformAddresses addresses, Credentials credentials) {
        this.rpc = rpc;
        this.web3j = web3j;
        this.chainId = chainId;
        this.addresses = addresses;
        this.credentials = credentials;
        this.client = credentials == null
                ? new ChainClient(web3j, chainId, ZERO, new ReadonlyTransactionManager(web3j, ZERO),
                        new EstimatingGasProvider(web3j, BigInteger.valueOf(25_000_000)), addresses)
                : ChainClient.connect(web3j, chainId, credentials, addresses);
    }

    /**
     * Connects to the chain at {@code endpoints.rpc}; the contract addresses come from {@code --market} (registry and
     * token read from the market) or else from the marketplace's {@code GET /api/v1/chain}. {@code credentials} null:
     * read-only.
     */
    public static TrainerChain connect(Endpoints endpoints, Credentials credentials) {
        Web3j web3j = Web3j.build(new HttpService(endpoints.rpc));
        try {
            long chainId;
            try {
                chainId = web3j.ethChainId().send().getChainId().longValue();
            } catch (IOException | RuntimeException e) {
                throw TrainerException.unavailable("the chain at " + endpoints.rpc + " cannot be reached ("
                        + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")", e);
            }
            PlatformAddresses addresses;
            if (endpoints.market != null && !endpoints.market.isBlank()) {
                addresses = fromMarket(web3j, endpoints.market.strip(), endpoints.rpc);
            } else {
                JsonNode c = endpoints.marketplace().chain();
                long expected = c.path("chainId").asLong();
                if (expected != chainId) {
                    throw TrainerException.refused("the marketplace works on chain " + expected + " but " + endpoints.rpc
                            + " is chain " + chainId);
                }
                addresses = new PlatformAddresses(c.path("token").asText(), c.path("registry").asText(),
                        c.path("certifier").asText(ZERO), c.path("market").asText());
            }
            return new TrainerChain(endpoints.rpc, web3j, chainId, addresses, credentials);
        } catch (RuntimeException e) {
            web3j.shutdown();
            throw e;
        }
    }

    private static PlatformAddresses fromMarket(Web3j web3j, String market, String rpc) {
        TransactionManager ro = new ReadonlyTransactionManager(web3j, ZERO);
        var gas = new EstimatingGasProvider(web3j, BigInteger.valueOf(25_000_000));
        try {
            JobMarket m = JobMarket.load(market, web3j, ro, gas);
            String registry = m.registry().send();
            String token = StakingRegistry.load(registry, web3j, ro, gas).token().send();
            return new PlatformAddresses(token, registry, m.kzgVerifier().send(), market);
        } catch (Exception e) {
            throw TrainerException.refused("no zkPFL JobMarket at " + market + " on " + rpc + " ("
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")");
        }
    }

    public ChainClient client() {
        return client;
    }

    public PlatformAddresses addresses() {
        return addresses;
    }

    public long chainId() {
        return chainId;
    }

    public Web3j web3j() {
        return web3j;
    }

    /** The signer's address (checksummed), or the zero address when read-only. */
    public String address() {
        return client.address();
    }

    /** The signing key (null when read-only). */
    public Credentials credentials() {
        return credentials;
    }

    /** The registry wrapper for the signer (for calls ChainClient does not carry, e.g. addStake). */
    public StakingRegistry registry() {
        TransactionManager tm = credentials == null ? new ReadonlyTransactionManager(web3j, ZERO)
                : new RawTransactionManager(web3j, credentials, chainId, new PollingTransactionReceiptProcessor(web3j, 100, 1_200));
        return StakingRegistry.load(addresses.registry(), web3j, tm, new EstimatingGasProvider(web3j, BigInteger.valueOf(25_000_000)));
    }

    /** Latest block number. */
    public long blockNumber() {
        return guard("eth_blockNumber", () -> web3j.ethBlockNumber().send().getBlockNumber().longValue());
    }

    /** Timestamp of the latest block (the chain's clock, which deadlines follow). */
    public long now() {
        return guard("eth_getBlockByNumber", () -> web3j.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false)
                .send().getBlock().getTimestamp().longValue());
    }

    /** Ether balance of {@code account} in wei. */
    public BigInteger etherBalance(String account) {
        return guard("eth_getBalance", () -> web3j.ethGetBalance(account, DefaultBlockParameterName.LATEST).send().getBalance());
    }

    /** The job market's {@code type} events of job {@code jobId} from {@code fromBlock} on, in chain order. */
    public <E extends MarketEvent> List<E> events(Class<E> type, BigInteger jobId, long fromBlock) {
        return guard("eth_getLogs", () -> client.events().events(type, jobId, fromBlock));
    }

    /** Runs a chain read or transaction, turning an unreachable node into one line and a revert into {@link #explain}. */
    public <T> T guard(String operation, ChainCall<T> call) {
        try {
            return call.call();
        } catch (ChainRevertException e) {
            throw TrainerException.refused(explain(operation, e.reason()));
        } catch (IOException e) {
            throw unreachable(e);
        } catch (TrainerException e) {
            throw e;
        } catch (RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            if (root instanceof IOException io) {
                throw unreachable(io);
            }
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(operation + " failed: " + e.getMessage(), e);
        }
    }

    /** A transaction through {@link #guard}. */
    public TransactionReceipt send(String operation, ChainCall<TransactionReceipt> call) {
        return guard(operation, call);
    }

    private TrainerException unreachable(IOException e) {
        return TrainerException.unavailable("the chain at " + rpc + " cannot be reached ("
                + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")", e);
    }

    /** One line for a revert reason, naming what the trainer can do. */
    public static String explain(String operation, RevertReason reason) {
        List<Object> a = reason.args();
        Object first = a.isEmpty() ? "" : a.getFirst();
        return switch (reason.name()) {
            case "NotStaked" -> "not staked: " + first + " holds no trainer stake at the minimum; run 'client-trainer stake' first";
            case "JobFull" -> "job " + first + " is full: it has as many trainers as its maxTrainers";
            case "JobNotActive" -> "job " + first + " is closed: it is not active on chain";
            case "AlreadyJoined" -> "already joined: " + first + " is a trainer of this job";
            case "TrainerNotJoined" -> "not joined: " + first + " is not a trainer of this job; run 'client-trainer join' first";
            case "AlreadyCommitted" -> "already committed: " + first + " has committed to this attempt";
            case "DeadlinePassed" -> operation + " came too late: the deadline (block time " + first + ") has passed";
            case "AlreadyRegistered" -> "already registered: " + first + " has a stake; 'stake' adds to it";
            case "NotRegistered" -> "not staked: " + first + " has no stake in the registry";
            case "StakeLocked" -> "stake locked: " + (a.size() > 1 ? a.get(1) : "some") + " job(s) hold the stake of " + first
                    + " until they end and release it";
            case "UnbondingNotOver" -> "unbonding is not over: withdraw after block time " + first;
            case "NothingToWithdraw" -> "nothing to withdraw: request unbonding first ('client-trainer unstake --amount N')";
            case "BelowMinimumStake" -> "below the minimum stake: " + first + " < " + (a.size() > 1 ? a.get(1) : "?");
            case "NothingToClaim" -> "nothing to claim";
            case "NotParticipant" -> "nothing to release: " + first + " holds no lock in this job (never joined, or released)";
            case "JobStillActive" -> "job " + first + " is still active: its stake lock can be released when it ends";
            case "InvalidAmount" -> "invalid amount";
            case "SamplesOutOfRange" -> "declared sample count " + first + " is outside [1, " + (a.size() > 1 ? a.get(1) : "?") + "]";
            case "ERC20InsufficientBalance" -> "not enough tokens: " + reason;
            default -> "the chain refused " + operation + ": " + reason;
        };
    }

    @Override
    public void close() {
        web3j.shutdown();
    }

    /** A call that may throw. */
    @FunctionalInterface
    public interface ChainCall<T> {
        T call() throws Exception;
    }
}
