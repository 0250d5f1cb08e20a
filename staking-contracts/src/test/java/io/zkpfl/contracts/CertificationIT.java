package io.zkpfl.contracts;

import static io.zkpfl.contracts.PlatformConfig.tokens;
import static io.zkpfl.contracts.TestChain.assertReverts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zkpfl.zk.bn254.Fr;
import io.zkpfl.zk.groth16.Groth16;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * Certification with zk-core's real SharesStatement(D, m) and Stmt(D) circuits, Groth16 proofs and generated
 * Solidity verifiers (D = 4: on-chain cost does not depend on D): honest rounds are certified and paid (with
 * one proof per trainer, or share by share for a trainer proved by a node), tampered and replayed proofs or
 * commitments revert, inconsistent shares or partials slash the offender and restart the round, and a silent
 * evaluator's round is closed by time share after its deadline.
 */
class CertificationIT {

    static final int D = 4;
    private static TestChain chain;
    private static StmtProver prover;

    @BeforeAll
    static void start() throws Exception {
        chain = TestChain.start(4, 4);
        prover = new StmtProver(D, chain.terms().committeeSize(), 99);
        chain.admin.setVerifier(D, prover.deployVerifier(chain.web3j, chain.anvil.chainId(), chain.adminKey));
        chain.admin.setSharesVerifier(D, prover.m,
                prover.deploySharesVerifier(chain.web3j, chain.anvil.chainId(), chain.adminKey));
    }

    @AfterAll
    static void stop() {
        chain.close();
    }

    static TestChain.Terms terms() {
        TestChain.Terms t = chain.terms();
        return new TestChain.Terms(t.owner(), t.feeToken(), t.fee(), t.evaluator(), D, t.maxRounds(),
                t.committeeSize(), t.threshold(), t.minTrainers(), t.maxTrainers(), t.maxSamples(), t.clipQ16(),
                t.targetAccuracy(), t.alpha(), t.commitWindow(), t.complaintWindow(), t.partialWindow(),
                t.proofWindow(), t.revealWindow(), t.nonce(), t.deadline());
    }

    static RoundDriver jobWithTrainers(int n) {
        return jobWith(chain.trainers.subList(0, n));
    }

    static RoundDriver jobWith(List<Credentials> trainers) {
        BigInteger job = chain.createJob(terms());
        for (Credentials trainer : trainers) {
            chain.client(trainer).join(job);
        }
        return new RoundDriver(chain, prover, job);
    }

    @Test
    void anHonestRoundIsCertifiedRevealedPaidAndCompleted() {
        RoundDriver round = jobWithTrainers(2);
        BigInteger job = round.job;
        chain.increaseTime(7);
        round.commitShares(chain.trainers.get(0), 0);
        chain.increaseTime(20);
        round.commitShares(chain.trainers.get(1), 0);
        round.commitPartials(Map.of());
        Fr rho = round.challenge();
        RoundDriver.Certificate cert = round.fingerprints(rho);
        RoundEvidence e = cert.evidence();

        // swapped proofs, a changed fingerprint or a point off the curve fail the batch: nothing changes
        List<BigInteger> swapped = new ArrayList<>(e.sharesProofs());
        for (int w = 0; w < 8; w++) {
            swapped.set(w, e.sharesProofs().get(8 + w));
            swapped.set(8 + w, e.sharesProofs().get(w));
        }
        assertReverts("InvalidProof", () -> chain.admin.certify(job, e.withProofs(swapped, e.stmtProofs())));
        List<BigInteger> offCurve = new ArrayList<>(e.stmtProofs());
        offCurve.set(13, offCurve.get(13).add(BigInteger.ONE));
        assertReverts("Error", "Groth16: pairing precompile rejected a point",
                () -> chain.admin.certify(job, e.withProofs(e.sharesProofs(), offCurve)));
        for (int w : new int[] {1, 4, 6}) { // a share of trainer 0, of trainer 1, a partial
            List<BigInteger> badYs = new ArrayList<>(e.ys());
            badYs.set(w, badYs.get(w).add(BigInteger.ONE));
            assertReverts("InvalidProof", () -> chain.admin.certify(job, e.withYs(badYs)));
        }
        assertReverts("BadLength", () -> chain.admin.certify(job, e.withYs(e.ys().subList(0, 8))));
        // a SharesStatement proof offered as the Stmt proofs of a split trainer, and vice versa, has the wrong length
        assertReverts("BadLength", () -> chain.admin.certify(job, new RoundEvidence(e.commitments(), e.manifests(),
                e.ys(), BigInteger.ONE, e.sharesProofs(), e.stmtProofs())));
        // commitments or manifests other than those posted are refused before any proof is checked
        List<BigInteger> otherCommitments = new ArrayList<>(e.commitments());
        otherCommitments.set(4, otherCommitments.get(4).add(BigInteger.ONE));
        assertReverts("CommitmentMismatch", () -> chain.admin.certify(job, e.withCommitments(otherCommitments)));
        List<byte[]> otherManifests = new ArrayList<>(e.manifests());
        otherManifests.set(0, TestChain.manifest("other"));
        assertReverts("CommitmentMismatch", () -> chain.admin.certify(job, new RoundEvidence(e.commitments(),
                otherManifests, e.ys(), e.split(), e.sharesProofs(), e.stmtProofs())));
        List<BigInteger> reordered = new ArrayList<>(e.commitments().subList(3, 6));
        reordered.addAll(e.commitments().subList(0, 3));
        assertReverts("CommitmentMismatch", () -> chain.admin.certify(job, e.withCommitments(reordered)));
        assertReverts("BadLength", () -> chain.admin.certify(job, e.withCommitments(e.commitments().subList(0, 5))));
        assertEquals(AttemptState.Phase.CHALLENGED, chain.admin.attempt(job).phase());

        round.certify(cert);
        assertEquals(AttemptState.Phase.CERTIFIED, chain.admin.attempt(job).phase());
        assertReverts("WrongPhase", BigInteger.valueOf(4), () -> chain.admin.certify(job, e));
        round.revealAll();
        assertEquals(AttemptState.Phase.REVEALED, chain.admin.attempt(job).phase());

        // rewards: alpha * time share + (1 - alpha) * accuracy share of remaining / rounds left
        AttemptState a = chain.admin.attempt(job);
        List<String> included = a.included();
        long t0 = commitTime(job, included.get(0)) - a.openedAt() + 1;
        long t1 = commitTime(job, included.get(1)) - a.openedAt() + 1;
        BigInteger pool = tokens(1_000).divide(BigInteger.valueOf(3));
        BigInteger ppm = BigInteger.valueOf(1_000_000);
        long[] shares = {700_000, 300_000};
        long[] times = {t0, t1};
        ChainClient evaluator = chain.client(chain.evaluator);
        List<BigInteger> owedBefore = included.stream().map(t -> chain.admin.claimable(t, chain.addresses.token()))
                .toList();
        assertReverts("BadShares", () -> evaluator.postRoundResult(job, new byte[32], 950_000,
                List.of(BigInteger.valueOf(700_000), BigInteger.valueOf(200_000))));
        round.record("postRoundResult (2 trainers)", evaluator.postRoundResult(job, new byte[32], 950_000,
                List.of(BigInteger.valueOf(shares[0]), BigInteger.valueOf(shares[1]))));
        BigInteger paid = BigInteger.ZERO;
        for (int j = 0; j < 2; j++) {
            BigInteger weight = BigInteger.valueOf(500_000).multiply(BigInteger.valueOf(times[j])).multiply(ppm)
                    .divide(BigInteger.valueOf(t0 + t1)).add(BigInteger.valueOf(500_000L * shares[j]));
            BigInteger expected = pool.multiply(weight).divide(ppm.multiply(ppm));
            assertEquals(expected, chain.admin.claimable(included.get(j), chain.addresses.token()).subtract(owedBefore.get(j)));
            paid = paid.add(expected);
        }
        JobState state = chain.admin.job(job);
        assertEquals(2, state.status(), "accuracy 95% >= target 90% completes the job");
        assertEquals(paid, state.paid());
        assertEquals(tokens(1_000).subtract(paid), state.refunded());
        assertEquals(state.escrowed(), state.paid().add(state.refunded()).add(chain.admin.remaining(job)));

        Credentials first = chain.trainers.stream()
                .filter(c -> c.getAddress().equalsIgnoreCase(included.get(0))).findFirst().orElseThrow();
        ChainClient trainer = chain.client(first);
        BigInteger before = trainer.balanceOf(chain.addresses.token(), first.getAddress());
        trainer.claim(chain.addresses.token());
        assertTrue(trainer.balanceOf(chain.addresses.token(), first.getAddress()).compareTo(before) > 0);
        assertReverts("NothingToClaim", () -> trainer.claim(chain.addresses.token()));
    }

    @Test
    void proofsFromAnEarlierAttemptDoNotVerify() {
        RoundDriver round = jobWithTrainers(2);
        BigInteger job = round.job;
        round.commitShares(chain.trainers.get(0), 0);
        round.commitShares(chain.trainers.get(1), 0);
        round.commitPartials(Map.of());
        RoundDriver.Certificate old = round.fingerprints(round.challenge());
        chain.passTime(chain.admin.attempt(job).proofDeadline());
        chain.admin.advance(job);
        assertEquals(1, chain.admin.job(job).attempt());

        RoundDriver retry = new RoundDriver(chain, prover, job);
        retry.commitShares(chain.trainers.get(0), 0);
        retry.commitShares(chain.trainers.get(1), 0);
        retry.commitPartials(Map.of());
        Fr rho = retry.challenge();
        assertReverts("CommitmentMismatch", () -> chain.admin.certify(job, old.evidence()));
        RoundDriver.Certificate fresh = retry.fingerprints(rho);
        // fresh commitments with the old proofs: the tags and commitments of the new attempt do not match them
        assertReverts("InvalidProof", () -> chain.admin.certify(job, fresh.evidence()
                .withProofs(old.evidence().sharesProofs(), old.evidence().stmtProofs()).withYs(old.ys())));
        retry.certify(fresh);
        assertEquals(AttemptState.Phase.CERTIFIED, chain.admin.attempt(job).phase());
    }

    @Test
    void inconsistentSharesSlashTheTrainerAndRestartTheRoundWithoutIt() {
        Credentials cheat = chain.trainers.get(3);
        RoundDriver round = jobWith(List.of(chain.trainers.get(0), cheat, chain.trainers.get(2)));
        BigInteger job = round.job;
        round.commitShares(chain.trainers.get(0), 0);
        round.commitShares(cheat, 5);
        round.commitShares(chain.trainers.get(2), 0);
        round.commitPartials(Map.of());
        RoundDriver.Certificate cert = round.fingerprints(round.challenge());
        BigInteger stake = chain.admin.stakeAccount(cheat.getAddress()).stake;
        long from = chain.blockNumber();
        round.certify(cert);

        assertEquals(stake.subtract(stake.divide(BigInteger.TEN)), chain.admin.stakeAccount(cheat.getAddress()).stake);
        List<MarketEvent> events = chain.admin.events(from, chain.blockNumber());
        assertTrue(events.stream().anyMatch(e -> e instanceof MarketEvent.FaultProven f
                && f.offender().equalsIgnoreCase(cheat.getAddress()) && f.fault().equals("inconsistent-shares")));
        assertTrue(events.stream().anyMatch(e -> e instanceof MarketEvent.AttemptFailed f
                && f.reason().equals("inconsistent-shares")));
        assertEquals(1, chain.admin.job(job).attempt());
        assertReverts("TrainerBanned", () -> chain.commit(job, cheat, 3));
    }

    @Test
    void aPartialThatIsNotTheSumSlashesTheNode() {
        RoundDriver round = jobWithTrainers(2);
        BigInteger job = round.job;
        round.commitShares(chain.trainers.get(0), 0);
        round.commitShares(chain.trainers.get(1), 0);
        round.commitPartials(Map.of(2, 1L));
        RoundDriver.Certificate cert = round.fingerprints(round.challenge());
        String node = chain.admin.job(job).committee().get(1);
        BigInteger stake = chain.admin.stakeAccount(node).stake;
        long from = chain.blockNumber();
        TransactionReceipt r = round.certify(cert);
        assertTrue(r.isStatusOK());
        assertEquals(stake.subtract(stake.divide(BigInteger.TEN)), chain.admin.stakeAccount(node).stake);
        assertTrue(chain.admin.events(from, chain.blockNumber()).stream().anyMatch(e ->
                e instanceof MarketEvent.FaultProven f && f.offender().equalsIgnoreCase(node)
                        && f.fault().equals("partial-sum-mismatch")));
        assertEquals(1, chain.admin.job(job).attempt());
    }

    @Test
    void aTrainerProvedShareByShareByANodeCertifiesBesideWholeTrainerProofs() {
        RoundDriver round = jobWithTrainers(3);
        BigInteger job = round.job;
        for (int j = 0; j < 3; j++) {
            round.commitShares(chain.trainers.get(j), 0);
        }
        round.commitPartials(Map.of());
        Fr rho = round.challenge();
        RoundDriver.Certificate cert = round.fingerprints(rho, java.util.Set.of(1));
        assertEquals(2, cert.sharesProofs());
        assertEquals(2 * 3, cert.stmtProofs(), "3 shares of the split trainer + 3 partials");
        // the split trainer's Stmt proofs do not pass as someone else's: flag trainer 0 instead
        RoundEvidence e = cert.evidence();
        assertReverts("InvalidProof", () -> chain.admin.certify(job, new RoundEvidence(e.commitments(),
                e.manifests(), e.ys(), BigInteger.ONE, e.sharesProofs(), e.stmtProofs())));
        round.certify(cert);
        assertEquals(AttemptState.Phase.CERTIFIED, chain.admin.attempt(job).phase());
    }

    @Test
    void aSilentEvaluatorsRoundIsPaidByTimeShareAndTheRestRefundedAfterItsDeadline() {
        RoundDriver round = jobWithTrainers(2);
        BigInteger job = round.job;
        chain.increaseTime(5);
        round.commitShares(chain.trainers.get(0), 0);
        chain.increaseTime(30);
        round.commitShares(chain.trainers.get(1), 0);
        round.commitPartials(Map.of());
        round.certify(round.fingerprints(round.challenge()));
        round.revealAll();
        long deadline = chain.admin.resultDeadline(job);
        AttemptState a = chain.admin.attempt(job);
        assertEquals(a.revealDeadline() + terms().commitWindow(), deadline);
        assertReverts("NothingToAdvance", () -> chain.admin.advance(job));
        chain.passTime(deadline);
        ChainClient evaluator = chain.client(chain.evaluator);
        assertReverts("DeadlinePassed", BigInteger.valueOf(deadline), () -> evaluator.postRoundResult(job, new byte[32],
                950_000, List.of(BigInteger.valueOf(500_000), BigInteger.valueOf(500_000))));
        String owner = chain.owner.getAddress();
        BigInteger ownerBefore = chain.admin.claimable(owner, chain.addresses.token());
        BigInteger escrow = chain.admin.remaining(job);
        List<String> included = a.included();
        List<BigInteger> before = included.stream().map(t -> chain.admin.claimable(t, chain.addresses.token())).toList();
        int roundOfJob = chain.admin.job(job).round();
        TransactionReceipt closed = chain.client(chain.trainers.get(3)).advance(job);
        round.record("advance (evaluator timed out)", closed);
        long closedIn = closed.getBlockNumber().longValue();
        assertTrue(chain.admin.events(closedIn, closedIn).stream().anyMatch(e ->
                e instanceof MarketEvent.EvaluatorTimedOut t && t.jobId().equals(job) && t.round() == roundOfJob
                        && t.resultDeadline() == deadline), "EvaluatorTimedOut is decoded from the closing block");

        long t0 = commitTime(job, included.get(0)) - a.openedAt() + 1;
        long t1 = commitTime(job, included.get(1)) - a.openedAt() + 1;
        BigInteger pool = escrow.divide(BigInteger.valueOf(terms().maxRounds()));
        BigInteger paid = BigInteger.ZERO;
        for (long[] tj : new long[][] {{0, t0}, {1, t1}}) {
            // alpha = 1: pool * floor(1e12 * t_j / sum t) / 1e12
            BigInteger ppm2 = BigInteger.valueOf(1_000_000_000_000L);
            BigInteger weight = ppm2.multiply(BigInteger.valueOf(tj[1])).divide(BigInteger.valueOf(t0 + t1));
            BigInteger expected = pool.multiply(weight).divide(ppm2);
            assertEquals(expected, chain.admin.claimable(included.get((int) tj[0]), chain.addresses.token())
                    .subtract(before.get((int) tj[0])));
            paid = paid.add(expected);
        }
        JobState state = chain.admin.job(job);
        assertEquals(3, state.status(), "the job ends");
        assertEquals(paid, state.paid());
        assertEquals(escrow.subtract(paid), state.refunded());
        assertEquals(escrow.subtract(paid), chain.admin.claimable(owner, chain.addresses.token()).subtract(ownerBefore));
        assertEquals(BigInteger.ZERO, chain.admin.remaining(job));
        assertEquals(state.escrowed(), state.paid().add(state.refunded()).add(chain.admin.remaining(job)));
        assertReverts("JobNotActive", () -> evaluator.postRoundResult(job, new byte[32], 950_000,
                List.of(BigInteger.valueOf(500_000), BigInteger.valueOf(500_000))));
        assertReverts("JobNotActive", () -> chain.admin.advance(job));
    }

    @Test
    void sharesVerifiersAreSetOncePerBucketAndCommitteeSizeByTheAdmin() {
        String someVerifier = chain.addresses.certifier();
        assertReverts("VerifierAlreadySet", BigInteger.valueOf(D),
                () -> chain.admin.setSharesVerifier(D, prover.m, someVerifier));
        assertReverts("AccessControlUnauthorizedAccount",
                () -> chain.client(chain.owner).setSharesVerifier(D, 4, someVerifier));

        // a committee of 4: the Stmt(D) verifier exists, the SharesStatement(D, 4) one does not
        BigInteger job = chain.createJob(terms().withCommittee(4, 2));
        for (int j = 0; j < 2; j++) {
            chain.client(chain.trainers.get(j)).join(job);
        }
        RoundDriver round = new RoundDriver(chain, prover, job);
        for (int j = 0; j < 2; j++) {
            round.commitShares(chain.trainers.get(j), 0);
        }
        round.commitPartials(Map.of());
        round.challenge();
        AttemptState a = chain.admin.attempt(job);
        List<BigInteger> commitments = new ArrayList<>();
        List<byte[]> manifests = new ArrayList<>();
        for (String trainer : a.committed()) {
            commitments.addAll(round.commitments.get(trainer.toLowerCase()));
            manifests.add(round.manifests.get(trainer.toLowerCase()));
        }
        List<BigInteger> zeros = java.util.Collections.nCopies(8 * 4, BigInteger.ZERO);
        RoundEvidence e = new RoundEvidence(commitments, manifests, java.util.Collections.nCopies(3 * 4, BigInteger.ONE),
                BigInteger.ZERO, java.util.Collections.nCopies(8 * 2, BigInteger.ZERO), zeros);
        assertReverts("NoSharesVerifier", BigInteger.valueOf(4), () -> chain.admin.certify(job, e));
    }

    static long commitTime(BigInteger job, String trainer) {
        try {
            var logs = io.zkpfl.contracts.generated.JobMarket.SHARESCOMMITTED_EVENT;
            var filter = new org.web3j.protocol.core.methods.request.EthFilter(
                    org.web3j.protocol.core.DefaultBlockParameterName.EARLIEST,
                    org.web3j.protocol.core.DefaultBlockParameterName.LATEST, chain.addresses.market())
                    .addSingleTopic(org.web3j.abi.EventEncoder.encode(logs));
            long at = -1;
            for (var log : chain.web3j.ethGetLogs(filter).send().getLogs()) {
                var l = (org.web3j.protocol.core.methods.response.Log) log.get();
                var ev = io.zkpfl.contracts.generated.JobMarket.getSharesCommittedEventFromLog(l);
                if (ev.jobId.equals(job) && ev.trainer.equalsIgnoreCase(trainer)) {
                    at = chain.web3j.ethGetBlockByHash(l.getBlockHash(), false).send().getBlock().getTimestamp()
                            .longValue();
                }
            }
            return at;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
