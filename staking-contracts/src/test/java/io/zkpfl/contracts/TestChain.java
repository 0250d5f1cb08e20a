package io.zkpfl.contracts;

import static io.zkpfl.contracts.PlatformConfig.tokens;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.zkpfl.contracts.generated.JobMarket.JobParams;
import io.zkpfl.contracts.setup.RoundPlatform;
import io.zkpfl.devstack.chain.AnvilNode;
import io.zkpfl.devstack.chain.AnvilOptions;
import io.zkpfl.devstack.chain.DevAccounts;
import io.zkpfl.zk.bn254.Fr;
import io.zkpfl.zk.bn254.G1;
import io.zkpfl.zk.kzg.Srs;
import io.zkpfl.zk.r1cs.NodeTool;
import io.zkpfl.zk.solidity.DleqSolidity;
import io.zkpfl.zk.solidity.KzgSolidityVerifier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/**
 * A fresh Anvil chain with the zkPFL platform deployed (with the KZG verifier that zk-core exports for
 * {@link #SRS}, a test SRS of 64 powers and 8 alpha powers from known secrets), an admin (dev account 0), funded actors with
 * deterministic keys, registered zk-nodes and staked trainers.
 */
public final class TestChain implements AutoCloseable {

    static final BigInteger NODE_STAKE = tokens(1_000);
    static final BigInteger TRAINER_STAKE = tokens(500);
    static final long UNBONDING = 3_600;

    public final AnvilNode anvil;
    public final Web3j web3j;
    public final Credentials adminKey;
    public final ChainClient admin;
    public final PlatformAddresses addresses;
    final Credentials treasury;
    public final Credentials owner;
    public final Credentials evaluator;
    public final List<Credentials> nodes = new ArrayList<>();
    public final List<Credentials> trainers = new ArrayList<>();
    private long nonce = 1;
    private final SplittableRandom rng = new SplittableRandom(4242);

    /** The platform's SRS in tests: its secrets are known, so it binds nothing outside tests. */
    public static final Srs SRS = Srs.insecureFromSecrets(Fr.of(0x7a75_1234L), Fr.of(0xa1fa_5678L), 64, 8);
    private static String verifierBytecode;
    private static String dleqBytecode;

    /** Creation bytecode of the exported KZG verifier of {@link #SRS}, compiled once with solc-js. */
    static synchronized String kzgVerifierBytecode() {
        if (verifierBytecode == null) {
            verifierBytecode = RoundPlatform.kzgVerifierBytecode(SRS);
        }
        return verifierBytecode;
    }

    /** Creation bytecode of the exported DLEQ verifier, compiled once with solc-js. */
    static synchronized String dleqVerifierBytecode() {
        if (dleqBytecode == null) {
            dleqBytecode = RoundPlatform.dleqVerifierBytecode();
        }
        return dleqBytecode;
    }

    /** Deploys creation bytecode from the admin; returns the contract's address. */
    String deploy(String bytecode) {
        try {
            var tm = new org.web3j.tx.RawTransactionManager(web3j, adminKey, anvil.chainId());
            var sent = tm.sendTransaction(web3j.ethGasPrice().send().getGasPrice(), BigInteger.valueOf(6_000_000), null,
                    Numeric.prependHexPrefix(bytecode), BigInteger.ZERO, true);
            var receipt = new org.web3j.tx.response.PollingTransactionReceiptProcessor(web3j, 50, 2_400)
                    .waitForTransactionReceipt(sent.getTransactionHash());
            if (!receipt.isStatusOK()) {
                throw new IllegalStateException("deployment failed");
            }
            return receipt.getContractAddress();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private TestChain(int nodeCount, int trainerCount, AnvilOptions options) {
        anvil = AnvilNode.start(options);
        web3j = Web3j.build(new HttpService(anvil.rpcUrl()));
        adminKey = Credentials.create(DevAccounts.privateKey(0));
        treasury = actor("treasury");
        addresses = PlatformDeployer.deployPlatform(web3j, anvil.chainId(), adminKey,
                new PlatformConfig(TRAINER_STAKE, NODE_STAKE, UNBONDING, tokens(100), treasury.getAddress()),
                kzgVerifierBytecode());
        admin = ChainClient.connect(web3j, anvil.chainId(), adminKey, addresses);
        admin.market().setDleqVerifier(deploy(dleqVerifierBytecode()));
        owner = funded("owner", tokens(100_000));
        evaluator = funded("evaluator", BigInteger.ZERO);
        for (int k = 0; k < nodeCount; k++) {
            Credentials node = funded("node-" + k, NODE_STAKE);
            client(node).staking().registerNode(NODE_STAKE, Hash.sha3(("x25519-" + k).getBytes(StandardCharsets.UTF_8)),
                    "https://node-" + k + ".zkpfl.test");
            nodes.add(node);
        }
        for (int i = 0; i < trainerCount; i++) {
            Credentials trainer = funded("trainer-" + i, TRAINER_STAKE);
            client(trainer).staking().stakeAsTrainer(TRAINER_STAKE);
            trainers.add(trainer);
        }
    }

    public static TestChain start(int nodes, int trainers) {
        return new TestChain(nodes, trainers, AnvilOptions.defaults());
    }

    /** As {@link #start(int, int)} on an Anvil started with {@code options}. */
    public static TestChain start(int nodes, int trainers, AnvilOptions options) {
        return new TestChain(nodes, trainers, options);
    }

    /** A key derived from {@code name}, with ether for gas and no tokens. */
    Credentials actor(String name) {
        Credentials c = Credentials.create(Numeric.toHexStringNoPrefixZeroPadded(
                new BigInteger(1, Hash.sha3(("zkpfl-test-" + name).getBytes(StandardCharsets.UTF_8))), 64));
        anvil.rpc("anvil_setBalance", "[\"" + c.getAddress() + "\", \"0x3635C9ADC5DEA00000\"]");
        return c;
    }

    /** An actor holding {@code amount} platform tokens. */
    Credentials funded(String name, BigInteger amount) {
        Credentials c = actor(name);
        if (amount.signum() > 0) {
            admin.token().mint(c.getAddress(), amount);
        }
        return c;
    }

    public ChainClient client(Credentials c) {
        return admin.as(c);
    }

    public void increaseTime(long seconds) {
        anvil.rpc("evm_increaseTime", "[" + seconds + "]");
        anvil.rpc("evm_mine", "[]");
    }

    /** Advances the chain's clock to just after {@code timestamp}. */
    public void passTime(long timestamp) {
        long delta = timestamp - now() + 1;
        if (delta > 0) {
            increaseTime(delta);
        }
    }

    public long now() {
        try {
            return web3j.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false).send().getBlock()
                    .getTimestamp().longValue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public long blockNumber() {
        try {
            return web3j.ethBlockNumber().send().getBlockNumber().longValue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Default job terms: 1000-token fee in the platform token, D = 1024, m = 3, t = 2, 2..8 trainers. */
    public Terms terms() {
        return new Terms(owner.getAddress(), addresses.token(), tokens(1_000), evaluator.getAddress(), 1024, 3, 3, 2,
                2, 8, 60_000, BigInteger.ONE.shiftLeft(16), 900_000, 500_000, 100, 50, 100, 100, 100, nonce++, now() + 3_600,
                new byte[32], JobSignature.evaluatorVersion(JobSignature.DEFAULT_EVALUATOR_RELEASE), BigInteger.ZERO, 0);
    }

    /** Signs and creates a job after approving its fee and evaluator bond from the owner. */
    public BigInteger createJob(Terms t) {
        ChainClient owner = client(this.owner);
        owner.token().approve(t.feeToken(), addresses.market(), t.fee().add(t.evaluatorBond()));
        JobParams p = t.params();
        return owner.market().createJob(p, owner.market().signJob(p, this.owner));
    }

    /** Creates a job on {@code t} and joins its first {@code trainers} trainers, in order (join indices 1..trainers). */
    public BigInteger createJob(Terms t, int trainers) {
        BigInteger job = createJob(t);
        for (int i = 0; i < trainers; i++) {
            client(this.trainers.get(i)).market().join(job);
        }
        return job;
    }

    /**
     * The job's escrow is conserved (escrowed = paid + refunded + remaining) and the market holds exactly what it owes
     * in the platform token plus what {@code job} still escrows.
     */
    public void assertEscrowConserved(BigInteger job) {
        JobState s = admin.market().job(job);
        assertEquals(s.escrowed(), s.paid().add(s.refunded()).add(s.remaining()));
        String token = addresses.token();
        assertEquals(admin.token().balanceOf(token, addresses.market()),
                admin.market().totalOwed(token).add(admin.market().remaining(job)));
    }

    static final BigInteger R = new BigInteger(
            "21888242871839275222246405745257275088548364400416034343698204186575808495617");

    /** A field element derived from {@code label}. */
    static BigInteger field(String label) {
        return new BigInteger(1, Hash.sha3(label.getBytes(StandardCharsets.UTF_8))).mod(R);
    }

    /** Trainer commits t random G1 points as its commitments, a manifest digest and n_i = 100; returns the points. */
    List<G1> commit(BigInteger job, Credentials trainer, int t) {
        List<G1> points = new ArrayList<>();
        for (int l = 0; l < t; l++) {
            points.add(G1.GENERATOR.mul(Fr.random(rng)));
        }
        client(trainer).market().commitRound(job, words(points), manifest(job + "/" + trainer.getAddress()), 100);
        return points;
    }

    /** x, y words of each point, as the contract takes them. */
    public static List<BigInteger> words(List<G1> points) {
        return List.of(KzgSolidityVerifier.commitmentWords(points));
    }

    /** A 32-byte manifest digest derived from {@code label} (sha256, as of a manifest file). */
    static byte[] manifest(String label) {
        return Hash.sha256(("manifest " + label).getBytes(StandardCharsets.UTF_8));
    }

    static void assertReverts(String error, Runnable action) {
        assertReverts(error, null, action);
    }

    /** Runs {@code action} and checks that it reverts with {@code error} (and its first argument, if given). */
    static void assertReverts(String error, Object firstArg, Runnable action) {
        ChainRevertException e = assertThrows(ChainRevertException.class, action::run);
        assertEquals(error, e.reason().name(), () -> "revert reason: " + e.reason());
        if (firstArg != null) {
            if (e.reason().args().isEmpty()) {
                fail("no arguments in " + e.reason());
            }
            assertEquals(firstArg, e.reason().args().getFirst(), () -> "revert reason: " + e.reason());
        }
    }

    @Override
    public void close() {
        web3j.shutdown();
        anvil.close();
    }

    /** Job terms with defaults, turned into the wrapper's {@link JobParams} by {@link #params()}. */
    public record Terms(String owner, String feeToken, BigInteger fee, String evaluator, long bucket, int maxRounds,
                 int committeeSize, int threshold, int minTrainers, int maxTrainers, long maxSamples, BigInteger clipQ16,
                 long targetAccuracy, long alpha, long commitWindow, long complaintWindow, long partialWindow,
                 long proofWindow, long revealWindow, long nonce, long deadline, byte[] validationCommitment,
                 byte[] evaluatorVersion, BigInteger evaluatorBond, int groups) {

        public JobParams params() {
            return new JobParams(owner, feeToken, fee, evaluator,
                    Hash.sha3("initial model".getBytes(StandardCharsets.UTF_8)), BigInteger.valueOf(bucket),
                    BigInteger.valueOf(maxRounds), BigInteger.valueOf(committeeSize), BigInteger.valueOf(threshold),
                    BigInteger.valueOf(minTrainers), BigInteger.valueOf(maxTrainers), BigInteger.valueOf(maxSamples),
                    clipQ16, BigInteger.valueOf(targetAccuracy), BigInteger.valueOf(alpha),
                    BigInteger.valueOf(commitWindow), BigInteger.valueOf(complaintWindow),
                    BigInteger.valueOf(partialWindow), BigInteger.valueOf(proofWindow), BigInteger.valueOf(revealWindow),
                    BigInteger.valueOf(nonce), BigInteger.valueOf(deadline), validationCommitment, evaluatorVersion,
                    evaluatorBond, BigInteger.valueOf(groups));
        }

        Terms withFee(String token, BigInteger amount) {
            return new Terms(owner, token, amount, evaluator, bucket, maxRounds, committeeSize, threshold, minTrainers,
                    maxTrainers, maxSamples, clipQ16, targetAccuracy, alpha, commitWindow, complaintWindow,
                    partialWindow, proofWindow, revealWindow, nonce, deadline, validationCommitment,
                    evaluatorVersion, evaluatorBond, groups);
        }

        Terms withCommittee(int m, int t) {
            return new Terms(owner, feeToken, fee, evaluator, bucket, maxRounds, m, t, minTrainers, maxTrainers,
                    maxSamples, clipQ16, targetAccuracy, alpha, commitWindow, complaintWindow, partialWindow,
                    proofWindow, revealWindow, nonce, deadline, validationCommitment,
                    evaluatorVersion, evaluatorBond, groups);
        }

        public Terms withBucket(long d) {
            return new Terms(owner, feeToken, fee, evaluator, d, maxRounds, committeeSize, threshold, minTrainers,
                    maxTrainers, maxSamples, clipQ16, targetAccuracy, alpha, commitWindow, complaintWindow,
                    partialWindow, proofWindow, revealWindow, nonce, deadline, validationCommitment,
                    evaluatorVersion, evaluatorBond, groups);
        }

        public Terms withTrainers(int min, int max) {
            return new Terms(owner, feeToken, fee, evaluator, bucket, maxRounds, committeeSize, threshold, min, max,
                    maxSamples, clipQ16, targetAccuracy, alpha, commitWindow, complaintWindow, partialWindow,
                    proofWindow, revealWindow, nonce, deadline, validationCommitment,
                    evaluatorVersion, evaluatorBond, groups);
        }

        Terms withQuantisation(long samples, BigInteger clip) {
            return new Terms(owner, feeToken, fee, evaluator, bucket, maxRounds, committeeSize, threshold, minTrainers,
                    maxTrainers, samples, clip, targetAccuracy, alpha, commitWindow, complaintWindow, partialWindow,
                    proofWindow, revealWindow, nonce, deadline, validationCommitment,
                    evaluatorVersion, evaluatorBond, groups);
        }

        Terms withCommitWindow(long seconds) {
            return new Terms(owner, feeToken, fee, evaluator, bucket, maxRounds, committeeSize, threshold, minTrainers,
                    maxTrainers, maxSamples, clipQ16, targetAccuracy, alpha, seconds, complaintWindow, partialWindow,
                    proofWindow, revealWindow, nonce, deadline, validationCommitment,
                    evaluatorVersion, evaluatorBond, groups);
        }

        Terms withRounds(int rounds) {
            return new Terms(owner, feeToken, fee, evaluator, bucket, rounds, committeeSize, threshold, minTrainers,
                    maxTrainers, maxSamples, clipQ16, targetAccuracy, alpha, commitWindow, complaintWindow, partialWindow,
                    proofWindow, revealWindow, nonce, deadline, validationCommitment,
                    evaluatorVersion, evaluatorBond, groups);
        }

        /** The owner as its own evaluator (or committed to its own set), posting {@code bond}. */
        public Terms withEvaluation(String evaluatorAddress, byte[] commitment, BigInteger bond) {
            return new Terms(owner, feeToken, fee, evaluatorAddress, bucket, maxRounds, committeeSize, threshold,
                    minTrainers, maxTrainers, maxSamples, clipQ16, targetAccuracy, alpha, commitWindow, complaintWindow,
                    partialWindow, proofWindow, revealWindow, nonce, deadline, commitment, evaluatorVersion, bond, groups);
        }

        public Terms withGroups(int count) {
            return new Terms(owner, feeToken, fee, evaluator, bucket, maxRounds, committeeSize, threshold, minTrainers,
                    maxTrainers, maxSamples, clipQ16, targetAccuracy, alpha, commitWindow, complaintWindow,
                    partialWindow, proofWindow, revealWindow, nonce, deadline, validationCommitment, evaluatorVersion,
                    evaluatorBond, count);
        }

        Terms withEvaluatorVersion(byte[] version) {
            return new Terms(owner, feeToken, fee, evaluator, bucket, maxRounds, committeeSize, threshold, minTrainers,
                    maxTrainers, maxSamples, clipQ16, targetAccuracy, alpha, commitWindow, complaintWindow,
                    partialWindow, proofWindow, revealWindow, nonce, deadline, validationCommitment, version,
                    evaluatorBond, groups);
        }

        Terms withDeadline(long at) {
            return new Terms(owner, feeToken, fee, evaluator, bucket, maxRounds, committeeSize, threshold, minTrainers,
                    maxTrainers, maxSamples, clipQ16, targetAccuracy, alpha, commitWindow, complaintWindow,
                    partialWindow, proofWindow, revealWindow, nonce, at, validationCommitment,
                    evaluatorVersion, evaluatorBond, groups);
        }
    }
}
