package io.zkpfl.contracts;

import static io.zkpfl.contracts.PlatformConfig.tokens;
import static io.zkpfl.contracts.TestChain.assertReverts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * The evaluation terms on Anvil (docs/contracts.md, "Accountable evaluation"; docs/adr/0100-0102): the creation fee goes to the
 * treasury and never comes back, the owner's evaluator bond is escrowed beside the fee and is slashed on an upheld
 * committee dispute or on a missing disclosure, or released after the dispute window, each once; per-group
 * accuracies are checked and emitted. Rounds are played with real commitments and openings ({@link RoundDriver}).
 */
class EvaluationIT {

    private static final long DISCLOSURE = 600;
    private static final long DISPUTE = 900;
    private static final PlatformConfig.Economics ECONOMICS =
            new PlatformConfig.Economics(10_000, 100_000, DISCLOSURE, DISPUTE);
    private static final byte[] BUNDLE = Hash.sha3("validation bundle".getBytes(StandardCharsets.UTF_8));
    private static final byte[] KEY = Hash.sha3("content key".getBytes(StandardCharsets.UTF_8));
    private static final byte[] CID = "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi".getBytes(StandardCharsets.US_ASCII);

    private static TestChain chain;
    private static String token;
    private static final List<BigInteger> jobs = new ArrayList<>();

    @BeforeAll
    static void start() {
        chain = TestChain.start(4, 4);
        token = chain.addresses.token();
        chain.admin.evaluation().setEconomics(chain.treasury.getAddress(), ECONOMICS);
    }

    @AfterAll
    static void stop() {
        chain.close();
    }

    private static BigInteger job(TestChain.Terms terms, int trainers) {
        BigInteger job = chain.createJob(terms);
        jobs.add(job);
        for (int i = 0; i < trainers; i++) {
            chain.client(chain.trainers.get(i)).market().join(job);
        }
        return job;
    }

    /** Owner as its own evaluator with the default bond (10 % of the fee), committed to BUNDLE/KEY or not. */
    private static TestChain.Terms selfEvaluated(boolean committed) {
        TestChain.Terms t = chain.terms();
        BigInteger bond = t.fee().divide(BigInteger.TEN);
        return t.withEvaluation(chain.owner.getAddress(),
                committed ? JobSignature.validationCommitment(BUNDLE, KEY) : new byte[32], bond);
    }

    /** Trainers 0 and 1 commit, every node opens and reveals, C_A is opened: the round waits for its result. */
    private static void playToResult(BigInteger job, long seed) {
        RoundDriver round = new RoundDriver(chain, job, seed);
        round.commit(chain.trainers.get(0), 300);
        round.commit(chain.trainers.get(1), 100);
        chain.passTime(chain.admin.market().attempt(job).complaintDeadline());
        for (int k = 1; k <= 3; k++) {
            round.open(k, List.of());
        }
        for (int k = 1; k <= 3; k++) {
            round.reveal(k);
        }
        round.openResult(chain.admin, List.of(1, 2), List.of());
    }

    /** The owner (its own evaluator) posts a result at the target accuracy: the job completes after round 0. */
    private static void completeAsOwner(BigInteger job) {
        chain.client(chain.owner).market().postRoundResult(job, new byte[32], 950_000,
                List.of(BigInteger.valueOf(500_000), BigInteger.valueOf(500_000)));
        assertEquals(JobState.Status.COMPLETED, chain.admin.market().job(job).status());
    }

    private static Credentials committeeNode(BigInteger job, int k) {
        String address = chain.admin.market().job(job).committee().get(k - 1);
        return chain.nodes.stream().filter(n -> n.getAddress().equalsIgnoreCase(address)).findFirst().orElseThrow();
    }

    private static Credentials outsider(BigInteger job) {
        List<String> committee = chain.admin.market().job(job).committee();
        return chain.nodes.stream().filter(n -> committee.stream().noneMatch(n.getAddress()::equalsIgnoreCase))
                .findFirst().orElseThrow();
    }

    private static BigInteger owed(Credentials who) {
        return chain.admin.market().claimable(who.getAddress(), token);
    }

    /**
     * Every job: escrowed = paid + refunded + remaining, the creation fee and the bond as escrowed; the market holds
     * the remaining escrow and the held bonds of every job plus everything owed.
     */
    private static void assertConserved() {
        BigInteger held = BigInteger.ZERO;
        for (BigInteger job : jobs) {
            JobState s = chain.admin.market().job(job);
            assertEquals(s.escrowed(), s.paid().add(s.refunded()).add(s.remaining()), "job " + job);
            held = held.add(s.remaining()).add(chain.admin.evaluation().evaluation(job).bondHeld());
        }
        assertEquals(chain.admin.token().balanceOf(token, chain.addresses.market()), held.add(chain.admin.market().totalOwed(token)),
                "market balance = remaining escrow + held bonds + owed");
    }

    @Test
    void theCreationFeeGoesToTheTreasuryAndIsNeverRefunded() {
        assertEquals(ECONOMICS, chain.admin.evaluation().economics());
        TestChain.Terms terms = chain.terms();
        BigInteger ownerBefore = chain.admin.token().balanceOf(token, chain.owner.getAddress());
        BigInteger treasuryBefore = owed(chain.treasury);
        BigInteger refundBefore = owed(chain.owner);
        long from = chain.blockNumber();
        BigInteger job = job(terms, 0);
        BigInteger fee = terms.fee().divide(BigInteger.valueOf(100)); // 1 %
        assertEquals(ownerBefore.subtract(terms.fee()), chain.admin.token().balanceOf(token, chain.owner.getAddress()),
                "the owner paid the fee, no bond");
        assertEquals(terms.fee().subtract(fee), chain.admin.market().job(job).escrowed(), "the job escrows the fee less 1 %");
        assertEquals(fee, chain.admin.evaluation().evaluation(job).creationFee());
        assertEquals(BigInteger.ZERO, chain.admin.evaluation().evaluation(job).bond());
        assertEquals(treasuryBefore.add(fee), owed(chain.treasury));
        assertTrue(chain.admin.events().events(from, chain.blockNumber()).stream().anyMatch(e ->
                e instanceof MarketEvent.CreationFeeCharged c && c.amount().equals(fee)
                        && c.treasury().equalsIgnoreCase(chain.treasury.getAddress())));
        assertConserved();

        chain.client(chain.owner).market().stopJob(job);
        assertEquals(refundBefore.add(terms.fee().subtract(fee)), owed(chain.owner),
                "stopping refunds the escrow, not the creation fee");
        assertEquals(treasuryBefore.add(fee), owed(chain.treasury), "the treasury keeps the creation fee");
        assertConserved();
        // the treasury claims it like any reward
        BigInteger before = chain.admin.token().balanceOf(token, chain.treasury.getAddress());
        BigInteger claimable = owed(chain.treasury);
        chain.client(chain.treasury).market().claim(token);
        assertEquals(before.add(claimable), chain.admin.token().balanceOf(token, chain.treasury.getAddress()));
        assertConserved();
    }

    @Test
    void termsAndEconomicsAreChecked() {
        TestChain.Terms t = chain.terms();
        BigInteger min = t.fee().divide(BigInteger.TEN);
        assertReverts("BondBelowMinimum", BigInteger.ZERO, () -> chain.createJob(
                t.withEvaluation(chain.owner.getAddress(), new byte[32], BigInteger.ZERO)));
        assertReverts("BondBelowMinimum", min.subtract(BigInteger.ONE), () -> chain.createJob(chain.terms()
                .withEvaluation(chain.evaluator.getAddress(), JobSignature.validationCommitment(BUNDLE, KEY),
                        min.subtract(BigInteger.ONE))));
        assertReverts("InvalidParameter", "groups", () -> chain.createJob(chain.terms().withGroups(65)));
        assertReverts("InvalidParameter", "evaluatorVersion",
                () -> chain.createJob(chain.terms().withEvaluatorVersion(new byte[32])));
        // a platform evaluator on the public default set needs no bond; 64 groups is the most
        BigInteger job = job(chain.terms().withGroups(64), 0);
        assertEquals(64, chain.admin.market().jobParams(job).groups.intValue());
        assertEquals(Numeric.toHexString(JobSignature.evaluatorVersion("zkpfl-reward-engine/1")),
                Numeric.toHexString(chain.admin.market().jobParams(job).evaluatorVersion));

        ChainClient stranger = chain.client(chain.owner);
        var e = org.junit.jupiter.api.Assertions.assertThrows(ChainRevertException.class,
                () -> stranger.evaluation().setEconomics(chain.owner.getAddress(), ECONOMICS));
        assertEquals("AccessControlUnauthorizedAccount", e.reason().name());
        // the contract's own bounds, past the Java record's checks
        var market = io.zkpfl.contracts.generated.JobMarket.load(chain.addresses.market(), chain.web3j,
                new org.web3j.tx.RawTransactionManager(chain.web3j, chain.adminKey, chain.anvil.chainId()),
                new EstimatingGasProvider(chain.web3j, BigInteger.valueOf(5_000_000)));
        BigInteger day = BigInteger.valueOf(86_400);
        assertReverts("InvalidParameter", "creationFeePpm", () -> sendQuietly(market.setEconomics(
                chain.treasury.getAddress(), BigInteger.valueOf(100_001), BigInteger.ZERO, day, day)));
        assertReverts("InvalidParameter", "minOwnerBondPpm", () -> sendQuietly(market.setEconomics(
                chain.treasury.getAddress(), BigInteger.ZERO, BigInteger.valueOf(1_000_001), day, day)));
        assertReverts("InvalidParameter", "window", () -> sendQuietly(market.setEconomics(
                chain.treasury.getAddress(), BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO, day)));
        assertReverts("InvalidParameter", "window", () -> sendQuietly(market.setEconomics(
                chain.treasury.getAddress(), BigInteger.ZERO, BigInteger.ZERO, day, day.multiply(BigInteger.valueOf(31)))));
        assertReverts("InvalidParameter", "treasury", () -> chain.admin.evaluation().setEconomics(
                "0x0000000000000000000000000000000000000000", ECONOMICS));
        assertEquals(ECONOMICS, chain.admin.evaluation().economics(), "refused settings change nothing");
    }

    private static void sendQuietly(org.web3j.protocol.core.RemoteFunctionCall<?> call) {
        try {
            call.send();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void anUpheldDisputeSlashesTheBondToTheRoundsTrainers() {
        BigInteger job = job(selfEvaluated(true), 2);
        BigInteger bond = chain.terms().fee().divide(BigInteger.TEN);
        assertEquals(bond, chain.admin.evaluation().evaluation(job).bond());
        assertConserved();
        assertReverts("JobStillActive", () -> chain.client(chain.owner).evaluation().discloseValidation(job, BUNDLE, KEY, CID));
        assertReverts("JobStillActive", () -> chain.client(committeeNode(job, 1)).evaluation().disputeEvaluation(job, 0));
        playToResult(job, 11);
        completeAsOwner(job);
        EvaluationClient.Evaluation ev = chain.admin.evaluation().evaluation(job);
        assertEquals(chain.now() + DISCLOSURE, ev.disclosureDeadline(), "the disclosure window runs from the end");
        assertEquals(ev.disclosureDeadline() + DISPUTE, ev.disputeDeadline());

        Credentials node1 = committeeNode(job, 1);
        assertReverts("NotDisclosed", () -> chain.client(node1).evaluation().disputeEvaluation(job, 0));
        assertReverts("ValidationMismatch", () -> chain.client(chain.owner).evaluation().discloseValidation(job, BUNDLE, BUNDLE, CID));
        assertReverts("BadLength", () -> chain.client(chain.owner).evaluation().discloseValidation(job, BUNDLE, KEY, new byte[0]));
        long from = chain.blockNumber();
        chain.client(chain.owner).evaluation().discloseValidation(job, BUNDLE, KEY, CID);
        assertTrue(chain.admin.evaluation().evaluation(job).disclosed());
        assertTrue(chain.admin.events().events(from, chain.blockNumber()).stream().anyMatch(e ->
                e instanceof MarketEvent.ValidationDisclosed d && d.contentKey().equals(Numeric.toHexString(KEY))
                        && d.bundleHash().equals(Numeric.toHexString(BUNDLE))));
        assertReverts("AlreadyDisclosed", () -> chain.client(chain.owner).evaluation().discloseValidation(job, BUNDLE, KEY, CID));

        assertReverts("NotCommitteeMember", () -> chain.client(outsider(job)).evaluation().disputeEvaluation(job, 0));
        assertReverts("RoundNotPaid", BigInteger.ONE, () -> chain.client(node1).evaluation().disputeEvaluation(job, 1));
        chain.client(node1).evaluation().disputeEvaluation(job, 0);
        assertReverts("AlreadyDisputed", () -> chain.client(node1).evaluation().disputeEvaluation(job, 0));
        assertEquals(EvaluationClient.BondState.HELD, chain.admin.evaluation().evaluation(job).bondState(), "one vote is not t = 2");
        List<BigInteger> before = List.of(owed(chain.trainers.get(0)), owed(chain.trainers.get(1)));
        from = chain.blockNumber();
        chain.client(committeeNode(job, 3)).evaluation().disputeEvaluation(job, 0);
        assertEquals(EvaluationClient.BondState.SLASHED, chain.admin.evaluation().evaluation(job).bondState(), "t votes slash the bond");
        BigInteger half = bond.divide(BigInteger.TWO);
        assertEquals(before.get(0).add(bond.subtract(half)), owed(chain.trainers.get(0)));
        assertEquals(before.get(1).add(half), owed(chain.trainers.get(1)));
        var events = chain.admin.events().events(from, chain.blockNumber());
        assertTrue(events.stream().anyMatch(e -> e instanceof MarketEvent.EvaluationDisputed d && d.round() == 0 && d.votes() == 2));
        assertTrue(events.stream().anyMatch(e -> e instanceof MarketEvent.BondSlashed s && s.reason().equals("disputed")
                && s.amount().equals(bond) && s.recipients().size() == 2));
        assertConserved();

        // no second payout by any path
        assertReverts("BondSettled", () -> chain.client(committeeNode(job, 2)).evaluation().disputeEvaluation(job, 0));
        chain.passTime(chain.admin.evaluation().evaluation(job).disputeDeadline());
        assertReverts("BondSettled", () -> chain.admin.evaluation().releaseBond(job));
        assertReverts("BondSettled", () -> chain.admin.evaluation().slashUndisclosed(job));
        assertConserved();
    }

    @Test
    void silenceSlashesTheBondToTheJobsTrainers() {
        BigInteger job = job(selfEvaluated(true), 3);
        BigInteger bond = chain.admin.evaluation().evaluation(job).bond();
        chain.client(chain.owner).market().stopJob(job);
        assertReverts("WindowNotOpen", () -> chain.admin.evaluation().slashUndisclosed(job));
        assertReverts("NotDisclosed", () -> chain.admin.evaluation().releaseBond(job));
        chain.passTime(chain.admin.evaluation().evaluation(job).disclosureDeadline());
        assertReverts("DeadlinePassed", () -> chain.client(chain.owner).evaluation().discloseValidation(job, BUNDLE, KEY, CID));
        assertReverts("NotDisclosed", () -> chain.client(committeeNode(job, 1)).evaluation().disputeEvaluation(job, 0));
        List<BigInteger> before = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            before.add(owed(chain.trainers.get(i)));
        }
        BigInteger third = bond.divide(BigInteger.valueOf(3));
        chain.client(chain.trainers.get(3)).evaluation().slashUndisclosed(job);
        assertEquals(before.get(0).add(bond.subtract(third.multiply(BigInteger.TWO))), owed(chain.trainers.get(0)));
        assertEquals(before.get(1).add(third), owed(chain.trainers.get(1)));
        assertEquals(before.get(2).add(third), owed(chain.trainers.get(2)));
        assertConserved();
        assertReverts("BondSettled", () -> chain.admin.evaluation().slashUndisclosed(job));
        chain.passTime(chain.admin.evaluation().evaluation(job).disputeDeadline());
        assertReverts("BondSettled", () -> chain.admin.evaluation().releaseBond(job));
    }

    @Test
    void anUndisputedBondReturnsToTheOwnerOnce() {
        BigInteger job = job(selfEvaluated(false), 2);
        BigInteger bond = chain.admin.evaluation().evaluation(job).bond();
        playToResult(job, 12);
        completeAsOwner(job);
        assertReverts("NothingToDisclose", () -> chain.client(chain.owner).evaluation().discloseValidation(job, BUNDLE, KEY, CID));
        assertReverts("NothingToDisclose", () -> chain.admin.evaluation().slashUndisclosed(job));
        assertReverts("WindowNotOpen", () -> chain.admin.evaluation().releaseBond(job));
        // one node's vote (the public default set needs no disclosure) does not reach t
        chain.client(committeeNode(job, 2)).evaluation().disputeEvaluation(job, 0);
        chain.passTime(chain.admin.evaluation().evaluation(job).disputeDeadline());
        assertReverts("DeadlinePassed", () -> chain.client(committeeNode(job, 1)).evaluation().disputeEvaluation(job, 0));
        BigInteger before = owed(chain.owner);
        long from = chain.blockNumber();
        chain.client(chain.trainers.get(0)).evaluation().releaseBond(job);
        assertEquals(before.add(bond), owed(chain.owner));
        assertEquals(EvaluationClient.BondState.RELEASED, chain.admin.evaluation().evaluation(job).bondState());
        assertTrue(chain.admin.events().events(from, chain.blockNumber()).stream().anyMatch(e ->
                e instanceof MarketEvent.BondReleased r && r.amount().equals(bond)));
        assertReverts("BondSettled", () -> chain.admin.evaluation().releaseBond(job));
        assertConserved();

        // a job without bond has nothing to dispute or release
        BigInteger plain = job(chain.terms(), 0);
        chain.client(chain.owner).market().stopJob(plain);
        assertReverts("NoBond", () -> chain.admin.evaluation().releaseBond(plain));
        assertReverts("JobNotEnded", () -> chain.admin.evaluation().releaseBond(BigInteger.valueOf(999)));
    }

    @Test
    void groupAccuraciesAreCheckedAndEmitted() {
        BigInteger job = job(chain.terms().withGroups(3), 2);
        playToResult(job, 13);
        ChainClient evaluator = chain.client(chain.evaluator);
        List<BigInteger> shares = List.of(BigInteger.valueOf(600_000), BigInteger.valueOf(400_000));
        assertReverts("WrongGroupCount", BigInteger.TWO, () -> evaluator.market().postRoundResult(job, new byte[32], 500_000,
                shares, List.of(BigInteger.ONE, BigInteger.TWO)));
        assertReverts("WrongGroupCount", BigInteger.ZERO, () -> evaluator.market().postRoundResult(job, new byte[32], 500_000,
                shares));
        assertReverts("GroupAccuracyOutOfRange", BigInteger.TWO, () -> evaluator.market().postRoundResult(job, new byte[32],
                500_000, shares, List.of(BigInteger.ONE, BigInteger.valueOf(1_000_000), BigInteger.valueOf(1_000_001))));
        long from = chain.blockNumber();
        evaluator.market().postRoundResult(job, new byte[32], 500_000, shares,
                List.of(BigInteger.valueOf(420_000), BigInteger.ZERO, BigInteger.valueOf(1_000_000)));
        assertTrue(chain.admin.events().events(from, chain.blockNumber()).stream().anyMatch(e ->
                e instanceof MarketEvent.GroupAccuracies g && g.round() == 0
                        && g.ppm().equals(List.of(420_000, 0, 1_000_000))));
        assertEquals(1, chain.admin.market().job(job).round(), "the result was taken");

        // a job without groups takes none and emits no GroupAccuracies
        BigInteger plain = job(chain.terms(), 2);
        playToResult(plain, 14);
        assertReverts("WrongGroupCount", BigInteger.ONE, () -> evaluator.market().postRoundResult(plain, new byte[32], 500_000,
                shares, List.of(BigInteger.ONE)));
        from = chain.blockNumber();
        evaluator.market().postRoundResult(plain, new byte[32], 500_000, shares);
        assertFalse(chain.admin.events().events(from, chain.blockNumber()).stream()
                .anyMatch(e -> e instanceof MarketEvent.GroupAccuracies));
        assertConserved();
    }
}
