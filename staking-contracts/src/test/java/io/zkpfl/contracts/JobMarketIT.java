package io.zkpfl.contracts;

import io.zkpfl.contracts.generated.JobMarket.FeePermit;
import io.zkpfl.contracts.generated.JobMarket.JobParams;
import io.zkpfl.contracts.testing.generated.ReentrantToken;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.Sign;
import org.web3j.crypto.StructuredDataEncoder;
import org.web3j.tx.RawTransactionManager;
import org.web3j.utils.Numeric;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.zkpfl.contracts.PlatformConfig.tokens;
import static io.zkpfl.contracts.TestChain.assertReverts;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Job creation, escrow, committee draw and the round state machine on a real Anvil chain. */
class JobMarketIT {

    static final BigInteger R = new BigInteger(
            "21888242871839275222246405745257275088548364400416034343698204186575808495617");

    private static TestChain chain;

    @BeforeAll
    static void start() {
        chain = TestChain.start(4, 8);
    }

    @AfterAll
    static void stop() {
        chain.close();
    }

    static BigInteger field(String label) {
        return TestChain.field(label);
    }

    static void commit(BigInteger job, Credentials trainer, int m) {
        chain.commit(job, trainer, m);
    }

    static BigInteger joinedJob(TestChain.Terms terms, int trainers) {
        BigInteger job = chain.createJob(terms);
        for (int i = 0; i < trainers; i++) {
            chain.client(chain.trainers.get(i)).join(job);
        }
        return job;
    }

    static Credentials key(String address) {
        for (Credentials c : chain.nodes) {
            if (c.getAddress().equalsIgnoreCase(address)) {
                return c;
            }
        }
        throw new IllegalArgumentException(address);
    }

    @Test
    void ownerSignatureDigestMatchesTheContract() {
        JobParams p = chain.terms().params();
        byte[] offChain = JobSignature.digest(p, chain.anvil.chainId(), chain.addresses.market());
        assertArrayEquals(chain.admin.jobDigest(p), offChain);
    }

    @Test
    void createJobEscrowsTheFeeAndDrawsAStakeWeightedCommittee() {
        String token = chain.addresses.token();
        BigInteger before = chain.admin.balanceOf(token, chain.owner.getAddress());
        long from = chain.blockNumber();
        BigInteger job = chain.createJob(chain.terms());

        assertEquals(before.subtract(tokens(1_000)), chain.admin.balanceOf(token, chain.owner.getAddress()));
        JobState state = chain.admin.job(job);
        assertEquals(1, state.status());
        assertEquals(tokens(1_000), state.escrowed());
        assertEquals(tokens(1_000), chain.admin.remaining(job));
        assertEquals(3, state.committee().size());
        Set<String> pool = new HashSet<>();
        chain.nodes.forEach(n -> pool.add(n.getAddress().toLowerCase()));
        Set<String> drawn = new HashSet<>();
        state.committee().forEach(a -> drawn.add(a.toLowerCase()));
        assertEquals(3, drawn.size(), "committee members are distinct");
        assertTrue(pool.containsAll(drawn), "committee comes from registered nodes");
        for (String member : state.committee()) {
            assertTrue(chain.admin.stakeAccount(member).locks.signum() > 0, "committee stake is locked");
        }

        AttemptState attempt = chain.admin.attempt(job);
        assertEquals(AttemptState.Phase.COLLECTING, attempt.phase());
        assertEquals(attempt.openedAt() + 100, attempt.commitDeadline());
        assertEquals(attempt.commitDeadline() + 50, attempt.complaintDeadline());
        List<MarketEvent> events = chain.admin.events(from, chain.blockNumber());
        assertTrue(events.stream().anyMatch(e -> e instanceof MarketEvent.JobCreated c && c.jobId().equals(job)
                && c.escrowed().equals(tokens(1_000))));
        assertTrue(events.stream().anyMatch(e -> e instanceof MarketEvent.AttemptOpened o && o.jobId().equals(job)
                && o.round() == 0 && o.attempt() == 0));
    }

    @Test
    void subscribersSeeNewJobsAsTheyAreMined() throws Exception {
        org.web3j.protocol.Web3j fast = org.web3j.protocol.Web3j.build(
                new org.web3j.protocol.http.HttpService(chain.anvil.rpcUrl()), 100,
                java.util.concurrent.Executors.newScheduledThreadPool(1));
        try {
            ChainClient watcher = ChainClient.connect(fast, chain.anvil.chainId(), chain.adminKey, chain.addresses);
            java.util.concurrent.Future<MarketEvent.JobCreated> seen = watcher.subscribe()
                    .ofType(MarketEvent.JobCreated.class).firstOrError().toFuture();
            Thread.sleep(500);
            BigInteger job = chain.createJob(chain.terms());
            MarketEvent.JobCreated event = seen.get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(job, event.jobId());
            assertEquals(chain.owner.getAddress().toLowerCase(), event.owner().toLowerCase());
            assertEquals(tokens(1_000), event.escrowed());
        } finally {
            fast.shutdown();
        }
    }

    @Test
    void feeTokenMustBeAllowListedAndFeeAtLeastTheMinimum() throws Exception {
        ReentrantToken other = ReentrantToken.deploy(chain.web3j,
                new RawTransactionManager(chain.web3j, chain.owner, chain.anvil.chainId()),
                new EstimatingGasProvider(chain.web3j, BigInteger.valueOf(5_000_000))).send();
        other.mint(chain.owner.getAddress(), tokens(1_000)).send();
        TestChain.Terms coin = chain.terms().withFee(other.getContractAddress(), tokens(1_000));
        assertReverts("FeeTokenNotAllowed", other.getContractAddress().toLowerCase(),
                () -> chain.createJob(coin));

        TestChain.Terms cheap = chain.terms().withFee(chain.addresses.token(), tokens(99));
        assertReverts("FeeBelowMinimum", tokens(99), () -> chain.createJob(cheap));
    }

    @Test
    void forgedExpiredAndReplayedSignaturesAreRejected() {
        ChainClient owner = chain.client(chain.owner);
        owner.approve(chain.addresses.token(), chain.addresses.market(), tokens(10_000));
        JobParams p = chain.terms().params();
        Credentials mallory = chain.actor("mallory");
        assertReverts("InvalidSignature", () -> owner.createJob(p, owner.signJob(p, mallory)));
        assertReverts("InvalidSignature", () -> owner.createJob(p, new byte[65]));
        assertReverts("InvalidSignature", () -> owner.createJob(p, new byte[3]));

        byte[] good = owner.signJob(p, chain.owner);
        BigInteger count = chain.admin.jobCount();
        chain.client(mallory).createJob(p, good); // anyone may relay a signed job; the fee comes from the owner
        assertEquals(count.add(BigInteger.ONE), chain.admin.jobCount());
        assertReverts("NonceAlreadyUsed", () -> owner.createJob(p, good));

        TestChain.Terms late = chain.terms().withDeadline(chain.now() - 1);
        JobParams expired = late.params();
        assertReverts("SignatureExpired", () -> owner.createJob(expired, owner.signJob(expired, chain.owner)));
    }

    @Test
    void parametersOutsideTheProtocolAreRejected() {
        assertReverts("InvalidParameter", "committee", () -> chain.createJob(chain.terms().withCommittee(2, 2)));
        assertReverts("InvalidParameter", "trainers", () -> chain.createJob(chain.terms().withTrainers(3, 2)));
        // n_max * N_max * B * 2^f must stay below (r - 1) / 2
        // n_max * N_max * B * 2^f must stay below (r - 1) / 2: the largest clip passes, one more fails
        BigInteger bound = R.subtract(BigInteger.ONE).shiftRight(1);
        BigInteger nN = BigInteger.valueOf(64L << 31);
        BigInteger largest = bound.subtract(BigInteger.ONE).divide(nN);
        assertTrue(largest.multiply(nN).compareTo(bound) < 0);
        assertTrue(largest.add(BigInteger.ONE).multiply(nN).compareTo(bound) >= 0);
        assertReverts("InvalidParameter", "quantisation", () -> chain.createJob(chain.terms()
                .withQuantisation(1L << 31, largest.add(BigInteger.ONE)).withTrainers(2, 64)));
        assertReverts("InvalidParameter", "quantisation", () -> chain.createJob(chain.terms()
                .withQuantisation(1L << 31, BigInteger.TWO.pow(255)).withTrainers(2, 64)));
        BigInteger accepted = chain.createJob(chain.terms().withQuantisation(1L << 31, largest).withTrainers(2, 64));
        assertEquals(largest, chain.admin.jobParams(accepted).clipQ16);
        assertReverts("NotEnoughNodes", BigInteger.valueOf(4),
                () -> chain.createJob(chain.terms().withCommittee(5, 2)));
    }

    @Test
    void feeCanBeApprovedByPermit() throws Exception {
        Credentials owner = chain.funded("permit-owner", tokens(500));
        TestChain.Terms base = chain.terms();
        TestChain.Terms terms = new TestChain.Terms(owner.getAddress(), base.feeToken(), tokens(500),
                base.evaluator(), base.bucket(), base.maxRounds(), base.committeeSize(), base.threshold(),
                base.minTrainers(), base.maxTrainers(), base.maxSamples(), base.clipQ16(), base.targetAccuracy(),
                base.alpha(), base.commitWindow(), base.complaintWindow(), base.partialWindow(), base.proofWindow(),
                base.revealWindow(), base.nonce(), base.deadline());
        JobParams p = terms.params();
        long deadline = chain.now() + 600;
        String typed = """
                {"types":{"EIP712Domain":[{"name":"name","type":"string"},{"name":"version","type":"string"},
                {"name":"chainId","type":"uint256"},{"name":"verifyingContract","type":"address"}],
                "Permit":[{"name":"owner","type":"address"},{"name":"spender","type":"address"},
                {"name":"value","type":"uint256"},{"name":"nonce","type":"uint256"},{"name":"deadline","type":"uint256"}]},
                "primaryType":"Permit","domain":{"name":"zkPFL Token","version":"1","chainId":%d,"verifyingContract":"%s"},
                "message":{"owner":"%s","spender":"%s","value":"%s","nonce":"0","deadline":"%d"}}"""
                .formatted(chain.anvil.chainId(), chain.addresses.token(), owner.getAddress(),
                        chain.addresses.market(), tokens(500), deadline);
        Sign.SignatureData sig = Sign.signMessage(new StructuredDataEncoder(typed).hashStructuredData(),
                owner.getEcKeyPair(), false);
        ChainClient relayer = chain.client(chain.actor("relayer"));
        BigInteger job = relayer.createJob(p, JobSignature.sign(p, chain.anvil.chainId(), chain.addresses.market(), owner),
                new FeePermit(BigInteger.valueOf(deadline), BigInteger.valueOf(sig.getV()[0] & 0xff), sig.getR(),
                        sig.getS()));
        assertEquals(tokens(500), chain.admin.job(job).escrowed());
        assertEquals(BigInteger.ZERO, chain.admin.balanceOf(chain.addresses.token(), owner.getAddress()));
    }

    @Test
    void onlyStakedTrainersJoinOnce() {
        BigInteger job = chain.createJob(chain.terms());
        Credentials unstaked = chain.funded("unstaked", tokens(1_000));
        assertReverts("NotStaked", unstaked.getAddress().toLowerCase(), () -> chain.client(unstaked).join(job));
        ChainClient trainer = chain.client(chain.trainers.getFirst());
        trainer.join(job);
        assertReverts("AlreadyJoined", () -> trainer.join(job));
        assertReverts("JobNotActive", BigInteger.valueOf(999), () -> trainer.join(BigInteger.valueOf(999)));
        assertEquals(List.of(chain.trainers.getFirst().getAddress().toLowerCase()),
                chain.admin.job(job).trainers().stream().map(String::toLowerCase).toList());
    }

    @Test
    void commitmentsFollowTheRules() {
        BigInteger job = joinedJob(chain.terms(), 2);
        Credentials outsider = chain.trainers.get(5);
        assertReverts("TrainerNotJoined", () -> commit(job, outsider, 3));
        ChainClient t0 = chain.client(chain.trainers.getFirst());
        byte[] manifest = TestChain.manifest("t0");
        assertReverts("BadLength", BigInteger.TWO,
                () -> t0.commitShares(job, List.of(BigInteger.ONE, BigInteger.TWO), manifest));
        assertReverts("FieldElementOutOfRange", R,
                () -> t0.commitShares(job, List.of(BigInteger.ONE, R, BigInteger.TWO), manifest));
        assertReverts("InvalidParameter", "manifest",
                () -> t0.commitShares(job, List.of(BigInteger.ONE, BigInteger.TWO, BigInteger.TEN), new byte[32]));
        commit(job, chain.trainers.getFirst(), 3);
        assertReverts("AlreadyCommitted", () -> commit(job, chain.trainers.getFirst(), 3));
        assertEquals(3, chain.admin.attempt(job).committed().size() + 2);

        chain.passTime(chain.admin.attempt(job).commitDeadline());
        assertReverts("DeadlinePassed", () -> commit(job, chain.trainers.get(1), 3));
    }

    @Test
    void onlyCommitteeMembersPostPartialsAndComplaints() {
        BigInteger job = joinedJob(chain.terms(), 2);
        commit(job, chain.trainers.get(0), 3);
        commit(job, chain.trainers.get(1), 3);
        JobState state = chain.admin.job(job);
        Credentials outside = chain.nodes.stream()
                .filter(n -> state.committee().stream().noneMatch(a -> a.equalsIgnoreCase(n.getAddress())))
                .findFirst().orElseThrow();
        AttemptState a = chain.admin.attempt(job);
        chain.passTime(a.commitDeadline());
        assertReverts("NotCommitteeMember", () -> chain.client(outside).complain(job, chain.trainers.get(0).getAddress()));
        chain.passTime(a.complaintDeadline());
        assertReverts("NotCommitteeMember", () -> chain.client(outside).commitPartial(job, BigInteger.TEN));
        assertReverts("NotCommitteeMember", () -> chain.client(chain.trainers.get(0)).commitPartial(job, BigInteger.TEN));
        ChainClient member = chain.client(key(state.committee().getFirst()));
        member.commitPartial(job, field("h1"));
        assertReverts("AlreadyCommitted", () -> member.commitPartial(job, field("h1b")));
    }

    @Test
    void aCommitteeMajorityExcludesATrainer() {
        BigInteger job = joinedJob(chain.terms().withTrainers(2, 8), 3);
        for (int i = 0; i < 3; i++) {
            commit(job, chain.trainers.get(i), 3);
        }
        JobState state = chain.admin.job(job);
        String accused = chain.trainers.get(2).getAddress();
        ChainClient k1 = chain.client(key(state.committee().get(0)));
        ChainClient k2 = chain.client(key(state.committee().get(1)));
        assertReverts("WindowNotOpen", () -> k1.complain(job, accused));
        chain.passTime(chain.admin.attempt(job).commitDeadline());
        k1.complain(job, accused);
        assertReverts("AlreadyComplained", () -> k1.complain(job, accused));
        assertReverts("NotCommitted", () -> k1.complain(job, chain.trainers.get(6).getAddress()));
        k2.complain(job, accused);

        AttemptState a = chain.admin.attempt(job);
        chain.passTime(a.complaintDeadline());
        assertReverts("DeadlinePassed", () -> k2.complain(job, chain.trainers.get(0).getAddress()));
        k1.commitPartial(job, field("p1"));
        List<String> included = chain.admin.attempt(job).included().stream().map(String::toLowerCase).toList();
        assertEquals(List.of(chain.trainers.get(0).getAddress().toLowerCase(),
                chain.trainers.get(1).getAddress().toLowerCase()), included);
    }

    @Test
    void anAttemptBelowTheMinimumOfTrainersRestarts() {
        BigInteger job = joinedJob(chain.terms().withTrainers(2, 8), 2);
        commit(job, chain.trainers.get(0), 3);
        AttemptState a = chain.admin.attempt(job);
        assertReverts("NothingToAdvance", () -> chain.admin.advance(job));
        chain.passTime(a.complaintDeadline());
        ChainClient member = chain.client(key(chain.admin.job(job).committee().getFirst()));
        assertReverts("TooFewTrainers", BigInteger.ONE, () -> member.commitPartial(job, field("p")));
        long from = chain.blockNumber();
        chain.admin.advance(job);
        assertEquals(1, chain.admin.job(job).attempt());
        assertEquals(AttemptState.Phase.COLLECTING, chain.admin.attempt(job).phase());
        assertTrue(chain.admin.events(from, chain.blockNumber()).stream()
                .anyMatch(e -> e instanceof MarketEvent.AttemptFailed f && f.reason().equals("too-few-trainers")));
        // a new attempt takes fresh commitments from the same trainer
        commit(job, chain.trainers.get(0), 3);
    }

    @Test
    void aNodeThatMissesItsPartialIsSlashedAndTheRoundRestarts() {
        BigInteger job = joinedJob(chain.terms(), 2);
        commit(job, chain.trainers.get(0), 3);
        commit(job, chain.trainers.get(1), 3);
        JobState state = chain.admin.job(job);
        chain.passTime(chain.admin.attempt(job).complaintDeadline());
        chain.client(key(state.committee().get(0))).commitPartial(job, field("a"));
        chain.client(key(state.committee().get(1))).commitPartial(job, field("b"));
        String lazy = state.committee().get(2);
        BigInteger stakeBefore = chain.admin.stakeAccount(lazy).stake;
        BigInteger treasuryBefore = chain.admin.balanceOf(chain.addresses.token(), chain.treasury.getAddress());
        chain.passTime(chain.admin.attempt(job).partialDeadline());
        assertReverts("PartialsMissing", BigInteger.TWO, () -> chain.admin.requestChallenge(job));

        long from = chain.blockNumber();
        chain.admin.advance(job);
        BigInteger slashed = stakeBefore.divide(BigInteger.TEN);
        assertEquals(stakeBefore.subtract(slashed), chain.admin.stakeAccount(lazy).stake);
        assertEquals(treasuryBefore.add(slashed),
                chain.admin.balanceOf(chain.addresses.token(), chain.treasury.getAddress()));
        assertEquals(1, chain.admin.job(job).attempt());
        List<MarketEvent> events = chain.admin.events(from, chain.blockNumber());
        assertTrue(events.stream().anyMatch(e -> e instanceof MarketEvent.FaultProven f
                && f.offender().equalsIgnoreCase(lazy) && f.fault().equals("missed-partial")));
        assertEquals(1, events.stream().filter(e -> e instanceof MarketEvent.FaultProven).count());
    }

    @Test
    void theChallengeComesAfterAllPartialsAndClosesTheAttempt() {
        BigInteger job = joinedJob(chain.terms(), 2);
        commit(job, chain.trainers.get(0), 3);
        commit(job, chain.trainers.get(1), 3);
        JobState state = chain.admin.job(job);
        chain.passTime(chain.admin.attempt(job).complaintDeadline());
        for (int k = 0; k < 3; k++) {
            chain.client(key(state.committee().get(k))).commitPartial(job, field("partial " + k));
        }
        assertReverts("WindowNotOpen", () -> chain.admin.requestChallenge(job));
        assertReverts("WrongPhase", BigInteger.ONE, () -> chain.admin.fixChallenge(job));
        chain.passTime(chain.admin.attempt(job).partialDeadline());
        chain.admin.requestChallenge(job);
        chain.admin.fixChallenge(job);
        AttemptState a = chain.admin.attempt(job);
        assertEquals(AttemptState.Phase.CHALLENGED, a.phase());
        assertTrue(a.rho().signum() > 0 && a.rho().compareTo(R) < 0, "rho is a non-zero field element");
        assertEquals(3, a.partials().stream().filter(h -> h.signum() > 0).count());
        assertReverts("WrongPhase", BigInteger.valueOf(3), () -> commit(job, chain.trainers.get(0), 3));
        assertReverts("WrongPhase", BigInteger.valueOf(3),
                () -> chain.client(key(state.committee().get(0))).commitPartial(job, field("late")));
        assertReverts("NoVerifier", BigInteger.valueOf(1024),
                () -> chain.admin.certify(job, new RoundEvidence(List.of(), List.of(), List.of(), BigInteger.ZERO,
                        List.of(), List.of())));

        BigInteger tag = chain.admin.tag(job, ChainClient.ROLE_SHARE, 1, 1);
        assertNotEquals(tag, chain.admin.tag(job, ChainClient.ROLE_SHARE, 1, 2));
        assertNotEquals(tag, chain.admin.tag(job, ChainClient.ROLE_PARTIAL, 1, 1));
        // one tag base per trainer (and one for the partials): tag(i, k) = tag(i, 0) + k mod r
        for (int role : new int[] {ChainClient.ROLE_SHARE, ChainClient.ROLE_PARTIAL}) {
            BigInteger base = chain.admin.tag(job, role, 2, 0);
            for (int k = 1; k <= 3; k++) {
                assertEquals(base.add(BigInteger.valueOf(k)).mod(R), chain.admin.tag(job, role, 2, k));
            }
        }
        assertNotEquals(chain.admin.tag(job, ChainClient.ROLE_SHARE, 1, 0), chain.admin.tag(job, ChainClient.ROLE_SHARE, 2, 0));

        chain.passTime(a.proofDeadline());
        chain.admin.advance(job);
        assertEquals(1, chain.admin.job(job).attempt());
        assertNotEquals(tag, chain.admin.tag(job, ChainClient.ROLE_SHARE, 1, 1), "tags change with the attempt");
    }

    @Test
    void theRoundStepsContractHoldsNoJobOfItsOwn() throws Exception {
        BigInteger job = joinedJob(chain.terms(), 1);
        String rounds = io.zkpfl.contracts.generated.JobMarket.load(chain.addresses.market(), chain.web3j, chain.adminKey,
                new org.web3j.tx.gas.DefaultGasProvider()).rounds().send();
        PlatformAddresses direct = new PlatformAddresses(chain.addresses.token(), chain.addresses.registry(),
                chain.addresses.certifier(), rounds);
        ChainClient bypass = ChainClient.connect(chain.web3j, chain.anvil.chainId(), chain.adminKey, direct);
        chain.passTime(chain.admin.attempt(job).complaintDeadline());
        // called directly, the delegated steps see JobRounds' own (empty) storage, never the market's
        assertReverts("JobNotActive", job, () -> bypass.advance(job));
        assertReverts("JobNotActive", job, () -> bypass.complain(job, chain.trainers.getFirst().getAddress()));
        assertEquals(0, chain.admin.job(job).attempt());
        chain.admin.advance(job);
        assertEquals(1, chain.admin.job(job).attempt(), "through the market the same call acts");
    }

    @Test
    void onlyTheEvaluatorPostsResults() {
        BigInteger job = chain.createJob(chain.terms());
        ChainClient stranger = chain.client(chain.trainers.get(3));
        assertReverts("NotEvaluator", () -> stranger.postRoundResult(job, new byte[32], 950_000, List.of()));
        assertReverts("WrongPhase", BigInteger.ONE,
                () -> chain.client(chain.evaluator).postRoundResult(job, new byte[32], 950_000, List.of()));
    }

    @Test
    void aJobThatRunsOutOfAttemptsRefundsTheOwnerAndReleasesStakes() {
        BigInteger job = joinedJob(chain.terms(), 1);
        String token = chain.addresses.token();
        for (int attempt = 0; attempt < 4; attempt++) {
            chain.passTime(chain.admin.attempt(job).complaintDeadline());
            chain.admin.advance(job);
        }
        JobState state = chain.admin.job(job);
        assertEquals(3, state.status());
        assertEquals(tokens(1_000), state.refunded());
        assertEquals(BigInteger.ZERO, state.remaining());
        assertEquals(state.escrowed(), state.paid().add(state.refunded()).add(state.remaining()));

        ChainClient owner = chain.client(chain.owner);
        BigInteger before = owner.balanceOf(token, chain.owner.getAddress());
        owner.claim(token);
        assertEquals(before.add(tokens(1_000)), owner.balanceOf(token, chain.owner.getAddress()));
        assertReverts("NothingToClaim", () -> owner.claim(token));
        assertReverts("JobNotActive", job, () -> chain.client(chain.trainers.getFirst()).join(job));

        ChainClient trainer = chain.client(chain.trainers.getFirst());
        BigInteger locks = trainer.stakeAccount(trainer.address()).locks;
        trainer.release(job);
        assertEquals(locks.subtract(BigInteger.ONE), trainer.stakeAccount(trainer.address()).locks);
        assertReverts("NotParticipant", () -> trainer.release(job));
        assertReverts("NotParticipant", () -> chain.client(chain.trainers.get(7)).release(job));
        assertFalse(chain.admin.job(job).committee().isEmpty());
    }
}
