package io.zkpfl.contracts;

import static io.zkpfl.contracts.TestChain.assertReverts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zkpfl.contracts.generated.JobMarket;
import io.zkpfl.protocol.envelope.EnvelopeTag;
import io.zkpfl.protocol.envelope.NodeRoundKey;
import io.zkpfl.protocol.envelope.ShareEnvelope;
import io.zkpfl.protocol.vss.Dealing;
import io.zkpfl.protocol.vss.ReceivedShare;
import io.zkpfl.protocol.vss.Share;
import io.zkpfl.protocol.vss.ShareCheck;
import io.zkpfl.zk.bn254.Fp;
import io.zkpfl.zk.bn254.Fr;
import io.zkpfl.zk.bn254.G1;
import io.zkpfl.zk.kzg.Dleq;
import io.zkpfl.zk.kzg.DleqProof;
import io.zkpfl.zk.solidity.KzgSolidityVerifier;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.web3j.abi.TypeEncoder;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * The v2 round (docs/protocol.md, "Round r of job J") on Anvil, driven by the protocol library: commitments
 * summed on chain, openings of C_k checked with the exported KZG verifier, certification at t openings, reveals,
 * the opening of C_A from the reconstructed A, pay and the next round; and every fault with its revert reason
 * and the escrow conserved after it. A fresh chain per test, so that slashed nodes do not leak between tests.
 */
class RoundV2IT {

    private static final List<String> NONE = List.of();
    private TestChain chain;

    @BeforeEach
    void start() {
        chain = TestChain.start(4, 9);
    }

    @AfterEach
    void stop() {
        chain.close();
    }

    /** escrowed = paid + refunded + remaining, and the market holds exactly what it owes plus what it escrows. */
    private void assertConserved(BigInteger job) {
        chain.assertEscrowConserved(job);
        JobState s = chain.admin.market().job(job);
        String token = chain.addresses.token();
        BigInteger credited = BigInteger.ZERO;
        List<Credentials> everyone = new ArrayList<>(chain.nodes);
        everyone.addAll(chain.trainers);
        for (Credentials c : everyone) {
            credited = credited.add(chain.admin.market().claimable(c.getAddress(), token));
        }
        assertEquals(s.paid(), credited, "what the job paid is what its participants can claim");
    }

    private BigInteger stake(Credentials c) {
        return chain.admin.staking().account(c.getAddress()).stake;
    }

    private static byte[] modelAfter(String model, BigInteger x, BigInteger y, long sampleSum) {
        String enc = TypeEncoder.encode(new Bytes32(Numeric.hexStringToByteArray(model))) + TypeEncoder.encode(new Uint256(x))
                + TypeEncoder.encode(new Uint256(y)) + TypeEncoder.encode(new Uint256(sampleSum));
        return Hash.sha3(Numeric.hexStringToByteArray(enc));
    }

    @Test
    void aWholeRoundCertifiesPaysAndOpensTheNextFromItsResult() {
        BigInteger job = chain.createJob(chain.terms(), 4);
        RoundDriver round = new RoundDriver(chain, job, 1);
        long[] n = {100, 250, 400, 250};
        for (int i = 0; i < 4; i++) {
            round.commit(chain.trainers.get(i), n[i]);
        }
        AttemptState a = chain.admin.market().attempt(job);
        assertEquals(AttemptState.Phase.COMMITTING, a.phase());
        assertEquals(List.of(KzgSolidityVerifier.commitmentWords(round.sums(NONE).sums())), a.sums(),
                "running sums P_l on chain are the library's sums of the commitments");
        assertTrue(a.commitDeadline() <= chain.now(), "the last joined trainer's commit closes the commit window");
        assertEquals(a.commitDeadline() + 50, a.complaintDeadline(), "the complaint window keeps its length");
        assertReverts("WindowNotOpen", () -> round.open(1, NONE));
        chain.passTime(a.complaintDeadline());

        round.open(1, NONE);
        assertEquals(AttemptState.Phase.COMMITTING, chain.admin.market().attempt(job).phase(), "one opening is not t");
        round.open(3, NONE);
        assertEquals(AttemptState.Phase.CERTIFIED, chain.admin.market().attempt(job).phase());
        for (int k = 1; k <= 3; k++) {
            round.reveal(k);
        }
        RoundDriver.ResultOpening result = round.resultOpening(List.of(2, 3), NONE);
        assertReverts("WindowNotOpen", () -> chain.admin.market().openResult(job, result.aggregateHash(), result.words()));
        round.open(2, NONE);
        assertEquals(List.of(1, 2, 3), chain.admin.market().attempt(job).openedNodes());
        assertEquals(1000, chain.admin.market().attempt(job).sampleSum());
        assertTrue(chain.now() <= chain.admin.market().attempt(job).openingDeadline(),
                "once every node has opened, the result needs no wait for D3");

        String modelBefore = chain.admin.market().job(job).model();
        BigInteger escrow = chain.admin.market().remaining(job);
        long from = chain.blockNumber();
        // the point is bound to the aggregate's hash: the opening under another hash, or at another point, reverts
        byte[] otherHash = result.aggregateHash().clone();
        otherHash[0] ^= 1;
        assertReverts("WrongOpeningPoint", () -> chain.admin.market().openResult(job, otherHash, result.words()));
        List<BigInteger> otherPoint = new ArrayList<>(result.words());
        otherPoint.set(0, otherPoint.get(0).add(BigInteger.ONE));
        assertReverts("WrongOpeningPoint", () -> chain.admin.market().openResult(job, result.aggregateHash(), otherPoint));
        List<BigInteger> otherY = new ArrayList<>(result.words());
        otherY.set(1, otherY.get(1).add(BigInteger.ONE));
        assertReverts("InvalidOpening", () -> chain.admin.market().openResult(job, result.aggregateHash(), otherY));
        TransactionReceipt opened = chain.client(chain.trainers.get(8)).market().openResult(job, result.aggregateHash(),
                result.words());
        var resultOpened = JobMarket.getResultOpenedEvents(opened);
        assertEquals(1, resultOpened.size());
        assertEquals(Numeric.toHexString(result.aggregateHash()), Numeric.toHexString(resultOpened.getFirst().aggregateHash));
        assertEquals(result.words().get(0), resultOpened.getFirst().z, "the event's z is the opened point");
        assertEquals(result.words().get(1), resultOpened.getFirst().y, "the event's y is the opened value");
        assertEquals(0, resultOpened.getFirst().attempt.intValue());
        G1 ca = round.sums(NONE).aggregate();
        BigInteger[] caWords = KzgSolidityVerifier.commitmentWords(List.of(ca));
        assertTrue(chain.admin.events().events(from, chain.blockNumber()).stream().anyMatch(e -> e instanceof MarketEvent.RoundAggregated r
                && r.resultX().equals(caWords[0]) && r.resultY().equals(caWords[1]) && r.sampleSum() == 1000));
        // pool = remaining / rounds left (3); the nodes that opened share 20 % of it equally
        BigInteger pool = escrow.divide(BigInteger.valueOf(3));
        BigInteger nodePay = pool.multiply(BigInteger.valueOf(200_000)).divide(BigInteger.valueOf(1_000_000))
                .divide(BigInteger.valueOf(3));
        for (int k = 1; k <= 3; k++) {
            assertEquals(nodePay, chain.admin.market().claimable(round.node(k).getAddress(), chain.addresses.token()));
        }
        assertConserved(job);

        // the evaluator pays the trainers: alpha = 0.5 by declared n_i, 0.5 by accuracy share
        List<BigInteger> shares = List.of(BigInteger.valueOf(400_000), BigInteger.valueOf(100_000),
                BigInteger.valueOf(250_000), BigInteger.valueOf(250_000));
        chain.client(chain.evaluator).market().postRoundResult(job, new byte[32], 500_000, shares);
        BigInteger trainerPool = pool.subtract(pool.multiply(BigInteger.valueOf(200_000)).divide(BigInteger.valueOf(1_000_000)));
        BigInteger million = BigInteger.valueOf(1_000_000);
        for (int i = 0; i < 4; i++) {
            BigInteger weight = BigInteger.valueOf(500_000L * n[i] * 1_000_000 / 1000)
                    .add(BigInteger.valueOf(500_000).multiply(shares.get(i)));
            assertEquals(trainerPool.multiply(weight).divide(million.multiply(million)),
                    chain.admin.market().claimable(chain.trainers.get(i).getAddress(), chain.addresses.token()), "trainer " + i);
        }
        assertConserved(job);

        // the next round opens from keccak(previous model, C_A, sum n_i)
        JobState s = chain.admin.market().job(job);
        assertEquals(1, s.round());
        assertEquals(Numeric.toHexString(modelAfter(modelBefore, caWords[0], caWords[1], 1000)), s.model());
        assertEquals(AttemptState.Phase.COMMITTING, chain.admin.market().attempt(job).phase());
        assertEquals(List.of(BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO), chain.admin.market().attempt(job).sums());

        // round 1: the leader batches all three nodes' signed openings into one transaction
        RoundDriver next = new RoundDriver(chain, job, 2);
        for (int i = 0; i < 3; i++) {
            next.commit(chain.trainers.get(i), 300);
        }
        chain.passTime(chain.admin.market().attempt(job).complaintDeadline());
        next.openBatched(next.node(1), List.of(1, 2, 3), NONE);
        assertEquals(AttemptState.Phase.CERTIFIED, chain.admin.market().attempt(job).phase());
        assertEquals(3, chain.admin.market().attempt(job).openedCount());
    }

    @Test
    void openingsAreBoundToTheirNodeTheirPointAndTheirAttempt() {
        BigInteger job = chain.createJob(chain.terms(), 2);
        RoundDriver round = new RoundDriver(chain, job, 3);
        round.commitAndCloseComplaints(100, 100);
        List<BigInteger> o1 = round.opening(1, NONE);
        List<BigInteger> o2 = round.opening(2, NONE);
        ChainClient node1 = chain.client(round.node(1));
        ChainClient node2 = chain.client(round.node(2));
        BigInteger z2 = chain.admin.market().openingPoint(job, 2).z();
        // node 1's opening posted from node 2's address is checked against C_2 and z_2
        assertReverts("WrongOpeningPoint", BigInteger.TWO, () -> node2.market().postOpening(job, o1));
        // with z_2 swapped in, it is not an opening of C_2
        List<BigInteger> forged = new ArrayList<>(o1);
        forged.set(0, z2);
        assertReverts("InvalidOpening", BigInteger.TWO, () -> node2.market().postOpening(job, forged));
        List<BigInteger> wrongValue = new ArrayList<>(o1);
        wrongValue.set(1, wrongValue.get(1).add(BigInteger.ONE));
        assertReverts("InvalidOpening", BigInteger.ONE, () -> node1.market().postOpening(job, wrongValue));
        List<BigInteger> offCurveProof = new ArrayList<>(o1);
        offCurveProof.set(4, offCurveProof.get(4).add(BigInteger.ONE));
        assertReverts("InvalidOpening", BigInteger.ONE, () -> node1.market().postOpening(job, offCurveProof));
        Credentials outsider = chain.nodes.stream().filter(c -> round.committee.stream()
                .noneMatch(m -> m.getAddress().equals(c.getAddress()))).findFirst().orElseThrow();
        assertReverts("NotCommitteeMember", () -> chain.client(outsider).market().postOpening(job, o1));

        node1.market().postOpening(job, o1);
        assertReverts("AlreadyOpened", BigInteger.ONE, () -> node1.market().postOpening(job, o1));
        // a batch signed by the wrong node is refused as a whole
        byte[] badSig = MarketClient.signOpening(round.node(3), chain.addresses.market(), chain.anvil.chainId(), job, 0, 0, 2, o2);
        assertReverts("InvalidSignature", () -> chain.admin.market().postOpenings(job, List.of(BigInteger.TWO), o2, List.of(badSig)));
        byte[] sig = MarketClient.signOpening(round.node(2), chain.addresses.market(), chain.anvil.chainId(), job, 0, 0, 2, o2);
        assertReverts("AlreadyOpened", BigInteger.ONE, () -> chain.admin.market().postOpenings(job,
                List.of(BigInteger.ONE), o1, List.of(MarketClient.signOpening(round.node(1), chain.addresses.market(),
                        chain.anvil.chainId(), job, 0, 0, 1, o1))));
        chain.admin.market().postOpenings(job, List.of(BigInteger.TWO), o2, List.of(sig));
        assertEquals(AttemptState.Phase.CERTIFIED, chain.admin.market().attempt(job).phase());
        chain.passTime(chain.admin.market().attempt(job).openingDeadline());
        assertReverts("DeadlinePassed", () -> round.open(3, NONE));
        assertConserved(job);
    }

    @Test
    void aNodeThatDoesNotOpenIsSlashedAndUnpaid() {
        BigInteger job = chain.createJob(chain.terms(), 3);
        RoundDriver round = new RoundDriver(chain, job, 4);
        round.commitAndCloseComplaints(100, 100, 100);
        round.open(1, NONE);
        round.open(2, NONE);
        round.reveal(1);
        round.reveal(2);
        chain.passTime(chain.admin.market().attempt(job).openingDeadline());
        BigInteger lazyStake = stake(round.node(3));
        BigInteger treasury = chain.admin.token().balanceOf(chain.addresses.token(), chain.treasury.getAddress());
        long from = chain.blockNumber();
        round.openResult(chain.admin, List.of(1, 2), NONE);
        BigInteger slashed = lazyStake.divide(BigInteger.TEN);
        assertEquals(lazyStake.subtract(slashed), stake(round.node(3)));
        assertEquals(treasury.add(slashed), chain.admin.token().balanceOf(chain.addresses.token(), chain.treasury.getAddress()));
        assertEquals(BigInteger.ZERO, chain.admin.market().claimable(round.node(3).getAddress(), chain.addresses.token()));
        assertTrue(chain.admin.market().claimable(round.node(1).getAddress(), chain.addresses.token()).signum() > 0);
        assertTrue(chain.admin.events().events(from, chain.blockNumber()).stream().anyMatch(e -> e instanceof MarketEvent.FaultProven f
                && f.offender().equalsIgnoreCase(round.node(3).getAddress()) && f.fault().equals("missed-opening")));
        assertConserved(job);
    }

    @Test
    void fewerThanTOpeningsByD3RestartsTheAttemptAndSlashesTheSilentNodes() {
        BigInteger job = chain.createJob(chain.terms(), 2);
        RoundDriver round = new RoundDriver(chain, job, 5);
        round.commitAndCloseComplaints(100, 100);
        round.open(2, NONE);
        assertReverts("NothingToAdvance", () -> chain.admin.market().advance(job));
        BigInteger s1 = stake(round.node(1));
        chain.passTime(chain.admin.market().attempt(job).openingDeadline());
        long from = chain.blockNumber();
        chain.admin.market().advance(job);
        assertEquals(1, chain.admin.market().job(job).attempt());
        assertEquals(s1.subtract(s1.divide(BigInteger.TEN)), stake(round.node(1)));
        List<MarketEvent> events = chain.admin.events().events(from, chain.blockNumber());
        assertEquals(2, events.stream().filter(e -> e instanceof MarketEvent.FaultProven).count());
        assertTrue(events.stream().anyMatch(e -> e instanceof MarketEvent.AttemptFailed f && f.reason().equals("not-certified")));
        // the new attempt takes fresh dealings from the same trainers
        new RoundDriver(chain, job, 6).commit(chain.trainers.get(0), 100);
        assertConserved(job);
    }

    @Test
    void revealsWithheldBelowTSkipTheRound() {
        BigInteger job = chain.createJob(chain.terms(), 2);
        RoundDriver round = new RoundDriver(chain, job, 7);
        round.commitAndCloseComplaints(100, 100);
        for (int k = 1; k <= 3; k++) {
            round.open(k, NONE);
        }
        round.reveal(2);
        String model = chain.admin.market().job(job).model();
        chain.passTime(chain.admin.market().attempt(job).openingDeadline());
        List<BigInteger> forged = new ArrayList<>(round.opening(1, NONE));
        assertReverts("TooFewReveals", BigInteger.ONE, () -> chain.admin.market().openResult(job, new byte[32], forged));
        assertReverts("NothingToAdvance", () -> chain.admin.market().advance(job));
        chain.passTime(chain.admin.market().attempt(job).revealDeadline());
        assertReverts("DeadlinePassed", () -> round.reveal(1));
        BigInteger s1 = stake(round.node(1));
        long from = chain.blockNumber();
        chain.admin.market().advance(job);
        List<MarketEvent> events = chain.admin.events().events(from, chain.blockNumber());
        assertTrue(events.stream().anyMatch(e -> e instanceof MarketEvent.RoundSkipped r && r.reveals() == 1));
        assertEquals(2, events.stream().filter(e -> e instanceof MarketEvent.FaultProven f && f.fault().equals("missed-reveal")).count());
        assertEquals(s1.subtract(s1.divide(BigInteger.TEN)), stake(round.node(1)));
        JobState s = chain.admin.market().job(job);
        assertEquals(1, s.round(), "skipped, never retried with the same updates");
        assertEquals(0, s.attempt());
        assertEquals(model, s.model(), "the next round starts from the same model");
        assertEquals(BigInteger.ZERO, s.paid());
        assertConserved(job);
    }

    @Test
    void fewerThanNMinTrainersAbortTheAttempt() {
        BigInteger job = chain.createJob(chain.terms().withTrainers(3, 8), 3);
        RoundDriver round = new RoundDriver(chain, job, 8);
        round.commitAndCloseComplaints(100, 100);
        assertReverts("TooFewTrainers", BigInteger.TWO, () -> round.open(1, NONE));
        long from = chain.blockNumber();
        chain.admin.market().advance(job);
        assertTrue(chain.admin.events().events(from, chain.blockNumber()).stream()
                .anyMatch(e -> e instanceof MarketEvent.AttemptFailed f && f.reason().equals("too-few-trainers")));
        assertEquals(1, chain.admin.market().job(job).attempt());
        assertConserved(job);
    }

    @Test
    void commitmentsOffTheCurveAndOutOfRangeAreRefused() {
        BigInteger job = chain.createJob(chain.terms(), 2);
        ChainClient t0 = chain.client(chain.trainers.get(0));
        RoundDriver round = new RoundDriver(chain, job, 9);
        List<BigInteger> good = new ArrayList<>(TestChain.words(List.of(G1.GENERATOR, G1.GENERATOR.dbl())));
        byte[] manifest = round.manifest(chain.trainers.get(0));
        List<BigInteger> off = new ArrayList<>(good);
        off.set(3, off.get(3).add(BigInteger.ONE));
        assertReverts("PointNotOnCurve", BigInteger.ONE, () -> t0.market().commitRound(job, off, manifest, 10));
        List<BigInteger> big = new ArrayList<>(good);
        big.set(0, big.get(0).add(Fp.MODULUS));
        assertReverts("PointNotOnCurve", BigInteger.ZERO, () -> t0.market().commitRound(job, big, manifest, 10));
        List<BigInteger> infinity = new ArrayList<>(good);
        infinity.set(0, BigInteger.ZERO);
        infinity.set(1, BigInteger.ZERO);
        assertReverts("PointNotOnCurve", BigInteger.ZERO, () -> t0.market().commitRound(job, infinity, manifest, 10));
        assertReverts("BadLength", BigInteger.TWO, () -> t0.market().commitRound(job, good.subList(0, 2), manifest, 10));
        assertReverts("SamplesOutOfRange", BigInteger.valueOf(60_001), () -> t0.market().commitRound(job, good, manifest, 60_001));
        assertReverts("InvalidParameter", "manifest", () -> t0.market().commitRound(job, good, new byte[32], 10));
        assertReverts("TrainerNotJoined", () -> chain.client(chain.trainers.get(7)).market().commitRound(job, good, manifest, 10));
        t0.market().commitRound(job, good, manifest, 10);
        assertReverts("AlreadyCommitted", () -> t0.market().commitRound(job, good, manifest, 10));
        assertEquals(good, chain.admin.market().attempt(job).sums());
        chain.passTime(chain.admin.market().attempt(job).commitDeadline());
        assertReverts("DeadlinePassed", () -> round.commit(chain.trainers.get(1), 10));
    }

    @Test
    void aMajorityExcludesATrainerWhosePointsLeaveTheSumsAndTheRoundStillCompletes() {
        // four join and three commit, so the commit window stays open until D1 (it closes early only when all commit)
        BigInteger job = chain.createJob(chain.terms(), 4);
        RoundDriver round = new RoundDriver(chain, job, 10);
        for (int i = 0; i < 3; i++) {
            round.commit(chain.trainers.get(i), 100 + i);
        }
        Credentials accused = chain.trainers.get(1);
        List<String> excluded = List.of(accused.getAddress());
        List<BigInteger> points = TestChain.words(round.dealings.get(accused.getAddress().toLowerCase()).commitments());
        byte[] manifest = round.manifest(accused);
        ChainClient k1 = chain.client(round.node(1));
        ChainClient k2 = chain.client(round.node(2));
        assertReverts("WindowNotOpen", () -> k1.market().voteExclusion(job, accused.getAddress(), List.of(), new byte[32], 0));
        chain.passTime(chain.admin.market().attempt(job).commitDeadline());
        k1.market().voteExclusion(job, accused.getAddress(), List.of(), new byte[32], 0);
        assertReverts("AlreadyVoted", () -> k1.market().voteExclusion(job, accused.getAddress(), points, manifest, 101));
        assertReverts("NotCommitted", () -> k1.market().voteExclusion(job, chain.trainers.get(5).getAddress(), List.of(), new byte[32], 0));
        // the majority's vote must resupply exactly what the trainer committed
        assertReverts("CommitmentMismatch", () -> k2.market().voteExclusion(job, accused.getAddress(), points, manifest, 100));
        k2.market().voteExclusion(job, accused.getAddress(), points, manifest, 101);
        assertEquals(List.of(KzgSolidityVerifier.commitmentWords(round.sums(excluded).sums())), chain.admin.market().attempt(job).sums(),
                "the excluded trainer's points are subtracted from P_l");
        chain.passTime(chain.admin.market().attempt(job).complaintDeadline());
        round.open(1, excluded);
        round.open(2, excluded);
        round.open(3, excluded);
        round.reveal(1);
        round.reveal(3);
        chain.passTime(chain.admin.market().attempt(job).openingDeadline());
        round.openResult(chain.admin, List.of(1, 3), excluded);
        AttemptState a = chain.admin.market().attempt(job);
        assertEquals(AttemptState.Phase.AGGREGATED, a.phase());
        assertEquals(202, a.sampleSum());
        assertEquals(List.of(chain.trainers.get(0).getAddress().toLowerCase(), chain.trainers.get(2).getAddress().toLowerCase()),
                a.included().stream().map(String::toLowerCase).toList());
        chain.client(chain.evaluator).market().postRoundResult(job, new byte[32], 950_000,
                List.of(BigInteger.valueOf(500_000), BigInteger.valueOf(500_000)));
        assertEquals(BigInteger.ZERO, chain.admin.market().claimable(accused.getAddress(), chain.addresses.token()));
        assertEquals(JobState.Status.COMPLETED, chain.admin.market().job(job).status(), "target accuracy reached: completed");
        assertConserved(job);
    }

    @Test
    void theOwnerMayStopAJobAndRoundsDoneStayPaid() {
        BigInteger job = chain.createJob(chain.terms(), 2);
        RoundDriver round = new RoundDriver(chain, job, 11);
        round.commitAndCloseComplaints(100, 300);
        round.open(1, NONE);
        round.open(2, NONE);
        round.open(3, NONE);
        round.reveal(1);
        round.reveal(2);
        chain.passTime(chain.admin.market().attempt(job).openingDeadline());
        round.openResult(chain.admin, List.of(1, 2), NONE);
        assertReverts("NotOwner", () -> chain.client(chain.trainers.get(0)).market().stopJob(job));
        BigInteger before = chain.admin.market().job(job).paid();
        long from = chain.blockNumber();
        chain.client(chain.owner).market().stopJob(job);
        JobState s = chain.admin.market().job(job);
        BigInteger roundPaid = s.paid().subtract(before);
        assertTrue(chain.admin.events().events(from, chain.blockNumber()).stream().anyMatch(e -> e instanceof MarketEvent.RoundPaid p
                && p.paid().equals(roundPaid)), "the stopped round's pay is announced");
        assertEquals(JobState.Status.COMPLETED, s.status());
        assertTrue(s.paid().compareTo(before) > 0, "the aggregated round is paid by declared work");
        BigInteger t0 = chain.admin.market().claimable(chain.trainers.get(0).getAddress(), chain.addresses.token());
        BigInteger t1 = chain.admin.market().claimable(chain.trainers.get(1).getAddress(), chain.addresses.token());
        assertTrue(t1.subtract(t0.multiply(BigInteger.valueOf(3))).abs().compareTo(BigInteger.valueOf(3)) <= 0,
                "paid by declared work n_i, 100 : 300: " + t0 + " " + t1);
        assertEquals(BigInteger.ZERO, s.remaining());
        assertConserved(job);
    }

    /** Each committee node publishes a fresh per-round key (nodes in {@code without} do not); returns them by k. */
    private List<NodeRoundKey> roundKeys(BigInteger job, RoundDriver round, SplittableRandom rng, int without) {
        List<NodeRoundKey> keys = new ArrayList<>();
        for (int k = 1; k <= 3; k++) {
            NodeRoundKey key = NodeRoundKey.generate(rng);
            keys.add(key);
            if (k != without) {
                chain.client(round.node(k)).market().postRoundKey(job, TestChain.words(List.of(key.publicKey())));
            }
        }
        return keys;
    }

    @Test
    void anUpheldShareComplaintExcludesAndSlashesTheTrainer() {
        BigInteger job = chain.createJob(chain.terms(), 3);
        RoundDriver round = new RoundDriver(chain, job, 12);
        SplittableRandom rng = new SplittableRandom(99);
        List<NodeRoundKey> keys = roundKeys(job, round, rng, 0);
        ChainClient node1 = chain.client(round.node(1));
        assertReverts("AlreadyCommitted", () -> node1.market().postRoundKey(job, TestChain.words(List.of(keys.get(0).publicKey()))));
        Credentials cheat = chain.trainers.get(1);
        round.commit(chain.trainers.get(0), 100);
        Dealing bad = round.commit(cheat, 200);

        // the cheat seals for node 1 a share off its commitments
        Share honest = bad.shareFor(1);
        Fr[] values = honest.values().clone();
        values[0] = values[0].add(Fr.ONE);
        EnvelopeTag tag = new EnvelopeTag(job, 0, 0, 2, 1);
        ShareEnvelope envelope = ShareEnvelope.seal(keys.get(0).publicKey(), tag, new Share(1, values, honest.blinding()), rng);
        ShareCheck check = new ShareCheck(TestChain.SRS, round.params);
        assertFalse(check.holds(1, new ReceivedShare(2, bad.commitments(), envelope.open(keys.get(0), tag))));

        // node 1 publishes the envelope's ECDH point with a DLEQ proof against its round key
        G1 shared = keys.get(0).sharedPoint(envelope.ephemeral());
        DleqProof proof = Dleq.prove(keys.get(0).secret(), envelope.ephemeral(), rng);
        List<BigInteger> eph = TestChain.words(List.of(envelope.ephemeral()));
        List<BigInteger> sh = TestChain.words(List.of(shared));
        // while a joined trainer has yet to commit, the commit window is open and complaints wait for it to close
        assertReverts("WindowNotOpen", () -> node1.market().complainShare(job, cheat.getAddress(), eph, sh,
                proof.c().toBigInteger(), proof.s().toBigInteger()));
        round.commit(chain.trainers.get(2), 300);
        chain.passTime(chain.admin.market().attempt(job).commitDeadline());
        assertReverts("DeadlinePassed", () -> chain.client(round.node(2)).market().postRoundKey(job, eph));
        assertReverts("InvalidDleqProof", BigInteger.ONE, () -> node1.market().complainShare(job, cheat.getAddress(), eph, sh,
                proof.c().toBigInteger(), proof.s().add(Fr.ONE).toBigInteger()));
        List<BigInteger> otherPoint = TestChain.words(List.of(shared.dbl()));
        assertReverts("InvalidDleqProof", BigInteger.ONE, () -> node1.market().complainShare(job, cheat.getAddress(), eph, otherPoint,
                proof.c().toBigInteger(), proof.s().toBigInteger()));
        node1.market().complainShare(job, cheat.getAddress(), eph, sh, proof.c().toBigInteger(), proof.s().toBigInteger());
        assertReverts("AlreadyComplained", () -> node1.market().complainShare(job, cheat.getAddress(), eph, sh,
                proof.c().toBigInteger(), proof.s().toBigInteger()));
        assertReverts("AlreadyVoted", () -> node1.market().voteComplaint(job, cheat.getAddress(), true, List.of(), new byte[32], 0));

        // the share is public now: anyone opens the envelope with the published point and sees it is off
        Share published = envelope.openWithSharedPoint(shared, tag);
        assertFalse(check.holds(1, new ReceivedShare(2, bad.commitments(), published)));
        BigInteger stake = stake(cheat);
        List<BigInteger> points = TestChain.words(bad.commitments());
        ChainClient node2 = chain.client(round.node(2));
        assertReverts("CommitmentMismatch", () -> node2.market().voteComplaint(job, cheat.getAddress(), true, points,
                round.manifest(cheat), 201));
        long from = chain.blockNumber();
        node2.market().voteComplaint(job, cheat.getAddress(), true, points, round.manifest(cheat), 200);
        assertEquals(stake.subtract(stake.divide(BigInteger.TEN)), stake(cheat));
        assertTrue(chain.admin.events().events(from, chain.blockNumber()).stream().anyMatch(e -> e instanceof MarketEvent.FaultProven f
                && f.offender().equalsIgnoreCase(cheat.getAddress()) && f.fault().equals("inconsistent-share")));
        List<String> excluded = List.of(cheat.getAddress());
        assertEquals(List.of(KzgSolidityVerifier.commitmentWords(round.sums(excluded).sums())), chain.admin.market().attempt(job).sums());
        assertReverts("NoComplaint", () -> chain.client(round.node(3)).market().voteComplaint(job, cheat.getAddress(), true,
                List.of(), new byte[32], 0));

        // the round completes with the two honest trainers
        chain.passTime(chain.admin.market().attempt(job).complaintDeadline());
        for (int k = 1; k <= 3; k++) {
            round.open(k, excluded);
        }
        round.reveal(1);
        round.reveal(2);
        chain.passTime(chain.admin.market().attempt(job).openingDeadline());
        round.openResult(chain.admin, List.of(1, 2), excluded);
        assertEquals(400, chain.admin.market().attempt(job).sampleSum());
        assertConserved(job);
    }

    @Test
    void aFalseShareComplaintSlashesTheComplainer() {
        BigInteger job = chain.createJob(chain.terms(), 2);
        RoundDriver round = new RoundDriver(chain, job, 13);
        SplittableRandom rng = new SplittableRandom(7);
        List<NodeRoundKey> keys = roundKeys(job, round, rng, 3);
        Credentials accused = chain.trainers.get(0);
        Dealing good = round.commit(accused, 100);
        round.commit(chain.trainers.get(1), 100);
        EnvelopeTag tag = new EnvelopeTag(job, 0, 0, 1, 1);
        ShareEnvelope envelope = ShareEnvelope.seal(keys.get(0).publicKey(), tag, good.shareFor(1), rng);
        G1 shared = keys.get(0).sharedPoint(envelope.ephemeral());
        DleqProof proof = Dleq.prove(keys.get(0).secret(), envelope.ephemeral(), rng);
        chain.passTime(chain.admin.market().attempt(job).commitDeadline());
        List<BigInteger> eph = TestChain.words(List.of(envelope.ephemeral()));
        List<BigInteger> sh = TestChain.words(List.of(shared));
        // node 3 published no round key: it cannot complain
        DleqProof p3 = Dleq.prove(keys.get(2).secret(), envelope.ephemeral(), rng);
        assertReverts("NoRoundKey", BigInteger.valueOf(3), () -> chain.client(round.node(3)).market().complainShare(job,
                accused.getAddress(), eph, TestChain.words(List.of(keys.get(2).sharedPoint(envelope.ephemeral()))),
                p3.c().toBigInteger(), p3.s().toBigInteger()));
        chain.client(round.node(1)).market().complainShare(job, accused.getAddress(), eph, sh, proof.c().toBigInteger(),
                proof.s().toBigInteger());
        // the published share matches the commitments: nodes 2 and 3 reject the complaint
        Share published = envelope.openWithSharedPoint(shared, tag);
        assertTrue(new ShareCheck(TestChain.SRS, round.params).holds(1, new ReceivedShare(1, good.commitments(), published)));
        BigInteger stake = stake(round.node(1));
        chain.client(round.node(2)).market().voteComplaint(job, accused.getAddress(), false, List.of(), new byte[32], 0);
        assertEquals(stake, stake(round.node(1)), "one rejection of three is no majority");
        long from = chain.blockNumber();
        chain.client(round.node(3)).market().voteComplaint(job, accused.getAddress(), false, List.of(), new byte[32], 0);
        assertEquals(stake.subtract(stake.divide(BigInteger.TEN)), stake(round.node(1)));
        assertTrue(chain.admin.events().events(from, chain.blockNumber()).stream().anyMatch(e -> e instanceof MarketEvent.FaultProven f
                && f.offender().equalsIgnoreCase(round.node(1).getAddress()) && f.fault().equals("false-complaint")));
        assertEquals(List.of(KzgSolidityVerifier.commitmentWords(round.sums(NONE).sums())), chain.admin.market().attempt(job).sums(),
                "the accused trainer stays included");
        assertConserved(job);
    }
}
