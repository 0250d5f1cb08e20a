package io.zkpfl.marketplace.chain;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.zkpfl.contracts.ChainClient;
import io.zkpfl.contracts.MarketEvents;
import io.zkpfl.contracts.ChainRevertException;
import io.zkpfl.contracts.EstimatingGasProvider;
import io.zkpfl.contracts.JobSignature;
import io.zkpfl.contracts.JobState;
import io.zkpfl.contracts.MarketEvent;
import io.zkpfl.contracts.PlatformAddresses;
import io.zkpfl.contracts.RevertReason;
import io.zkpfl.contracts.generated.JobMarket;
import io.zkpfl.contracts.generated.JobMarket.FeePermit;
import io.zkpfl.contracts.generated.JobMarket.JobParams;
import io.zkpfl.marketplace.MarketplaceConfig;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.OkHttpClient;
import org.jboss.logging.Logger;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.exceptions.TransactionException;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;

/**
 * The marketplace's view of the chain: the configured (or, in dev, bootstrapped) zkPFL deployment, the
 * relayer account that pays for {@code createJob}, the simulation of a job before it is stored, its submission,
 * and cached reads of a job's on-chain state. Every method blocks on JSON-RPC: call it from a worker thread.
 */
@ApplicationScoped
public class MarketChain {

    private static final Logger LOG = Logger.getLogger(MarketChain.class);
    private static final BigInteger MAX_GAS = BigInteger.valueOf(25_000_000);
    /** A fee permit with deadline 0: none (the fee is approved beforehand). */
    public static final FeePermit NO_PERMIT = new FeePermit(BigInteger.ZERO, BigInteger.ZERO, new byte[32], new byte[32]);

    private final MarketplaceConfig config;
    private final Map<BigInteger, CachedState> states = new ConcurrentHashMap<>();
    private volatile Web3j web3j;
    private volatile Credentials relayer;
    private volatile PlatformAddresses addresses;
    private volatile ChainClient reader;
    private volatile boolean devBootstrapped;
    /** Where the next scan for jobs without a committee starts; -1 before the first scan. */
    private volatile long drawScanFrom = -1;
    /** How far back the first scan for jobs without a committee looks (a draw older than 256 blocks is deferred anyway). */
    private static final long DRAW_LOOKBACK_BLOCKS = 4_096;

    public MarketChain(MarketplaceConfig config) {
        this.config = config;
    }

    void start(@Observes @Priority(10) StartupEvent startup) {
        MarketplaceConfig.Chain chain = config.chain();
        OkHttpClient http = new OkHttpClient.Builder().connectTimeout(chain.timeout()).readTimeout(chain.timeout())
                .writeTimeout(chain.timeout()).callTimeout(chain.timeout()).build();
        HttpService rpc = new HttpService(chain.rpcUrl().toString(), http);
        web3j = Web3j.build(rpc);
        relayer = Credentials.create(chain.relayerKey().orElseGet(() -> {
            if (chain.bootstrap() != MarketplaceConfig.Bootstrap.DEV) {
                throw new IllegalStateException("zkpfl.chain.relayer-key is not set: the service needs the private key of "
                        + "the account that pays for createJob (e.g. ZKPFL_CHAIN_RELAYER_KEY)");
            }
            return DevPlatform.devKey(0);
        }));
        MarketplaceConfig.Contracts c = chain.contracts();
        if (c.token().isPresent() && c.registry().isPresent() && c.certifier().isPresent() && c.market().isPresent()) {
            addresses = new PlatformAddresses(c.token().get(), c.registry().get(), c.certifier().get(), c.market().get());
        } else if (chain.bootstrap() == MarketplaceConfig.Bootstrap.DEV) {
            addresses = DevPlatform.deploy(web3j, rpc, chain.id(), config.srs().ptau());
            devBootstrapped = true;
        } else {
            throw new IllegalStateException("zkpfl.chain.contracts.{token,registry,certifier,market} must all be set "
                    + "(or zkpfl.chain.bootstrap=dev to deploy a dev platform)");
        }
        reader = ChainClient.connect(web3j, chain.id(), relayer, addresses);
        LOG.infof("chain %d at %s: JobMarket %s, token %s, registry %s, certifier %s; relayer %s", chain.id(),
                chain.rpcUrl(), addresses.market(), addresses.token(), addresses.registry(), addresses.certifier(),
                relayer.getAddress());
    }

    void stop(@Observes ShutdownEvent shutdown) {
        if (web3j != null) {
            web3j.shutdown();
        }
    }

    public long chainId() {
        return config.chain().id();
    }

    public PlatformAddresses addresses() {
        return addresses;
    }

    /** The relayer's address, lower-case. */
    public String relayer() {
        return relayer.getAddress();
    }

    /** Whether this instance deployed its platform itself ({@code zkpfl.chain.bootstrap=dev}). */
    public boolean devBootstrapped() {
        return devBootstrapped;
    }

    /** The evaluator a job gets when its request names none. */
    public String defaultEvaluator() {
        return config.chain().evaluator().orElse(relayer.getAddress()).toLowerCase(Locale.ROOT);
    }

    /** The EIP-712 digest of {@code p} for this market. */
    public byte[] digest(JobParams p) {
        return JobSignature.digest(p, chainId(), addresses.market());
    }

    /**
     * Runs {@code createJob} as an {@code eth_call} from the relayer against the latest block.
     *
     * @return the decoded revert reason, or empty when the call would succeed
     * @throws UncheckedIOException when the chain cannot be reached
     */
    public Optional<RevertReason> simulate(JobParams p, byte[] signature, FeePermit permit) {
        String data = market(new ReadonlyTransactionManager(web3j, relayer.getAddress()))
                .createJob(p, signature, permit).encodeFunctionCall();
        try {
            EthCall call = web3j.ethCall(Transaction.createEthCallTransaction(relayer.getAddress(), addresses.market(), data),
                    DefaultBlockParameterName.LATEST).send();
            if (call.hasError()) {
                Object revert = call.getError().getData();
                return Optional.of(revert == null
                        ? new RevertReason("Error", List.of(call.getError().getMessage()))
                        : RevertReason.decode(revert.toString().replace("\"", "")));
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("the chain at " + config.chain().rpcUrl() + " did not answer", e);
        }
    }

    /** The latest block number. */
    public long blockNumber() {
        try {
            return web3j.ethBlockNumber().send().getBlockNumber().longValueExact();
        } catch (IOException e) {
            throw new UncheckedIOException("the chain at " + config.chain().rpcUrl() + " did not answer", e);
        }
    }

    /**
     * Sends {@code createJob} from the relayer and waits for its receipt.
     *
     * @throws ChainRevertException  if the chain refuses it (before sending, through gas estimation, or when mined)
     * @throws UncheckedIOException  or another runtime exception when the chain cannot be reached
     */
    public Submitted submit(JobParams p, byte[] signature, FeePermit permit) {
        RawTransactionManager tm = new RawTransactionManager(web3j, relayer, chainId(),
                new PollingTransactionReceiptProcessor(web3j, 100, 1_200));
        TransactionReceipt receipt;
        try {
            receipt = market(tm).createJob(p, signature, permit).send();
        } catch (ChainRevertException e) {
            throw new ChainRevertException("createJob", e.reason());
        } catch (TransactionException e) {
            throw new ChainRevertException("createJob", e.getEncodedDataResponse().map(RevertReason::decode)
                    .orElseGet(() -> new RevertReason("Failed", List.of(String.valueOf(e.getMessage())))));
        } catch (IOException e) {
            throw new UncheckedIOException("createJob could not be sent", e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("createJob failed: " + e.getMessage(), e);
        }
        List<MarketEvent.JobCreated> created = MarketEvents.decode(receipt, MarketEvent.JobCreated.class);
        if (created.isEmpty()) {
            throw new IllegalStateException("createJob mined in " + receipt.getTransactionHash() + " without a JobCreated event");
        }
        return new Submitted(created.getFirst().jobId(), receipt.getTransactionHash(), receipt.getBlockNumber().longValueExact());
    }

    /**
     * Draws the committee of every active job of this market that has none yet, which opens its first round
     * (docs/contracts.md, "Committee draw"). A draw needs a block after the job's creation block, so a job created
     * moments ago is drawn by a later call. The submission worker calls this after its submissions, so that the
     * relayer's transactions never race for a nonce. Returns how many committees this call drew.
     */
    public int drawPendingCommittees() {
        long latest = blockNumber();
        // a chain that went back (restarted from older state, a reorg) is scanned again from the look-back window
        long from = drawScanFrom < 0 || drawScanFrom > latest + 1 ? Math.max(0, latest - DRAW_LOOKBACK_BLOCKS) : drawScanFrom;
        if (from > latest) {
            return 0; // no block since the last scan: asking for logs of an empty range is an error on some nodes
        }
        long next = latest + 1;
        int drawn = 0;
        for (MarketEvents.PendingDraw d : reader.events().pendingDraws(from, latest)) {
            try {
                Optional<TransactionReceipt> r = reader.market().tryDrawCommittee(d.jobId(), d.pool(), d.weights());
                if (r.isPresent()) {
                    drawn++;
                    LOG.infof("chain job %s: committee drawn in block %d (tx %s)", d.jobId(), r.get().getBlockNumber(),
                            r.get().getTransactionHash());
                } else {
                    next = Math.min(next, d.createdBlock());
                }
            } catch (ChainRevertException e) {
                // drawn by someone else in between, or the job ended: nothing left to do for it
                LOG.infof("chain job %s: committee not drawn by this service: %s", d.jobId(), ChainRejection.text(e.reason()));
            }
        }
        drawScanFrom = next;
        return drawn;
    }

    /** A mined {@code createJob}: the chain's job id, the transaction (null when found through events) and its block. */
    public record Submitted(BigInteger jobId, String txHash, long block) {
    }

    /**
     * The job created on chain from parameters with EIP-712 digest {@code digest} by {@code owner}, searched in the
     * {@code JobCreated} events from block {@code fromBlock} on: how a resubmission that the chain refuses with
     * {@code NonceAlreadyUsed} finds that the job's own earlier transaction went through.
     */
    public Optional<Submitted> findCreated(String owner, byte[] digest, long fromBlock) {
        long latest = blockNumber();
        for (MarketEvent event : reader.events().events(Math.max(0, fromBlock), latest)) {
            if (event instanceof MarketEvent.JobCreated created && created.owner().equalsIgnoreCase(owner)
                    && Arrays.equals(digest(jobParams(created.jobId())), digest)) {
                return Optional.of(new Submitted(created.jobId(), null, created.block()));
            }
        }
        return Optional.empty();
    }

    /** The parameters job {@code jobId} was created with (decoded under Quarkus' class loaders: see StructCalls). */
    public JobParams jobParams(BigInteger jobId) {
        return reader.market().jobParams(jobId);
    }

    /**
     * The on-chain state of job {@code jobId}, at most {@code zkpfl.chain.state-ttl} old. A failed read is cached
     * as briefly as a successful one and reported in {@link OnChainState#error()}, never thrown. {@code createdAt} is the
     * block the job was created in: the latest market event of the job since then is reported as {@code lastEvent}.
     */
    public OnChainState state(BigInteger jobId, long createdAt) {
        long now = System.nanoTime();
        CachedState cached = states.get(jobId);
        if (cached != null && now - cached.at() < config.chain().stateTtl().toNanos()) {
            return cached.state();
        }
        OnChainState state;
        try {
            JobState job = reader.market().job(jobId);
            int[] paid = new int[1];
            LastEvent last = lastEvent(jobId, createdAt, paid);
            state = OnChainState.of(jobId, job, last, paid[0]);
        } catch (RuntimeException e) {
            LOG.debugf("reading job %s from the chain failed: %s", jobId, e.getMessage());
            state = OnChainState.unavailable(jobId, "the chain could not be read: " + rootMessage(e));
        }
        states.put(jobId, new CachedState(state, now));
        return state;
    }

    private LastEvent lastEvent(BigInteger jobId, long fromBlock, int[] roundsPaid) {
        MarketEvent last = null;
        for (MarketEvent event : reader.events().events(fromBlock, blockNumber())) {
            if (event.jobId().equals(jobId)) {
                last = event;
                if (event instanceof MarketEvent.RoundPaid) {
                    roundsPaid[0]++;
                }
            }
        }
        return last == null ? null : new LastEvent(last.getClass().getSimpleName(), last.block());
    }

    /**
     * The {@code RoundPaid} events of job {@code jobId} from block {@code fromBlock} on, in chain order: each round's
     * posted {@code keccak(w')}, accuracy and transaction, read from the chain itself.
     */
    public List<PaidRound> paidRounds(BigInteger jobId, long fromBlock) {
        try {
            List<PaidRound> out = new java.util.ArrayList<>();
            for (MarketEvents.Mined<MarketEvent.RoundPaid> m : reader.events().mined(MarketEvent.RoundPaid.class, jobId,
                    fromBlock)) {
                MarketEvent.RoundPaid e = m.event();
                out.add(new PaidRound(e.round(), org.web3j.utils.Numeric.toHexString(e.model()), e.accuracyPpm(),
                        m.transactionHash(), e.block()));
            }
            return out;
        } catch (UncheckedIOException e) {
            throw new UncheckedIOException("the chain at " + config.chain().rpcUrl() + " did not answer", e.getCause());
        }
    }

    /** A round's result as the chain logged it ({@code RoundPaid}). */
    public record PaidRound(int round, String weightsHash, long accuracyPpm, String tx, long block) {
    }

    /** The latest market event of a job ({@code JobCreated}, {@code AttemptOpened}, {@code RoundCertified}, …) and its block. */
    public record LastEvent(String type, long block) {
    }

    /** Drops the cached state of {@code jobId}. */
    public void forget(BigInteger jobId) {
        states.remove(jobId);
    }

    private record CachedState(OnChainState state, long at) {
    }

    private JobMarket market(org.web3j.tx.TransactionManager tm) {
        return JobMarket.load(addresses.market(), web3j, tm, new EstimatingGasProvider(web3j, MAX_GAS));
    }

    /** The innermost message of {@code e}. */
    public static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    /**
     * The state of a job as {@code JobMarket} holds it (see {@link JobState}): status {@code ACTIVE}, {@code COMPLETED}
     * or {@code FAILED}, current round and attempt, committee, number of trainers, escrow amounts in the fee token's
     * base units, the current model hash, the job's latest market event; or only {@code jobId} and {@code error} when the chain could not be read.
     */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record OnChainState(String jobId, String status, Integer round, Integer attempt, List<String> committee,
                               Integer trainers, String escrowed, String paid, String refunded, String remaining,
                               String model, LastEvent lastEvent, Integer roundsPaid, String error) {

        static OnChainState of(BigInteger jobId, JobState s, LastEvent lastEvent, int roundsPaid) {
            return new OnChainState(jobId.toString(), s.status().name(), s.round(), s.attempt(),
                    s.committee().stream().map(a -> a.toLowerCase(Locale.ROOT)).toList(), s.trainers().size(),
                    s.escrowed().toString(), s.paid().toString(), s.refunded().toString(), s.remaining().toString(),
                    s.model(), lastEvent, roundsPaid, null);
        }

        static OnChainState unavailable(BigInteger jobId, String error) {
            return new OnChainState(jobId.toString(), null, null, null, null, null, null, null, null, null, null, null, null, error);
        }
    }
}
