package io.zkpfl.contracts;

import io.reactivex.Flowable;
import io.zkpfl.contracts.generated.JobMarket;
import io.zkpfl.contracts.generated.JobMarket.FeePermit;
import io.zkpfl.contracts.generated.JobMarket.JobParams;
import io.zkpfl.contracts.generated.PlatformToken;
import io.zkpfl.contracts.generated.RoundCertifier;
import io.zkpfl.contracts.generated.StakingRegistry;
import org.web3j.abi.EventEncoder;
import org.web3j.crypto.Credentials;
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

    /** Role index of a share fingerprint in a tag (see {@link #tag}). */
    public static final int ROLE_SHARE = 0;
    /** Role index of a partial fingerprint in a tag. */
    public static final int ROLE_PARTIAL = 1;
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
     * Deploys token, staking registry, round certifier and job market, grants the market its role in the
     * registry and allow-lists the platform token as fee token. {@code admin} becomes every contract's admin.
     */
    public static PlatformAddresses deployPlatform(Web3j web3j, long chainId, Credentials admin, PlatformConfig config) {
        TransactionManager tm = transactionManager(web3j, chainId, admin);
        ContractGasProvider gas = new EstimatingGasProvider(web3j, MAX_GAS);
        String who = admin.getAddress();
        try {
            PlatformToken token = PlatformToken.deploy(web3j, tm, gas, who).send();
            StakingRegistry registry = StakingRegistry.deploy(web3j, tm, gas, token.getContractAddress(),
                    config.trainerMinStake(), config.nodeMinStake(), BigInteger.valueOf(config.unbondingDelaySeconds()),
                    who, config.treasury()).send();
            RoundCertifier certifier = RoundCertifier.deploy(web3j, tm, gas).send();
            JobMarket market = JobMarket.deploy(web3j, tm, gas, registry.getContractAddress(),
                    certifier.getContractAddress(), who).send();
            registry.grantRole(registry.MARKET_ROLE().send(), market.getContractAddress()).send();
            market.setFeeToken(token.getContractAddress(), config.minimumFee()).send();
            return new PlatformAddresses(token.getContractAddress(), registry.getContractAddress(),
                    certifier.getContractAddress(), market.getContractAddress());
        } catch (ChainRevertException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("deploying the zkPFL contracts failed: " + e.getMessage(), e);
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

    // ------------------------------------------------------------------ jobs

    /** Allow-lists an ERC-20 as fee token with its minimum fee (admin only). */
    public TransactionReceipt setFeeToken(String feeToken, BigInteger minimumFee) {
        return send("setFeeToken", market.setFeeToken(feeToken, minimumFee));
    }

    /** Fixes the Stmt(D) verifier contract of bucket {@code d} (admin only, once per bucket). */
    public TransactionReceipt setVerifier(long d, String verifier) {
        return send("setVerifier", market.setVerifier(BigInteger.valueOf(d), verifier));
    }

    /** Fixes the SharesStatement(D, m) verifier contract of bucket {@code d} and committee size {@code m} (admin only, once). */
    public TransactionReceipt setSharesVerifier(long d, int m, String verifier) {
        return send("setSharesVerifier", market.setSharesVerifier(BigInteger.valueOf(d), BigInteger.valueOf(m), verifier));
    }

    /** The owner's EIP-712 signature over {@code p} for this market. */
    public byte[] signJob(JobParams p, Credentials owner) {
        return JobSignature.sign(p, chainId, addresses.market(), owner);
    }

    /** Creates a job from signed parameters, the fee approved beforehand; returns the new job id. */
    public BigInteger createJob(JobParams p, byte[] ownerSignature) {
        return createJob(p, ownerSignature, new FeePermit(BigInteger.ZERO, BigInteger.ZERO, new byte[32], new byte[32]));
    }

    /** Creates a job from signed parameters, approving the fee by EIP-2612 permit; returns the job id. */
    public BigInteger createJob(JobParams p, byte[] ownerSignature, FeePermit permit) {
        TransactionReceipt receipt = send("createJob", market.createJob(p, ownerSignature, permit));
        return JobMarket.getJobCreatedEvents(receipt).getFirst().jobId;
    }

    /** Like {@link #createJob(JobParams, byte[])} (fee approved beforehand), returning the receipt. */
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
     * Step 5: the trainer's m share commitments and the sha256 digest of its envelope manifest (the
     * multihash digest of the manifest's CIDv1 raw-leaf address).
     */
    public TransactionReceipt commitShares(BigInteger jobId, List<BigInteger> commitments, byte[] manifest) {
        return send("commitShares", market.commitShares(jobId, commitments, manifest));
    }

    public TransactionReceipt complain(BigInteger jobId, String trainer) {
        return send("complain", market.complain(jobId, trainer));
    }

    public TransactionReceipt commitPartial(BigInteger jobId, BigInteger h) {
        return send("commitPartial", market.commitPartial(jobId, h));
    }

    public TransactionReceipt requestChallenge(BigInteger jobId) {
        return send("requestChallenge", market.requestChallenge(jobId));
    }

    public TransactionReceipt fixChallenge(BigInteger jobId) {
        return send("fixChallenge", market.fixChallenge(jobId));
    }

    /** Step 8: certification from the re-supplied commitments, the fingerprints and both circuits' proofs. */
    public TransactionReceipt certify(BigInteger jobId, RoundEvidence e) {
        return send("certify", market.certify(jobId, new JobMarket.Evidence(e.commitments(), e.manifests(), e.ys(),
                e.split(), e.sharesProofs(), e.stmtProofs())));
    }

    public TransactionReceipt revealPartial(BigInteger jobId, String cid) {
        return send("revealPartial", market.revealPartial(jobId, cid));
    }

    public TransactionReceipt advance(BigInteger jobId) {
        return send("advance", market.advance(jobId));
    }

    /** Evaluator only: the new model's hash, its accuracy and the included trainers' accuracy shares (ppm). */
    public TransactionReceipt postRoundResult(BigInteger jobId, byte[] modelHash, long accuracyPpm,
                                              List<BigInteger> accuracySharesPpm) {
        return send("postRoundResult", market.postRoundResult(jobId, modelHash, BigInteger.valueOf(accuracyPpm),
                accuracySharesPpm));
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
        return call("jobParams", market.jobParams(jobId));
    }

    public AttemptState attempt(BigInteger jobId) {
        JobMarket.AttemptView v = call("attemptState", market.attemptState(jobId));
        Tuple2<List<String>, List<String>> who = call("participantsOf", market.participantsOf(jobId));
        List<BigInteger> partials = new ArrayList<>();
        for (Object o : call("partialsOf", market.partialsOf(jobId))) {
            partials.add(o instanceof BigInteger b ? b : (BigInteger) ((org.web3j.abi.datatypes.Type<?>) o).getValue());
        }
        return new AttemptState(AttemptState.Phase.values()[v.phase.intValue()], v.openedAt.longValue(),
                v.commitDeadline.longValue(), v.complaintDeadline.longValue(), v.partialDeadline.longValue(),
                v.proofDeadline.longValue(), v.revealDeadline.longValue(), v.rho, v.partialCount.intValue(),
                v.revealCount.intValue(), who.component1(), who.component2(), partials);
    }

    /** Block time after which the evaluator can no longer post the current round's result (D4 + commitWindow). */
    public long resultDeadline(BigInteger jobId) {
        return call("resultDeadline", market.resultDeadline(jobId)).longValue();
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

    /** The tag the contract binds to fingerprint (role, i, k) of the job's current attempt. */
    public BigInteger tag(BigInteger jobId, int role, long i, long k) {
        return call("tagOf", market.tagOf(jobId, BigInteger.valueOf(role), BigInteger.valueOf(i), BigInteger.valueOf(k)));
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
        return Optional.empty();
    }

    private static String bytes32Text(byte[] word) {
        int end = 0;
        while (end < word.length && word[end] != 0) {
            end++;
        }
        return new String(Arrays.copyOf(word, end), StandardCharsets.US_ASCII);
    }

    @SuppressWarnings("rawtypes")
    private static List<String> addressesOf(List raw) {
        List<String> out = new ArrayList<>();
        for (Object o : raw) {
            out.add(o instanceof String s ? s : ((org.web3j.abi.datatypes.Address) o).getValue());
        }
        return out;
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
}
