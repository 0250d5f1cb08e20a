package io.zkpfl.contracts;

import io.reactivex.Flowable;
import io.zkpfl.contracts.generated.JobMarket;
import io.zkpfl.contracts.generated.JobMarket.FeePermit;
import io.zkpfl.contracts.generated.JobMarket.JobParams;
import io.zkpfl.contracts.generated.PlatformToken;
import io.zkpfl.contracts.generated.StakingRegistry;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.Sign;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.RemoteFunctionCall;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.exceptions.TransactionException;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.TransactionManager;
import org.web3j.tx.gas.ContractGasProvider;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;
import org.web3j.tuples.generated.Tuple2;
import org.web3j.tuples.generated.Tuple7;
import org.web3j.utils.Numeric;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Typed access to one deployment of the zkPFL contracts for one signer: sends transactions through the
 * generated web3j wrappers with an injected {@link TransactionManager} and {@link ContractGasProvider},
 * reads job state, and follows market events. Failed transactions throw {@link ChainRevertException}
 * with the decoded revert reason. Instances are immutable; {@link #as} gives a client for another signer.
 */
public final class ChainClient {

    private static final BigInteger MAX_GAS = BigInteger.valueOf(25_000_000);

    private final Web3j web3j;
    private final long chainId;
    private final String from;
    private final TransactionManager transactions;
    private final ContractGasProvider gas;
    private final PlatformAddresses addresses;
    private final PlatformToken token;
    private final StakingRegistry registry;
    private final JobMarket market;

    /** A client with injected transaction manager and gas provider, sending from {@code from}. */
    public ChainClient(Web3j web3j, long chainId, String from, TransactionManager transactions,
                       ContractGasProvider gas, PlatformAddresses addresses) {
        this.web3j = web3j;
        this.chainId = chainId;
        this.from = from;
        this.transactions = transactions;
        this.gas = gas;
        this.addresses = addresses;
        this.token = PlatformToken.load(addresses.token(), web3j, transactions, gas);
        this.registry = StakingRegistry.load(addresses.registry(), web3j, transactions, gas);
        this.market = JobMarket.load(addresses.market(), web3j, transactions, gas);
    }

    /** A client signing with {@code credentials} (raw transactions, estimated gas, fast receipt polling). */
    public static ChainClient connect(Web3j web3j, long chainId, Credentials credentials, PlatformAddresses addresses) {
        return new ChainClient(web3j, chainId, credentials.getAddress(), transactionManager(web3j, chainId, credentials),
                new EstimatingGasProvider(web3j, MAX_GAS), addresses);
    }

    /** The same deployment seen by another signer. */
    public ChainClient as(Credentials credentials) {
        return connect(web3j, chainId, credentials, addresses);
    }

    /**
     * Deploys token, staking registry and job market, grants the market its role in the registry and allow-lists
     * the platform token as fee token. {@code admin} becomes every contract's admin. The KZG verifier of the
     * platform's SRS is not deployed ({@link PlatformAddresses#certifier()} is the zero address until
     * {@link #setKzgVerifier} fixes it); see {@link #deployPlatform(Web3j, long, Credentials, PlatformConfig, String)}.
     */
    public static PlatformAddresses deployPlatform(Web3j web3j, long chainId, Credentials admin, PlatformConfig config) {
        return deployPlatform(web3j, chainId, admin, config, null);
    }

    /**
     * As {@link #deployPlatform(Web3j, long, Credentials, PlatformConfig)}, and also deploys the KZG batch verifier
     * that zk-core exports for the platform's SRS from its creation bytecode (hex) and fixes it in the market;
     * {@link PlatformAddresses#certifier()} is then its address. {@code null} deploys none.
     */
    public static PlatformAddresses deployPlatform(Web3j web3j, long chainId, Credentials admin, PlatformConfig config,
                                                   String kzgVerifierBytecode) {
        TransactionManager tm = transactionManager(web3j, chainId, admin);
        ContractGasProvider gas = new EstimatingGasProvider(web3j, MAX_GAS);
        String who = admin.getAddress();
        try {
            PlatformToken token = PlatformToken.deploy(web3j, tm, gas, who).send();
            StakingRegistry registry = StakingRegistry.deploy(web3j, tm, gas, token.getContractAddress(),
                    config.trainerMinStake(), config.nodeMinStake(), BigInteger.valueOf(config.unbondingDelaySeconds()),
                    who, config.treasury()).send();
            JobMarket market = JobMarket.deploy(web3j, tm, gas, registry.getContractAddress(), who).send();
            registry.grantRole(registry.MARKET_ROLE().send(), market.getContractAddress()).send();
            market.setFeeToken(token.getContractAddress(), config.minimumFee()).send();
            PlatformConfig.Economics e = config.economics();
            market.setEconomics(config.treasury(), BigInteger.valueOf(e.creationFeePpm()),
                    BigInteger.valueOf(e.minOwnerBondPpm()), BigInteger.valueOf(e.disclosureWindowSeconds()),
                    BigInteger.valueOf(e.disputeWindowSeconds())).send();
            String verifier = "0x0000000000000000000000000000000000000000";
            if (kzgVerifierBytecode != null) {
                verifier = deployCreationCode(web3j, tm, gas, kzgVerifierBytecode, "the KZG verifier");
                market.setKzgVerifier(verifier).send();
            }
            return new PlatformAddresses(token.getContractAddress(), registry.getContractAddress(), verifier,
                    market.getContractAddress());
        } catch (ChainRevertException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("deploying the zkPFL contracts failed: " + e.getMessage(), e);
        }
    }

    /**
     * Deploys raw creation bytecode (hex) from {@code deployer}, e.g. a verifier zk-core exported and solc-js
     * compiled; returns the contract's address.
     *
     * @throws IllegalStateException naming {@code what} if the node refuses the transaction or it reverts
     */
    public static String deployCreationCode(Web3j web3j, long chainId, Credentials deployer, String bytecode, String what) {
        return deployCreationCode(web3j, transactionManager(web3j, chainId, deployer), new EstimatingGasProvider(web3j, MAX_GAS),
                bytecode, what);
    }

    private static String deployCreationCode(Web3j web3j, TransactionManager tm, ContractGasProvider gas, String bytecode,
                                             String what) {
        try {
            var sent = tm.sendTransaction(gas.getGasPrice(), BigInteger.valueOf(6_000_000), null,
                    Numeric.prependHexPrefix(bytecode), BigInteger.ZERO, true);
            if (sent.hasError()) {
                throw new IllegalStateException("deploying " + what + " failed: " + sent.getError().getMessage());
            }
            TransactionReceipt r = new PollingTransactionReceiptProcessor(web3j, 50, 2_400)
                    .waitForTransactionReceipt(sent.getTransactionHash());
            if (!r.isStatusOK() || r.getContractAddress() == null) {
                throw new IllegalStateException("deploying " + what + " failed: " + r.getStatus());
            }
            return r.getContractAddress();
        } catch (IOException | TransactionException e) {
            throw new IllegalStateException("deploying " + what + " failed: " + e.getMessage(), e);
        }
    }

    private static TransactionManager transactionManager(Web3j web3j, long chainId, Credentials credentials) {
        return new RawTransactionManager(web3j, credentials, chainId,
                new PollingTransactionReceiptProcessor(web3j, 50, 2_400));
    }

    public PlatformAddresses addresses() {
        return addresses;
    }

    /** The signer's address. */
    public String address() {
        return from;
    }

    public long chainId() {
        return chainId;
    }

    // ------------------------------------------------------------------ token and staking

    /** Mints platform tokens (admin only). */
    public TransactionReceipt mint(String to, BigInteger amount) {
        return send("mint", token.mint(to, amount));
    }

    /** Approves {@code spender} for {@code amount} of the ERC-20 at {@code tokenAddress}. */
    public TransactionReceipt approve(String tokenAddress, String spender, BigInteger amount) {
        return send("approve", PlatformToken.load(tokenAddress, web3j, transactions, gas).approve(spender, amount));
    }

    /** Balance of {@code account} in the ERC-20 at {@code tokenAddress}. */
    public BigInteger balanceOf(String tokenAddress, String account) {
        return call("balanceOf", PlatformToken.load(tokenAddress, web3j, transactions, gas).balanceOf(account));
    }

    /** Approves the registry and stakes {@code amount} as trainer; returns the staking receipt. */
    public TransactionReceipt stakeAsTrainer(BigInteger amount) {
        approve(addresses.token(), addresses.registry(), amount);
        return send("stakeAsTrainer", registry.stakeAsTrainer(amount));
    }

    /** Approves the registry and registers as zk-node with its X25519 key and endpoint. */
    public TransactionReceipt registerNode(BigInteger amount, byte[] x25519Key, String endpoint) {
        approve(addresses.token(), addresses.registry(), amount);
        return send("registerNode", registry.registerNode(amount, x25519Key, endpoint));
    }

    /** The signer (a registered node) states how many committees it serves at once. */
    public TransactionReceipt setCapacity(int committees) {
        return send("setCapacity", registry.setCapacity(BigInteger.valueOf(committees)));
    }

    /** A node's stated capacity (0: not stated, no limit). */
    public int capacityOf(String node) {
        return call("capacityOf", registry.capacityOf(node)).intValue();
    }

    public TransactionReceipt requestUnbond(BigInteger amount) {
        return send("requestUnbond", registry.requestUnbond(amount));
    }

    public TransactionReceipt withdraw() {
        return send("withdraw", registry.withdraw());
    }

    /** Stake of {@code account} in the registry. */
    public StakingRegistry.Account stakeAccount(String account) {
        return call("accountOf", registry.accountOf(account));
    }

    /** The registered nodes and their committee-draw weights now (0 below the minimum stake or at capacity). */
    public org.web3j.tuples.generated.Tuple2<List<String>, List<BigInteger>> nodePool() {
        return call("nodePool", registry.nodePool());
    }

    // ------------------------------------------------------------------ jobs

    /** Allow-lists an ERC-20 as fee token with its minimum fee (admin only). */
    public TransactionReceipt setFeeToken(String feeToken, BigInteger minimumFee) {
        return send("setFeeToken", market.setFeeToken(feeToken, minimumFee));
    }

    /** Fixes the batched KZG verifier of the platform's SRS (admin only, once). */
    public TransactionReceipt setKzgVerifier(String verifier) {
        return send("setKzgVerifier", market.setKzgVerifier(verifier));
    }

    /** Fixes the DLEQ verifier of share complaints (admin only, once). */
    public TransactionReceipt setDleqVerifier(String verifier) {
        return send("setDleqVerifier", market.setDleqVerifier(verifier));
    }

    /** The owner's EIP-712 signature over {@code p} for this market. */
    public byte[] signJob(JobParams p, Credentials owner) {
        return JobSignature.sign(p, chainId, addresses.market(), owner);
    }

    /** Creates a job from signed parameters, the fee approved beforehand; returns the new job id. */
    public BigInteger createJob(JobParams p, byte[] ownerSignature) {
        return createJob(p, ownerSignature, new FeePermit(BigInteger.ZERO, BigInteger.ZERO, new byte[32], new byte[32]));
    }

    /**
     * Creates a job from signed parameters, approving the fee by EIP-2612 permit, then draws its committee (which
     * opens its first attempt); returns the job id.
     */
    public BigInteger createJob(JobParams p, byte[] ownerSignature, FeePermit permit) {
        TransactionReceipt receipt = send("createJob", market.createJob(p, ownerSignature, permit));
        BigInteger jobId = JobMarket.getJobCreatedEvents(receipt).getFirst().jobId;
        drawCommittee(receipt);
        return jobId;
    }

    /** How long {@link #drawCommittee} waits for the block after the job's creation block. */
    private static final java.time.Duration DRAW_WAIT = java.time.Duration.ofSeconds(60);

    /**
     * Draws the committee of the job that {@code createJobReceipt} created, from its DrawPending event (the node
     * pool and stakes at creation); the draw needs a block after the creation block, so a DrawNotReady revert is
     * retried until one is mined. A draw the chain deferred (the creation block's hash had aged out) is repeated
     * once. Returns the receipt of the call that drew.
     */
    public TransactionReceipt drawCommittee(TransactionReceipt createJobReceipt) {
        JobMarket.DrawPendingEventResponse pending = JobMarket.getDrawPendingEvents(createJobReceipt).getFirst();
        return drawCommittee(pending.jobId, pending.pool, pending.weights);
    }

    /** Draws the committee of {@code jobId} over the pool and weights of its DrawPending event (see above). */
    public TransactionReceipt drawCommittee(BigInteger jobId, List<String> pool, List<BigInteger> weights) {
        long deadline = System.nanoTime() + DRAW_WAIT.toNanos();
        while (true) {
            Optional<TransactionReceipt> drawn = tryDrawCommittee(jobId, pool, weights);
            if (drawn.isPresent()) {
                return drawn.get();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("job " + jobId + ": no block after its draw block within " + DRAW_WAIT);
            }
            sleepQuietly(250);
        }
    }

    /**
     * One attempt at drawing the committee of {@code jobId}: the receipt when this call drew it, empty when the draw
     * block has no successor yet (DrawNotReady) or the call only moved an aged-out draw to its own block.
     *
     * @throws ChainRevertException for any other refusal, e.g. CommitteeAlreadyDrawn or JobNotActive
     */
    public Optional<TransactionReceipt> tryDrawCommittee(BigInteger jobId, List<String> pool, List<BigInteger> weights) {
        try {
            TransactionReceipt r = send("drawCommittee", market.drawCommittee(jobId, pool, weights));
            return JobMarket.getCommitteeDrawnEvents(r).isEmpty() ? Optional.empty() : Optional.of(r);
        } catch (ChainRevertException e) {
            if ("DrawNotReady".equals(e.reason().name())) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** A job created in {@code createdBlock} whose committee is still to be drawn over {@code pool} and {@code weights}. */
    public record PendingDraw(BigInteger jobId, long createdBlock, List<String> pool, List<BigInteger> weights) {
    }

    /** The jobs created in blocks {@code from..to} (inclusive) that are active and have no committee yet. */
    public List<PendingDraw> pendingDraws(long fromBlock, long toBlock) {
        EthFilter filter = new EthFilter(DefaultBlockParameter.valueOf(BigInteger.valueOf(fromBlock)),
                DefaultBlockParameter.valueOf(BigInteger.valueOf(toBlock)), addresses.market());
        filter.addSingleTopic(EventEncoder.encode(JobMarket.DRAWPENDING_EVENT));
        try {
            EthLog logs = web3j.ethGetLogs(filter).send();
            if (logs.hasError()) {
                throw new IllegalStateException("eth_getLogs failed: " + logs.getError().getMessage());
            }
            List<PendingDraw> pending = new ArrayList<>();
            for (EthLog.LogResult<?> r : logs.getLogs()) {
                Log log = (Log) r.get();
                var e = JobMarket.getDrawPendingEventFromLog(log);
                JobState state = job(e.jobId);
                if (state.jobStatus() == JobState.Status.ACTIVE && state.committee().isEmpty()) {
                    pending.add(new PendingDraw(e.jobId, log.getBlockNumber().longValueExact(), e.pool, e.weights));
                }
            }
            return pending;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("eth_getLogs failed", e);
        }
    }

    /** The block whose hash seeds the job's committee draw (0 for no such job). */
    public long drawBlock(BigInteger jobId) {
        return call("drawBlock", market.drawBlock(jobId)).longValueExact();
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the next block", e);
        }
    }

    /**
     * Like {@link #createJob(JobParams, byte[])} (fee approved beforehand), returning the receipt, without drawing the
     * committee: see {@link #drawCommittee(TransactionReceipt)}.
     */
    public TransactionReceipt createJobReceipt(JobParams p, byte[] ownerSignature) {
        return send("createJob", market.createJob(p, ownerSignature,
                new FeePermit(BigInteger.ZERO, BigInteger.ZERO, new byte[32], new byte[32])));
    }

    public TransactionReceipt join(BigInteger jobId) {
        return send("join", market.join(jobId));
    }

    public TransactionReceipt release(BigInteger jobId) {
        return send("release", market.release(jobId));
    }

    /**
     * Step 5: the trainer's t commitments C_i0..C_i,t-1 as x, y words, the keccak digest of its envelope
     * manifest and its declared sample count n_i.
     */
    public TransactionReceipt commitRound(BigInteger jobId, List<BigInteger> points, byte[] manifestDigest, long samples) {
        return send("commitRound", market.commitRound(jobId, points, manifestDigest, BigInteger.valueOf(samples)));
    }

    /** The signer (a committee node) publishes its per-round envelope key for the job's current round (x, y). */
    public TransactionReceipt postRoundKey(BigInteger jobId, List<BigInteger> publicKey) {
        return send("postRoundKey", market.postRoundKey(jobId, publicKey));
    }

    /**
     * Step 6: a verifiable complaint about {@code trainer}'s share: the envelope's ephemeral point, the ECDH point
     * (x, y each) and the DLEQ proof (c, s) against the signer's round key.
     */
    public TransactionReceipt complainShare(BigInteger jobId, String trainer, List<BigInteger> ephemeral,
                                            List<BigInteger> shared, BigInteger c, BigInteger s) {
        return send("complainShare", market.complainShare(jobId, trainer, ephemeral, shared, c, s));
    }

    /** Step 6: the signer's verdict on the complaint about {@code trainer}; the deciding upheld vote resupplies its commitment. */
    public TransactionReceipt voteComplaint(BigInteger jobId, String trainer, boolean upheld, List<BigInteger> points,
                                            byte[] manifestDigest, long samples) {
        return send("voteComplaint", market.voteComplaint(jobId, trainer, upheld, points, manifestDigest,
                BigInteger.valueOf(samples)));
    }

    /** Step 6: votes to exclude {@code trainer}; the majority's vote must resupply its commitment (else pass empty). */
    public TransactionReceipt voteExclusion(BigInteger jobId, String trainer, List<BigInteger> points,
                                            byte[] manifestDigest, long samples) {
        return send("voteExclusion", market.voteExclusion(jobId, trainer, points, manifestDigest,
                BigInteger.valueOf(samples)));
    }

    /** Step 7: the signer's own opening of its C_k, as words z, y, ŷ, π.x, π.y. */
    public TransactionReceipt postOpening(BigInteger jobId, List<BigInteger> opening) {
        return send("postOpening", market.postOpening(jobId, opening));
    }

    /** Step 7, batched: nodes {@code ks}' openings (5 words each) with each node's {@link #signOpening} signature. */
    public TransactionReceipt postOpenings(BigInteger jobId, List<BigInteger> ks, List<BigInteger> openings,
                                           List<byte[]> signatures) {
        return send("postOpenings", market.postOpenings(jobId, ks, openings, signatures));
    }

    /**
     * Node k's EIP-191 sign-off of its opening for a batched {@link #postOpenings}: over
     * keccak256(abi.encode(market, chain id, job, round, attempt, k, the 5 opening words)).
     */
    public static byte[] signOpening(Credentials node, String market, long chainId, BigInteger jobId, int round,
                                     int attempt, int k, List<BigInteger> opening) {
        StringBuilder hex = new StringBuilder(Numeric.toHexStringNoPrefixZeroPadded(Numeric.toBigInt(market), 64));
        for (BigInteger w : List.of(BigInteger.valueOf(chainId), jobId, BigInteger.valueOf(round),
                BigInteger.valueOf(attempt), BigInteger.valueOf(k))) {
            hex.append(Numeric.toHexStringNoPrefixZeroPadded(w, 64));
        }
        for (BigInteger w : opening) {
            hex.append(Numeric.toHexStringNoPrefixZeroPadded(w, 64));
        }
        byte[] digest = Hash.sha3(Numeric.hexStringToByteArray(hex.toString()));
        Sign.SignatureData sig = Sign.signPrefixedMessage(digest, node.getEcKeyPair());
        byte[] out = new byte[65];
        System.arraycopy(sig.getR(), 0, out, 0, 32);
        System.arraycopy(sig.getS(), 0, out, 32, 32);
        out[64] = sig.getV()[0];
        return out;
    }

    /** Step 8: the signer (a committee node) announces the CID of its revealed S_k || b_k. */
    public TransactionReceipt revealPartial(BigInteger jobId, byte[] cid) {
        return send("revealPartial", market.revealPartial(jobId, cid));
    }

    /**
     * Step 8: {@code aggregateHash = keccak256(A ‖ b_A)} and an opening of C_A (5 words) at the z_A bound to that hash
     * ({@link #resultPoint(BigInteger, byte[])}), which releases the nodes' pay and emits ResultOpened.
     */
    public TransactionReceipt openResult(BigInteger jobId, byte[] aggregateHash, List<BigInteger> opening) {
        return send("openResult", market.openResult(jobId, aggregateHash, opening));
    }

    /** The owner stops its job; rounds done stay paid. */
    public TransactionReceipt stopJob(BigInteger jobId) {
        return send("stopJob", market.stopJob(jobId));
    }

    public TransactionReceipt advance(BigInteger jobId) {
        return send("advance", market.advance(jobId));
    }

    /** Evaluator only: the hash of the new weights w', their accuracy and the included trainers' accuracy shares (ppm). */
    public TransactionReceipt postRoundResult(BigInteger jobId, byte[] modelHash, long accuracyPpm,
                                              List<BigInteger> accuracySharesPpm) {
        return postRoundResult(jobId, modelHash, accuracyPpm, accuracySharesPpm, List.of());
    }

    public TransactionReceipt claim(String feeToken) {
        return send("claim", market.claim(feeToken));
    }

    // ------------------------------------------------------------------ reads

    public JobState job(BigInteger jobId) {
        Tuple7<BigInteger, BigInteger, BigInteger, byte[], BigInteger, BigInteger, BigInteger> s =
                call("jobState", market.jobState(jobId));
        return new JobState(s.component1().intValue(), s.component2().intValue(), s.component3().intValue(),
                Numeric.toHexString(s.component4()), s.component5(), s.component6(), s.component7(),
                addressesOf(call("committeeOf", market.committeeOf(jobId))),
                addressesOf(call("trainersOf", market.trainersOf(jobId))));
    }

    public JobParams jobParams(BigInteger jobId) {
        return StructCalls.call(web3j, from, addresses.market(), "jobParams", List.of(new Uint256(jobId)), JobParams.class);
    }

    public AttemptState attempt(BigInteger jobId) {
        JobMarket.AttemptView v = StructCalls.call(web3j, from, addresses.market(), "attemptState", List.of(new Uint256(jobId)),
                JobMarket.AttemptView.class);
        Tuple2<List<String>, List<String>> who = call("participantsOf", market.participantsOf(jobId));
        List<Integer> opened = new ArrayList<>();
        int mask = v.openedMask.intValue();
        for (int k = 1; mask != 0; k++, mask >>>= 1) {
            if ((mask & 1) != 0) {
                opened.add(k);
            }
        }
        return new AttemptState(AttemptState.Phase.values()[v.phase.intValue()], v.openedAt.longValue(),
                v.commitDeadline.longValue(), v.complaintDeadline.longValue(), v.openingDeadline.longValue(),
                v.revealDeadline.longValue(), v.resultDeadline.longValue(), v.openedCount.intValue(),
                v.revealCount.intValue(), opened, v.sampleSum.longValue(), words(v.sums), who.component1(),
                who.component2());
    }

    /** A G1 point (x, y) with the challenge z it must be opened at. */
    public record OpeningPoint(BigInteger x, BigInteger y, BigInteger z) {
    }

    /** C_k of the current attempt (from the contract's running sums) and z_k. */
    public OpeningPoint openingPoint(BigInteger jobId, int k) {
        var r = call("openingPoint", market.openingPoint(jobId, BigInteger.valueOf(k)));
        return new OpeningPoint(r.component1(), r.component2(), r.component3());
    }

    /** C_A = P_0 of the current attempt and the z_A an aggregate with hash {@code aggregateHash} is opened at. */
    public OpeningPoint resultPoint(BigInteger jobId, byte[] aggregateHash) {
        var r = call("resultPoint", market.resultPoint(jobId, aggregateHash));
        return new OpeningPoint(r.component1(), r.component2(), r.component3());
    }

    /** Block time after which the evaluator can no longer post the current round's result (D4 + proofWindow). */
    public long resultDeadline(BigInteger jobId) {
        return attempt(jobId).resultDeadline();
    }

    public BigInteger remaining(BigInteger jobId) {
        return call("remaining", market.remaining(jobId));
    }

    public BigInteger claimable(String account, String feeToken) {
        return call("claimable", market.claimable(account, feeToken));
    }

    /** Sum of all credited but unclaimed amounts in {@code feeToken}. */
    public BigInteger totalOwed(String feeToken) {
        return call("totalOwed", market.totalOwed(feeToken));
    }

    public BigInteger jobCount() {
        return call("jobCount", market.jobCount());
    }

    /** The contract's EIP-712 digest of {@code p} (for cross-checking an off-chain signer). */
    public byte[] jobDigest(JobParams p) {
        return call("jobDigest", market.jobDigest(p));
    }

    // ------------------------------------------------------------------ events

    /** Market events mined in blocks {@code from..to} (inclusive). */
    public List<MarketEvent> events(long fromBlock, long toBlock) {
        EthFilter filter = new EthFilter(DefaultBlockParameter.valueOf(BigInteger.valueOf(fromBlock)),
                DefaultBlockParameter.valueOf(BigInteger.valueOf(toBlock)), addresses.market());
        try {
            EthLog logs = web3j.ethGetLogs(filter).send();
            if (logs.hasError()) {
                throw new IllegalStateException("eth_getLogs failed: " + logs.getError().getMessage());
            }
            List<MarketEvent> events = new ArrayList<>();
            for (EthLog.LogResult<?> r : logs.getLogs()) {
                decode((Log) r.get()).ifPresent(events::add);
            }
            return events;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("eth_getLogs failed", e);
        }
    }

    /** Market events from now on, as they are mined. */
    public Flowable<MarketEvent> subscribe() {
        EthFilter filter = new EthFilter(DefaultBlockParameterName.LATEST, DefaultBlockParameterName.LATEST,
                addresses.market());
        return web3j.ethLogFlowable(filter).map(ChainClient::decode).filter(Optional::isPresent).map(Optional::get);
    }

    private static final String JOB_CREATED = EventEncoder.encode(JobMarket.JOBCREATED_EVENT);
    private static final String ATTEMPT_OPENED = EventEncoder.encode(JobMarket.ATTEMPTOPENED_EVENT);
    private static final String ROUND_CERTIFIED = EventEncoder.encode(JobMarket.ROUNDCERTIFIED_EVENT);
    private static final String ATTEMPT_FAILED = EventEncoder.encode(JobMarket.ATTEMPTFAILED_EVENT);
    private static final String FAULT_PROVEN = EventEncoder.encode(JobMarket.FAULTPROVEN_EVENT);
    private static final String ROUND_PAID = EventEncoder.encode(JobMarket.ROUNDPAID_EVENT);
    private static final String JOB_FINISHED = EventEncoder.encode(JobMarket.JOBFINISHED_EVENT);
    private static final String ROUND_AGGREGATED = EventEncoder.encode(JobMarket.ROUNDAGGREGATED_EVENT);
    private static final String ROUND_SKIPPED = EventEncoder.encode(JobMarket.ROUNDSKIPPED_EVENT);
    private static final String EVALUATOR_TIMED_OUT = EventEncoder.encode(JobMarket.EVALUATORTIMEDOUT_EVENT);

    static Optional<MarketEvent> decode(Log log) {
        if (log.getTopics() == null || log.getTopics().isEmpty()) {
            return Optional.empty();
        }
        String topic = log.getTopics().getFirst();
        long block = log.getBlockNumber().longValue();
        if (topic.equals(JOB_CREATED)) {
            var e = JobMarket.getJobCreatedEventFromLog(log);
            return Optional.of(new MarketEvent.JobCreated(e.jobId, block, e.owner, e.feeToken, e.escrowed));
        } else if (topic.equals(ATTEMPT_OPENED)) {
            var e = JobMarket.getAttemptOpenedEventFromLog(log);
            return Optional.of(new MarketEvent.AttemptOpened(e.jobId, block, e.round.intValue(), e.attempt.intValue(),
                    e.commitDeadline.longValue()));
        } else if (topic.equals(ROUND_CERTIFIED)) {
            var e = JobMarket.getRoundCertifiedEventFromLog(log);
            return Optional.of(new MarketEvent.RoundCertified(e.jobId, block, e.round.intValue(), e.attempt.intValue()));
        } else if (topic.equals(ROUND_AGGREGATED)) {
            var e = JobMarket.getRoundAggregatedEventFromLog(log);
            return Optional.of(new MarketEvent.RoundAggregated(e.jobId, block, e.round.intValue(), e.attempt.intValue(),
                    e.resultX, e.resultY, e.sampleSum.longValue()));
        } else if (topic.equals(ROUND_SKIPPED)) {
            var e = JobMarket.getRoundSkippedEventFromLog(log);
            return Optional.of(new MarketEvent.RoundSkipped(e.jobId, block, e.round.intValue(), e.attempt.intValue(),
                    e.reveals.intValue()));
        } else if (topic.equals(ATTEMPT_FAILED)) {
            var e = JobMarket.getAttemptFailedEventFromLog(log);
            return Optional.of(new MarketEvent.AttemptFailed(e.jobId, block, e.round.intValue(), e.attempt.intValue(),
                    bytes32Text(e.reason)));
        } else if (topic.equals(FAULT_PROVEN)) {
            var e = JobMarket.getFaultProvenEventFromLog(log);
            return Optional.of(new MarketEvent.FaultProven(e.jobId, block, e.round.intValue(), e.attempt.intValue(),
                    e.offender, bytes32Text(e.fault)));
        } else if (topic.equals(ROUND_PAID)) {
            var e = JobMarket.getRoundPaidEventFromLog(log);
            return Optional.of(new MarketEvent.RoundPaid(e.jobId, block, e.round.intValue(), e.accuracy.intValue(), e.paid));
        } else if (topic.equals(JOB_FINISHED)) {
            var e = JobMarket.getJobFinishedEventFromLog(log);
            return Optional.of(new MarketEvent.JobFinished(e.jobId, block, e.status.intValue(), e.refunded));
        } else if (topic.equals(EVALUATOR_TIMED_OUT)) {
            var e = JobMarket.getEvaluatorTimedOutEventFromLog(log);
            return Optional.of(new MarketEvent.EvaluatorTimedOut(e.jobId, block, e.round.intValue(),
                    e.resultDeadline.longValue()));
        }
        return decodeEconomics(log, topic, block);
    }

    private static String bytes32Text(byte[] word) {
        int end = 0;
        while (end < word.length && word[end] != 0) {
            end++;
        }
        return new String(Arrays.copyOf(word, end), StandardCharsets.US_ASCII);
    }

    @SuppressWarnings("rawtypes")
    private static List<BigInteger> words(List raw) {
        List<BigInteger> out = new ArrayList<>();
        for (Object o : raw) {
            out.add(o instanceof BigInteger b ? b : (BigInteger) ((org.web3j.abi.datatypes.Type<?>) o).getValue());
        }
        return out;
    }

    @SuppressWarnings("rawtypes")
    private static List<String> addressesOf(List raw) {
        List<String> out = new ArrayList<>();
        for (Object o : raw) {
            out.add(o instanceof String s ? s : ((org.web3j.abi.datatypes.Address) o).getValue());
        }
        return out;
    }

    // --- added for client-trainer (owner CLI: `job post` approves the fee only when the allowance is short)

    /** What {@code spender} may still take from {@code owner} in the ERC-20 at {@code tokenAddress}. */
    public BigInteger allowance(String tokenAddress, String owner, String spender) {
        return call("allowance", PlatformToken.load(tokenAddress, web3j, transactions, gas).allowance(owner, spender));
    }

    // --- added for staking-contracts (creation fee, evaluator bond, per-group accuracies)

    /**
     * Evaluator only: as {@link #postRoundResult(BigInteger, byte[], long, List)}, with one accuracy (ppm) per group
     * of the job's {@code groups} (empty when it has none), emitted in GroupAccuracies.
     */
    public TransactionReceipt postRoundResult(BigInteger jobId, byte[] modelHash, long accuracyPpm,
                                              List<BigInteger> accuracySharesPpm, List<BigInteger> groupAccuraciesPpm) {
        return send("postRoundResult", market.postRoundResult(jobId, modelHash, BigInteger.valueOf(accuracyPpm),
                accuracySharesPpm, groupAccuraciesPpm));
    }

    /** Admin only: treasury, creation fee, minimum owner bond and evaluation windows of the market. */
    public TransactionReceipt setEconomics(String treasury, PlatformConfig.Economics e) {
        return send("setEconomics", market.setEconomics(treasury, BigInteger.valueOf(e.creationFeePpm()),
                BigInteger.valueOf(e.minOwnerBondPpm()), BigInteger.valueOf(e.disclosureWindowSeconds()),
                BigInteger.valueOf(e.disputeWindowSeconds())));
    }

    /** The market's current economics and treasury. */
    public PlatformConfig.Economics economics() {
        return new PlatformConfig.Economics(call("creationFeePpm", market.creationFeePpm()).longValue(),
                call("minOwnerBondPpm", market.minOwnerBondPpm()).longValue(),
                call("disclosureWindow", market.disclosureWindow()).longValue(),
                call("disputeWindow", market.disputeWindow()).longValue());
    }

    /** The treasury that receives creation fees. */
    public String treasury() {
        return call("treasury", market.treasury());
    }

    /**
     * After the job ended, before its disclosure deadline: discloses the owner's validation set, checked on chain
     * against the signed commitment keccak256(abi.encode(bundleHash, contentKey)); {@code cid} addresses the
     * encrypted bundle.
     */
    public TransactionReceipt discloseValidation(BigInteger jobId, byte[] bundleHash, byte[] contentKey, byte[] cid) {
        return send("discloseValidation", market.discloseValidation(jobId, bundleHash, contentKey, cid));
    }

    /** A committee node's vote that {@code round}'s posted result is not reproduced; t votes slash the bond. */
    public TransactionReceipt disputeEvaluation(BigInteger jobId, int round) {
        return send("disputeEvaluation", market.disputeEvaluation(jobId, BigInteger.valueOf(round)));
    }

    /** Anyone, after the disclosure deadline of a committed set nobody disclosed: slashes the bond to the trainers. */
    public TransactionReceipt slashUndisclosed(BigInteger jobId) {
        return send("slashUndisclosed", market.slashUndisclosed(jobId));
    }

    /** Anyone, after the dispute deadline: credits the bond back to the owner. */
    public TransactionReceipt releaseBond(BigInteger jobId) {
        return send("releaseBond", market.releaseBond(jobId));
    }

    /**
     * A job's creation fee and evaluator bond.
     *
     * @param bondState          0 held, 1 released, 2 slashed (meaningful when {@code bond} is positive)
     * @param disclosureDeadline block time, set when the job ends (0 before, and for jobs without bond or commitment)
     * @param disputeDeadline    block time, likewise
     */
    public record Evaluation(BigInteger creationFee, BigInteger bond, int bondState, boolean disclosed,
                             long disclosureDeadline, long disputeDeadline) {

        /** The bond the market still holds: all of it while held, none once released or slashed. */
        public BigInteger bondHeld() {
            return bondState == 0 ? bond : BigInteger.ZERO;
        }
    }

    public Evaluation evaluation(BigInteger jobId) {
        JobMarket.EvaluationView v = StructCalls.call(web3j, from, addresses.market(), "evaluationOf", List.of(new Uint256(jobId)),
                JobMarket.EvaluationView.class);
        return new Evaluation(v.creationFee, v.bond, v.bondState.intValue(), v.disclosed,
                v.disclosureDeadline.longValue(), v.disputeDeadline.longValue());
    }

    private static final String CREATION_FEE_CHARGED = EventEncoder.encode(JobMarket.CREATIONFEECHARGED_EVENT);
    private static final String BOND_ESCROWED = EventEncoder.encode(JobMarket.BONDESCROWED_EVENT);
    private static final String GROUP_ACCURACIES = EventEncoder.encode(JobMarket.GROUPACCURACIES_EVENT);
    private static final String VALIDATION_DISCLOSED = EventEncoder.encode(JobMarket.VALIDATIONDISCLOSED_EVENT);
    private static final String DISPUTE_VOTED = EventEncoder.encode(JobMarket.DISPUTEVOTED_EVENT);
    private static final String EVALUATION_DISPUTED = EventEncoder.encode(JobMarket.EVALUATIONDISPUTED_EVENT);
    private static final String BOND_SLASHED = EventEncoder.encode(JobMarket.BONDSLASHED_EVENT);
    private static final String BOND_RELEASED = EventEncoder.encode(JobMarket.BONDRELEASED_EVENT);

    /** The events of the evaluation terms (fee, bond, disclosure, disputes, groups), or empty for any other log. */
    private static Optional<MarketEvent> decodeEconomics(Log log, String topic, long block) {
        if (topic.equals(CREATION_FEE_CHARGED)) {
            var e = JobMarket.getCreationFeeChargedEventFromLog(log);
            return Optional.of(new MarketEvent.CreationFeeCharged(e.jobId, block, e.treasury, e.amount));
        } else if (topic.equals(BOND_ESCROWED)) {
            var e = JobMarket.getBondEscrowedEventFromLog(log);
            return Optional.of(new MarketEvent.BondEscrowed(e.jobId, block, e.owner, e.amount));
        } else if (topic.equals(GROUP_ACCURACIES)) {
            var e = JobMarket.getGroupAccuraciesEventFromLog(log);
            return Optional.of(new MarketEvent.GroupAccuracies(e.jobId, block, e.round.intValue(),
                    words(e.ppm).stream().map(BigInteger::intValueExact).toList()));
        } else if (topic.equals(VALIDATION_DISCLOSED)) {
            var e = JobMarket.getValidationDisclosedEventFromLog(log);
            return Optional.of(new MarketEvent.ValidationDisclosed(e.jobId, block, Numeric.toHexString(e.bundleHash),
                    Numeric.toHexString(e.contentKey), Numeric.toHexString(e.cid)));
        } else if (topic.equals(DISPUTE_VOTED)) {
            var e = JobMarket.getDisputeVotedEventFromLog(log);
            return Optional.of(new MarketEvent.DisputeVoted(e.jobId, block, e.round.intValue(), e.node));
        } else if (topic.equals(EVALUATION_DISPUTED)) {
            var e = JobMarket.getEvaluationDisputedEventFromLog(log);
            return Optional.of(new MarketEvent.EvaluationDisputed(e.jobId, block, e.round.intValue(), e.votes.intValue()));
        } else if (topic.equals(BOND_SLASHED)) {
            var e = JobMarket.getBondSlashedEventFromLog(log);
            return Optional.of(new MarketEvent.BondSlashed(e.jobId, block, bytes32Text(e.reason), e.amount,
                    addressesOf(e.recipients)));
        } else if (topic.equals(BOND_RELEASED)) {
            var e = JobMarket.getBondReleasedEventFromLog(log);
            return Optional.of(new MarketEvent.BondReleased(e.jobId, block, e.owner, e.amount));
        }
        return Optional.empty();
    }

    // ------------------------------------------------------------------ plumbing

    private static TransactionReceipt send(String operation, RemoteFunctionCall<TransactionReceipt> call) {
        try {
            return call.send();
        } catch (ChainRevertException e) {
            throw new ChainRevertException(operation, e.reason());
        } catch (TransactionException e) {
            RevertReason reason = e.getEncodedDataResponse().map(RevertReason::decode)
                    .orElseGet(() -> new RevertReason("Failed", List.of(String.valueOf(e.getMessage()))));
            throw new ChainRevertException(operation, reason);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(operation + " failed: " + e.getMessage(), e);
        }
    }

    private static <T> T call(String operation, RemoteFunctionCall<T> call) {
        try {
            return call.send();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(operation + " failed: " + e.getMessage(), e);
        }
    }

    // --- added for staking-contracts (reveals batched with the nodes' next-round keys)

    /**
     * Step 8 batched (the coordination leader's call): nodes {@code ks}' reveals, each with its key for the next round
     * ({@code nextKeys}: x, y per node, both 0 for none) and its {@link #signReveal} sign-off.
     */
    public TransactionReceipt revealPartials(BigInteger jobId, List<BigInteger> ks, List<byte[]> cids,
                                             List<BigInteger> nextKeys, List<byte[]> signatures) {
        return send("revealPartials", market.revealPartials(jobId, ks, cids, nextKeys, signatures));
    }

    /**
     * What node k signs for a batched reveal: keccak256(abi.encode(bytes32("zkPFL reveal"), market, chain id, job,
     * round, attempt, k, keccak256(cid), next key x, next key y)), before the EIP-191 prefix.
     */
    public static byte[] revealDigest(String market, long chainId, BigInteger jobId, int round, int attempt, int k,
                                      byte[] cid, List<BigInteger> nextKey) {
        byte[] tag = java.util.Arrays.copyOf("zkPFL reveal".getBytes(StandardCharsets.US_ASCII), 32);
        StringBuilder hex = new StringBuilder(Numeric.toHexStringNoPrefix(tag));
        hex.append(Numeric.toHexStringNoPrefixZeroPadded(Numeric.toBigInt(market), 64));
        for (BigInteger w : List.of(BigInteger.valueOf(chainId), jobId, BigInteger.valueOf(round),
                BigInteger.valueOf(attempt), BigInteger.valueOf(k), Numeric.toBigInt(Hash.sha3(cid)), nextKey.get(0),
                nextKey.get(1))) {
            hex.append(Numeric.toHexStringNoPrefixZeroPadded(w, 64));
        }
        return Hash.sha3(Numeric.hexStringToByteArray(hex.toString()));
    }

    /** Node k's EIP-191 sign-off of its reveal and next-round key (zeros for none) for {@link #revealPartials}. */
    public static byte[] signReveal(Credentials node, String market, long chainId, BigInteger jobId, int round,
                                    int attempt, int k, byte[] cid, List<BigInteger> nextKey) {
        Sign.SignatureData sig = Sign.signPrefixedMessage(
                revealDigest(market, chainId, jobId, round, attempt, k, cid, nextKey), node.getEcKeyPair());
        byte[] out = new byte[65];
        System.arraycopy(sig.getR(), 0, out, 0, 32);
        System.arraycopy(sig.getS(), 0, out, 32, 32);
        out[64] = sig.getV()[0];
        return out;
    }
}
