package io.zkpfl.contracts;

import static io.zkpfl.contracts.TestChain.assertReverts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zkpfl.contracts.generated.JobMarket;
import io.zkpfl.protocol.envelope.EnvelopeTag;
import io.zkpfl.protocol.envelope.NodeRoundKey;
import io.zkpfl.protocol.envelope.ShareEnvelope;
import io.zkpfl.protocol.vss.Dealing;
import io.zkpfl.zk.bn254.G1;
import io.zkpfl.zk.kzg.Dleq;
import io.zkpfl.zk.kzg.DleqProof;
import java.math.BigInteger;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * Early certification (docs/adr/0110-early-certification.md) on Anvil: before D2 the contract takes the openings of
 * the whole committee in one batch when commits are closed and no exclusion vote, share complaint or exclusion is
 * on record; it then closes the complaint window (D2 = now, D3 and D4 earlier by as much). Anything less waits for
 * D2 as before. The openings are the protocol library's (RoundDriver), checked by the exported KZG verifier.
 */
class EarlyCertificationIT {

    private static final List<String> NONE = List.of();
    private TestChain chain;

    @BeforeEach
    void start() {
        chain = TestChain.start(4, 5);
    }

    @AfterEach
    void stop() {
        chain.close();
    }

    /** {@code leader} posts the signed openings of {@code ks} in one postOpenings; the receipt. */
    private TransactionReceipt batch(RoundDriver round, Credentials leader, List<Integer> ks, List<String> excluded) {
        JobState state = chain.admin.market().job(round.job);
        List<BigInteger> words = new java.util.ArrayList<>();
        List<byte[]> sigs = new java.util.ArrayList<>();
        for (int k : ks) {
            List<BigInteger> o = round.opening(k, excluded);
            words.addAll(o);
            sigs.add(MarketClient.signOpening(round.node(k), chain.addresses.market(), chain.anvil.chainId(), round.job,
                    state.round(), state.attempt(), k, o));
        }
        return chain.client(leader).market().postOpenings(round.job, ks.stream().map(BigInteger::valueOf).toList(), words, sigs);
    }

    /** {@code action} reverts DisputePending naming {@code trainer}. */
    private static void assertDisputePending(Credentials trainer, Runnable action) {
        ChainRevertException e = org.junit.jupiter.api.Assertions.assertThrows(ChainRevertException.class, action::run);
        assertEquals("DisputePending", e.reason().name(), () -> "revert reason: " + e.reason());
        assertTrue(e.reason().args().getFirst().toString().equalsIgnoreCase(trainer.getAddress()), e.reason().toString());
    }

    private long timestampOf(TransactionReceipt r) {
        try {
            return chain.web3j.ethGetBlockByHash(r.getBlockHash(), false).send().getBlock().getTimestamp().longValue();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void theWholeCommitteesBatchBeforeD2CertifiesAndClosesTheComplaintWindow() {
        BigInteger job = chain.createJob(chain.terms(), 3);
        RoundDriver round = new RoundDriver(chain, job, 21);
        round.commit(chain.trainers.get(0), 100);
        round.commit(chain.trainers.get(1), 200);
        round.commit(chain.trainers.get(2), 300);
        AttemptState before = chain.admin.market().attempt(job);
        chain.increaseTime(1); // the block after the last commit: past D1, far before D2
        assertTrue(chain.now() > before.commitDeadline() && chain.now() < before.complaintDeadline());

        // fewer than m openings before D2 are refused, batched or alone, as before
        assertReverts("WindowNotOpen", BigInteger.valueOf(before.complaintDeadline()),
                () -> round.openBatched(round.node(1), List.of(1, 2), NONE));
        assertReverts("WindowNotOpen", () -> round.open(3, NONE));

        BigInteger escrow = chain.admin.market().remaining(job);
        TransactionReceipt receipt = batch(round, round.node(2), List.of(1, 2, 3), NONE);
        long at = timestampOf(receipt);
        assertTrue(at < before.complaintDeadline(), "certified " + (before.complaintDeadline() - at) + " s before D2");
        AttemptState a = chain.admin.market().attempt(job);
        assertEquals(AttemptState.Phase.CERTIFIED, a.phase());
        assertEquals(List.of(1, 2, 3), a.openedNodes());
        long shift = before.complaintDeadline() - at;
        assertEquals(at, a.complaintDeadline(), "D2 is the block of the batch");
        assertEquals(before.openingDeadline() - shift, a.openingDeadline(), "D3 moves with D2");
        assertEquals(before.revealDeadline() - shift, a.revealDeadline(), "D4 moves with D2");
        assertEquals(before.commitDeadline(), a.commitDeadline(), "D1 stays");
        List<JobMarket.ComplaintsClosedEventResponse> closed = JobMarket.getComplaintsClosedEvents(receipt);
        assertEquals(1, closed.size());
        assertEquals(BigInteger.valueOf(a.complaintDeadline()), closed.getFirst().complaintDeadline);
        assertEquals(BigInteger.valueOf(a.openingDeadline()), closed.getFirst().openingDeadline);
        assertEquals(BigInteger.valueOf(a.revealDeadline()), closed.getFirst().revealDeadline);
        assertEquals(3, JobMarket.getOpeningVerifiedEvents(receipt).size());
        assertEquals(1, JobMarket.getRoundCertifiedEvents(receipt).size());
        assertEquals(1, JobMarket.getIncludedSetFixedEvents(receipt).size(), "I is fixed: every committer");
        assertEquals(chain.trainers.subList(0, 3).stream().map(c -> c.getAddress().toLowerCase()).toList(),
                a.included().stream().map(String::toLowerCase).toList());
        assertEquals(escrow, chain.admin.market().remaining(job), "certifying moves no money");

        // the window is closed: no complaint or vote can reopen the certified set
        Credentials accused = chain.trainers.get(1);
        assertReverts("WrongPhase", () -> chain.client(round.node(1)).market().voteExclusion(job, accused.getAddress(), List.of(),
                new byte[32], 0));
        assertReverts("AlreadyOpened", BigInteger.ONE, () -> round.open(1, NONE));

        // reveals and the result need no wait for the old D3: every node opened
        round.reveal(1);
        round.reveal(3);
        round.openResult(chain.client(chain.trainers.get(4)), List.of(1, 3), NONE);
        assertEquals(AttemptState.Phase.AGGREGATED, chain.admin.market().attempt(job).phase());
        assertEquals(600, chain.admin.market().attempt(job).sampleSum());
        BigInteger pool = escrow.divide(BigInteger.valueOf(3));
        BigInteger nodePay = pool.multiply(BigInteger.valueOf(200_000)).divide(BigInteger.valueOf(1_000_000))
                .divide(BigInteger.valueOf(3));
        for (int k = 1; k <= 3; k++) {
            assertEquals(nodePay, chain.admin.market().claimable(round.node(k).getAddress(), chain.addresses.token()), "node " + k);
        }
        chain.assertEscrowConserved(job);
        chain.client(chain.evaluator).market().postRoundResult(job, new byte[32], 500_000,
                List.of(BigInteger.valueOf(300_000), BigInteger.valueOf(300_000), BigInteger.valueOf(400_000)));
        assertEquals(1, chain.admin.market().job(job).round(), "the next round opens");
        assertEquals(AttemptState.Phase.COMMITTING, chain.admin.market().attempt(job).phase());
        chain.assertEscrowConserved(job);
    }

    @Test
    void whileACommitterMayStillCommitTheBatchWaitsForD2() {
        // four join, three commit: the commit window stays open until its D1
        BigInteger job = chain.createJob(chain.terms(), 4);
        RoundDriver round = new RoundDriver(chain, job, 22);
        for (int i = 0; i < 3; i++) {
            round.commit(chain.trainers.get(i), 100);
        }
        AttemptState a = chain.admin.market().attempt(job);
        assertTrue(chain.now() <= a.commitDeadline());
        assertReverts("WindowNotOpen", () -> round.openBatched(round.node(1), List.of(1, 2, 3), NONE));
        chain.passTime(a.commitDeadline());
        TransactionReceipt early = batch(round, round.node(1), List.of(1, 2, 3), NONE);
        assertEquals(1, JobMarket.getComplaintsClosedEvents(early).size());
        AttemptState after = chain.admin.market().attempt(job);
        assertEquals(AttemptState.Phase.CERTIFIED, after.phase());
        assertTrue(after.complaintDeadline() < a.complaintDeadline(), "certified before the original D2");
        assertEquals(3, after.included().size(), "the trainer that never committed is not in I");
    }

    @Test
    void anExclusionVoteOnRecordKeepsTheWindowOpenUntilD2() {
        BigInteger job = chain.createJob(chain.terms(), 3);
        RoundDriver round = new RoundDriver(chain, job, 23);
        for (int i = 0; i < 3; i++) {
            round.commit(chain.trainers.get(i), 100 + i);
        }
        chain.increaseTime(1);
        Credentials accused = chain.trainers.get(2);
        // one vote of three is no majority and excludes nobody, but it is a dispute the window must leave time for
        chain.client(round.node(3)).market().voteExclusion(job, accused.getAddress(), List.of(), new byte[32], 0);
        assertDisputePending(accused, () -> round.openBatched(round.node(1), List.of(1, 2, 3), NONE));
        long d2 = chain.admin.market().attempt(job).complaintDeadline();
        assertEquals(AttemptState.Phase.COMMITTING, chain.admin.market().attempt(job).phase());
        // a majority excludes the trainer: still no early batch, now over the smaller set
        Dealing d = round.dealings.get(accused.getAddress().toLowerCase());
        chain.client(round.node(1)).market().voteExclusion(job, accused.getAddress(), TestChain.words(d.commitments()),
                round.manifest(accused), 102);
        List<String> excluded = List.of(accused.getAddress());
        assertDisputePending(accused, () -> round.openBatched(round.node(1), List.of(1, 2, 3), excluded));
        chain.passTime(d2);
        TransactionReceipt late = batch(round, round.node(1), List.of(1, 2, 3), excluded);
        assertEquals(AttemptState.Phase.CERTIFIED, chain.admin.market().attempt(job).phase());
        assertEquals(d2, chain.admin.market().attempt(job).complaintDeadline(), "after D2 the deadlines stay");
        assertEquals(201, chain.admin.market().attempt(job).sampleSum());
        assertTrue(JobMarket.getComplaintsClosedEvents(late).isEmpty(), "no early close after D2");
    }

    @Test
    void aShareComplaintOnRecordKeepsTheWindowOpenUntilD2() {
        BigInteger job = chain.createJob(chain.terms(), 2);
        RoundDriver round = new RoundDriver(chain, job, 24);
        SplittableRandom rng = new SplittableRandom(5);
        NodeRoundKey key1 = NodeRoundKey.generate(rng);
        chain.client(round.node(1)).market().postRoundKey(job, TestChain.words(List.of(key1.publicKey())));
        Credentials accused = chain.trainers.get(0);
        Dealing good = round.commit(accused, 100);
        round.commit(chain.trainers.get(1), 100);
        chain.increaseTime(1);
        // node 1 complains (falsely: the share matches) before the others vote on it
        ShareEnvelope envelope = ShareEnvelope.seal(key1.publicKey(), new EnvelopeTag(job, 0, 0, 1, 1),
                good.shareFor(1), rng);
        G1 shared = key1.sharedPoint(envelope.ephemeral());
        DleqProof proof = Dleq.prove(key1.secret(), envelope.ephemeral(), rng);
        chain.client(round.node(1)).market().complainShare(job, accused.getAddress(),
                TestChain.words(List.of(envelope.ephemeral())), TestChain.words(List.of(shared)),
                proof.c().toBigInteger(), proof.s().toBigInteger());
        assertDisputePending(accused, () -> round.openBatched(round.node(2), List.of(1, 2, 3), NONE));
        // resolved (rejected by nodes 2 and 3), it still stands on record: the committee waits for D2
        chain.client(round.node(2)).market().voteComplaint(job, accused.getAddress(), false, List.of(), new byte[32], 0);
        chain.client(round.node(3)).market().voteComplaint(job, accused.getAddress(), false, List.of(), new byte[32], 0);
        assertDisputePending(accused, () -> round.openBatched(round.node(2), List.of(1, 2, 3), NONE));
        chain.passTime(chain.admin.market().attempt(job).complaintDeadline());
        TransactionReceipt late = batch(round, round.node(2), List.of(1, 2, 3), NONE);
        assertTrue(JobMarket.getComplaintsClosedEvents(late).isEmpty(), "no early close after D2");
        assertEquals(AttemptState.Phase.CERTIFIED, chain.admin.market().attempt(job).phase());
        chain.assertEscrowConserved(job);
    }
}
