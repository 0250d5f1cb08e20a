package io.zkpfl.contracts;

import static io.zkpfl.contracts.TestChain.assertReverts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zkpfl.protocol.envelope.NodeRoundKey;
import io.zkpfl.zk.bn254.Fr;
import io.zkpfl.zk.bn254.G1;
import io.zkpfl.zk.solidity.KzgSolidityVerifier;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;

/**
 * Every attempt of a job reuses the storage the previous one wrote (docs/adr/0113-round-storage.md). What a later
 * attempt or round must not see of an earlier one: its running sums (a restarted attempt's sums are its own
 * commitments only), its round keys (a complaint in round 1 needs the node's round-1 key), and what the bond's
 * dispute of an earlier round pays (that round's included trainers, not the last round's).
 */
class RoundStorageIT {

    private static final List<String> NONE = List.of();
    private static TestChain chain;

    @BeforeAll
    static void start() {
        chain = TestChain.start(12, 3); // two tests slash a whole committee (no opening by D3)
        chain.admin.evaluation().setEconomics(chain.treasury.getAddress(), new PlatformConfig.Economics(10_000, 100_000, 600, 900));
    }

    @AfterAll
    static void stop() {
        chain.close();
    }

    private static BigInteger job(TestChain.Terms terms) {
        BigInteger job = chain.createJob(terms);
        for (Credentials trainer : chain.trainers) {
            chain.client(trainer).market().join(job);
        }
        return job;
    }

    @Test
    void aRestartedAttemptSumsOnlyItsOwnCommitments() {
        BigInteger job = job(chain.terms());
        RoundDriver failed = new RoundDriver(chain, job, 31);
        failed.commit(chain.trainers.get(0), 100);
        failed.commit(chain.trainers.get(1), 200);
        chain.passTime(chain.admin.market().attempt(job).openingDeadline());
        chain.admin.market().advance(job);
        assertEquals(1, chain.admin.market().job(job).attempt(), "no opening by D3: the round restarts");
        assertEquals(List.of(BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO),
                chain.admin.market().attempt(job).sums(), "before its first commit the new attempt shows no sums");

        RoundDriver retry = new RoundDriver(chain, job, 32);
        retry.commit(chain.trainers.get(2), 300);
        assertEquals(List.of(KzgSolidityVerifier.commitmentWords(retry.sums(NONE).sums())), chain.admin.market().attempt(job).sums(),
                "the first commit replaces the failed attempt's sums");
        retry.commit(chain.trainers.get(0), 100);
        assertEquals(List.of(KzgSolidityVerifier.commitmentWords(retry.sums(NONE).sums())), chain.admin.market().attempt(job).sums());
        chain.passTime(chain.admin.market().attempt(job).complaintDeadline());
        for (int k = 1; k <= 3; k++) {
            retry.open(k, NONE); // each opening is checked against C_k derived from these sums
        }
        assertEquals(AttemptState.Phase.CERTIFIED, chain.admin.market().attempt(job).phase());
    }

    @Test
    void aRoundKeyServesItsRoundOnly() {
        BigInteger job = job(chain.terms());
        SplittableRandom rng = new SplittableRandom(41);
        RoundDriver round0 = new RoundDriver(chain, job, 41);
        ChainClient node1 = chain.client(round0.node(1));
        List<BigInteger> key0 = TestChain.words(List.of(NodeRoundKey.generate(rng).publicKey()));
        node1.market().postRoundKey(job, key0);
        assertReverts("AlreadyCommitted", () -> node1.market().postRoundKey(job, key0));
        playRound(job, round0, List.of(0, 1), 500_000);
        assertEquals(1, chain.admin.market().job(job).round());

        // round 1: node 1's round-0 key is no key for this round's complaints, and a new one may be posted
        RoundDriver round1 = new RoundDriver(chain, job, 42);
        round1.commit(chain.trainers.get(0), 100);
        round1.commit(chain.trainers.get(1), 100);
        round1.commit(chain.trainers.get(2), 100);
        List<BigInteger> point = key0;
        chain.passTime(chain.admin.market().attempt(job).commitDeadline());
        assertReverts("NoRoundKey", BigInteger.ONE, () -> node1.market().complainShare(job, chain.trainers.get(0).getAddress(),
                point, point, BigInteger.ONE, BigInteger.ONE));
        RoundDriver next = new RoundDriver(chain, job, 43);
        chain.passTime(chain.admin.market().attempt(job).openingDeadline());
        chain.admin.market().advance(job); // not certified: attempt 1 of round 1 opens, D1 ahead again
        List<BigInteger> key1 = TestChain.words(List.of(NodeRoundKey.generate(rng).publicKey()));
        node1.market().postRoundKey(job, key1);
        assertReverts("AlreadyCommitted", () -> node1.market().postRoundKey(job, key1));
        next.commit(chain.trainers.get(0), 100);
        next.commit(chain.trainers.get(1), 100);
        next.commit(chain.trainers.get(2), 100);
        chain.passTime(chain.admin.market().attempt(job).commitDeadline());
        assertReverts("InvalidDleqProof", BigInteger.ONE, () -> node1.market().complainShare(job,
                chain.trainers.get(0).getAddress(), point, point, BigInteger.ONE, BigInteger.ONE));
    }

    @Test
    void aNodesKeyForTheNextRoundComesWithItsReveal() {
        BigInteger job = job(chain.terms()); // three rounds
        SplittableRandom rng = new SplittableRandom(71);
        RoundDriver round0 = new RoundDriver(chain, job, 71);
        ChainClient node1 = chain.client(round0.node(1));
        round0.commit(chain.trainers.get(0), 100);
        round0.commit(chain.trainers.get(1), 100);
        chain.passTime(chain.admin.market().attempt(job).complaintDeadline());
        for (int k = 1; k <= 3; k++) {
            round0.open(k, NONE);
        }
        List<BigInteger> key1 = TestChain.words(List.of(NodeRoundKey.generate(rng).publicKey()));
        var receipt = round0.revealWithKey(1, key1);
        var posted = io.zkpfl.contracts.generated.JobMarket.getRoundKeyPostedEvents(receipt);
        assertEquals(1, posted.size());
        assertEquals(1, posted.getFirst().round.intValue(), "the key is for the next round");
        assertEquals(key1, List.of(posted.getFirst().x, posted.getFirst().y));
        assertEquals(1, chain.admin.market().attempt(job).revealCount(), "and the reveal counts");
        round0.reveal(2);
        round0.openResult(chain.admin, List.of(1, 2), NONE);
        chain.client(chain.evaluator).market().postRoundResult(job, new byte[32], 100_000,
                List.of(BigInteger.valueOf(500_000), BigInteger.valueOf(500_000)));
        assertEquals(1, chain.admin.market().job(job).round());

        // round 1: node 1 has its key already; node 3 has none until it posts one
        assertReverts("AlreadyCommitted", () -> node1.market().postRoundKey(job, key1));
        RoundDriver round1 = new RoundDriver(chain, job, 72);
        round1.commit(chain.trainers.get(0), 100);
        round1.commit(chain.trainers.get(1), 100);
        round1.commit(chain.trainers.get(2), 100);
        chain.passTime(chain.admin.market().attempt(job).commitDeadline());
        List<BigInteger> point = key1;
        String trainer = chain.trainers.get(0).getAddress();
        assertReverts("InvalidDleqProof", BigInteger.ONE, () -> node1.market().complainShare(job, trainer, point, point,
                BigInteger.ONE, BigInteger.ONE));
        assertReverts("NoRoundKey", BigInteger.valueOf(3), () -> chain.client(round1.node(3)).market().complainShare(job, trainer,
                point, point, BigInteger.ONE, BigInteger.ONE));
        completeRound(job, round1, 3, 100_000);

        // round 2 is the last: there is no next round to post a key for
        RoundDriver round2 = certified(job, 73);
        assertReverts("InvalidParameter", "nextKey", () -> round2.revealWithKey(1, key1));
        node1.market().revealPartial(job, Hash.sha3(new byte[] {2}));
    }

    @Test
    void theLeaderPostsTheCommitteesRevealsAndNextKeysInOneTransaction() {
        TestChain.Terms terms = chain.terms();
        BigInteger job = job(terms); // three rounds
        SplittableRandom rng = new SplittableRandom(81);
        RoundDriver round0 = certified(job, 81);
        List<BigInteger> none = List.of(BigInteger.ZERO, BigInteger.ZERO);
        List<List<BigInteger>> keys = List.of(TestChain.words(List.of(NodeRoundKey.generate(rng).publicKey())),
                none, TestChain.words(List.of(NodeRoundKey.generate(rng).publicKey())));
        byte[] cid = Hash.sha3(new byte[] {7});
        String market = chain.addresses.market();
        long chainId = chain.anvil.chainId();
        byte[] good = MarketClient.signReveal(round0.node(2), market, chainId, job, 0, 0, 2, cid, none);
        byte[] otherKey = MarketClient.signReveal(round0.node(2), market, chainId, job, 0, 0, 2, cid, keys.get(0));
        byte[] byNode3 = MarketClient.signReveal(round0.node(3), market, chainId, job, 0, 0, 2, cid, none);
        ChainClient leader = chain.client(round0.node(1));
        List<BigInteger> two = List.of(BigInteger.TWO);
        assertReverts("InvalidSignature", () -> leader.market().revealPartials(job, two, List.of(cid), none, List.of(otherKey)));
        assertReverts("InvalidSignature", () -> leader.market().revealPartials(job, two, List.of(cid), none, List.of(byNode3)));
        assertReverts("BadLength", () -> leader.market().revealPartials(job, two, List.of(cid), List.of(), List.of(good)));
        assertEquals(0, chain.admin.market().attempt(job).revealCount(), "a refused batch reveals nothing");

        round0.revealBatched(chain.trainers.get(2), List.of(1, 2, 3), keys); // anyone may carry the signed batch
        assertEquals(3, chain.admin.market().attempt(job).revealCount());
        var posted = io.zkpfl.contracts.generated.JobMarket.getRoundKeyPostedEvents(
                round0.receipts.get("revealPartials (3 nodes, with their next keys)"));
        assertEquals(List.of(1, 3), posted.stream().map(e -> e.k.intValue()).toList(), "node 2 sent no key");
        assertEquals(List.of(1, 1), posted.stream().map(e -> e.round.intValue()).toList());
        assertEquals(keys.get(2), List.of(posted.get(1).x, posted.get(1).y));
        assertReverts("AlreadyCommitted", () -> chain.client(round0.node(2)).market().revealPartial(job, cid));
        round0.openResult(chain.admin, List.of(1, 2), NONE);
        chain.client(chain.evaluator).market().postRoundResult(job, new byte[32], 100_000,
                List.of(BigInteger.valueOf(500_000), BigInteger.valueOf(500_000)));
        assertReverts("AlreadyCommitted", () -> chain.client(round0.node(3)).market().postRoundKey(job, keys.get(2)));
        chain.client(round0.node(2)).market().postRoundKey(job, TestChain.words(List.of(NodeRoundKey.generate(rng).publicKey())));
    }

    @Test
    void aCommitWhoseLimitWasEstimatedBeforeAnotherCommitStillFits() throws Exception {
        BigInteger job = job(chain.terms());
        playRound(job, new RoundDriver(chain, job, 91), List.of(0, 1), 100_000);
        // round 1: trainer 1's limit is estimated while nobody has committed (the cheap path that sets the sums),
        // trainers 0 and 2 commit first, so trainer 1's pays for reading and decompressing the sums and, as the last
        // joined trainer, for closing the commit window
        Credentials late = chain.trainers.get(1);
        List<BigInteger> points = TestChain.words(List.of(G1.GENERATOR.mul(Fr.of(3)).normalize(),
                G1.GENERATOR.mul(Fr.of(5)).normalize()));
        String data = io.zkpfl.contracts.generated.JobMarket.load(chain.addresses.market(), chain.web3j, late,
                        new org.web3j.tx.gas.DefaultGasProvider())
                .commitRound(job, points, Hash.sha3(new byte[] {9}), BigInteger.valueOf(100)).encodeFunctionCall();
        EstimatingGasProvider gas = new EstimatingGasProvider(chain.web3j, BigInteger.valueOf(25_000_000));
        BigInteger limit = gas.getGasLimit(org.web3j.protocol.core.methods.request.Transaction.createFunctionCallTransaction(
                late.getAddress(), null, null, null, chain.addresses.market(), data));
        RoundDriver others = new RoundDriver(chain, job, 92);
        others.commit(chain.trainers.get(0), 100);
        others.commit(chain.trainers.get(2), 100);
        var processor = new org.web3j.tx.response.PollingTransactionReceiptProcessor(chain.web3j, 50, 2_400);
        var sent = new org.web3j.tx.RawTransactionManager(chain.web3j, late, chain.anvil.chainId(), processor)
                .sendTransaction(gas.getGasPrice(), limit, chain.addresses.market(), data, BigInteger.ZERO);
        var receipt = processor.waitForTransactionReceipt(sent.getTransactionHash());
        assertTrue(receipt.isStatusOK(), "used " + receipt.getGasUsed() + " of a limit of " + limit);
        assertEquals(3, chain.admin.market().attempt(job).committed().size());
    }

    @Test
    void anEarlierRoundsDisputePaysThatRoundsTrainers() {
        byte[] bundle = Hash.sha3("bundle".getBytes(StandardCharsets.UTF_8));
        byte[] contentKey = Hash.sha3("key".getBytes(StandardCharsets.UTF_8));
        TestChain.Terms terms = chain.terms();
        BigInteger bond = terms.fee().divide(BigInteger.TEN);
        BigInteger job = job(terms.withEvaluation(chain.owner.getAddress(),
                JobSignature.validationCommitment(bundle, contentKey), bond));
        // round 0 includes all three trainers, round 1 only the first two: round 1 overwrites round 0's slots
        playRound(job, new RoundDriver(chain, job, 51), List.of(0, 1, 2), 100_000);
        playRound(job, new RoundDriver(chain, job, 52), List.of(0, 1), 950_000);
        assertEquals(JobState.Status.COMPLETED, chain.admin.market().job(job).status());
        chain.client(chain.owner).evaluation().discloseValidation(job, bundle, contentKey, "bafy-test".getBytes(StandardCharsets.US_ASCII));

        List<BigInteger> before = chain.trainers.stream().map(t -> owed(t)).toList();
        chain.client(committeeNode(job, 1)).evaluation().disputeEvaluation(job, 0);
        chain.client(committeeNode(job, 2)).evaluation().disputeEvaluation(job, 0);
        BigInteger third = bond.divide(BigInteger.valueOf(3));
        assertEquals(before.get(0).add(bond.subtract(third.multiply(BigInteger.TWO))), owed(chain.trainers.get(0)));
        assertEquals(before.get(1).add(third), owed(chain.trainers.get(1)));
        assertEquals(before.get(2).add(third), owed(chain.trainers.get(2)), "round 0's third trainer is paid its share");
        assertReverts("BondSettled", () -> chain.client(committeeNode(job, 3)).evaluation().disputeEvaluation(job, 1));
    }

    @Test
    void aRoundThatWasNeverPaidCannotBeDisputed() {
        byte[] bundle = Hash.sha3("bundle 2".getBytes(StandardCharsets.UTF_8));
        byte[] contentKey = Hash.sha3("key 2".getBytes(StandardCharsets.UTF_8));
        TestChain.Terms terms = chain.terms();
        BigInteger job = job(terms.withEvaluation(chain.owner.getAddress(),
                JobSignature.validationCommitment(bundle, contentKey), terms.fee().divide(BigInteger.TEN)));
        playRound(job, new RoundDriver(chain, job, 61), List.of(0, 1), 950_000);
        chain.client(chain.owner).evaluation().discloseValidation(job, bundle, contentKey, "bafy-test".getBytes(StandardCharsets.US_ASCII));
        assertReverts("RoundNotPaid", BigInteger.ONE, () -> chain.client(committeeNode(job, 1)).evaluation().disputeEvaluation(job, 1));
        assertReverts("RoundNotPaid", BigInteger.valueOf(4), () -> chain.client(committeeNode(job, 1)).evaluation().disputeEvaluation(job, 4));
    }

    /** Trainers 0 and 1 commit and every node opens: the attempt is certified, waiting for its reveals. */
    private static RoundDriver certified(BigInteger job, long seed) {
        RoundDriver round = new RoundDriver(chain, job, seed);
        round.commit(chain.trainers.get(0), 100);
        round.commit(chain.trainers.get(1), 100);
        chain.passTime(chain.admin.market().attempt(job).complaintDeadline());
        for (int k = 1; k <= 3; k++) {
            round.open(k, NONE);
        }
        return round;
    }

    /** The given trainers commit, every node opens and reveals, C_A is opened and the owner posts the result. */
    private static void playRound(BigInteger job, RoundDriver round, List<Integer> trainers, long accuracyPpm) {
        for (int i : trainers) {
            round.commit(chain.trainers.get(i), 100);
        }
        completeRound(job, round, trainers.size(), accuracyPpm);
    }

    /** After the commits of {@code committed} trainers: every node opens and reveals, C_A, the evaluator's result. */
    private static void completeRound(BigInteger job, RoundDriver round, int committed, long accuracyPpm) {
        chain.passTime(chain.admin.market().attempt(job).complaintDeadline());
        for (int k = 1; k <= 3; k++) {
            round.open(k, NONE);
        }
        for (int k = 1; k <= 3; k++) {
            round.reveal(k);
        }
        round.openResult(chain.admin, List.of(1, 2), NONE);
        BigInteger share = BigInteger.valueOf(1_000_000 / committed);
        List<BigInteger> shares = new java.util.ArrayList<>(java.util.Collections.nCopies(committed, share));
        shares.set(0, share.add(BigInteger.valueOf(1_000_000 % committed)));
        String evaluator = chain.admin.market().jobParams(job).evaluator;
        Credentials by = evaluator.equalsIgnoreCase(chain.owner.getAddress()) ? chain.owner : chain.evaluator;
        chain.client(by).market().postRoundResult(job, new byte[32], accuracyPpm, shares);
    }

    private static BigInteger owed(Credentials who) {
        return chain.admin.market().claimable(who.getAddress(), chain.addresses.token());
    }

    private static Credentials committeeNode(BigInteger job, int k) {
        String address = chain.admin.market().job(job).committee().get(k - 1);
        return chain.nodes.stream().filter(n -> n.getAddress().equalsIgnoreCase(address)).findFirst().orElseThrow();
    }
}
