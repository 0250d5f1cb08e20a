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

    static java.util.List<io.zkpfl.zk.bn254.G1> commit(BigInteger job, Credentials trainer, int t) {
        return chain.commit(job, trainer, t);
    }

    static BigInteger joinedJob(TestChain.Terms terms, int trainers) {
        BigInteger job = chain.createJob(terms);
        for (int i = 0; i < trainers; i++) {
            chain.client(chain.trainers.get(i)).market().join(job);
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
        assertArrayEquals(chain.admin.market().jobDigest(p), offChain);
    }

    @Test
    void createJobEscrowsTheFeeAndDrawsAStakeWeightedCommittee() {
        String token = chain.addresses.token();
        BigInteger before = chain.admin.token().balanceOf(token, chain.owner.getAddress());
        long from = chain.blockNumber();
        BigInteger job = chain.createJob(chain.terms());

        assertEquals(before.subtract(tokens(1_000)), chain.admin.token().balanceOf(token, chain.owner.getAddress()));
        JobState state = chain.admin.market().job(job);
        assertEquals(JobState.Status.ACTIVE, state.status());
        assertEquals(tokens(1_000), state.escrowed());
        assertEquals(tokens(1_000), chain.admin.market().remaining(job));
        assertEquals(3, state.committee().size());
        Set<String> pool = new HashSet<>();
        chain.nodes.forEach(n -> pool.add(n.getAddress().toLowerCase()));
        Set<String> drawn = new HashSet<>();
        state.committee().forEach(a -> drawn.add(a.toLowerCase()));
        assertEquals(3, drawn.size(), "committee members are distinct");
        assertTrue(pool.containsAll(drawn), "committee comes from registered nodes");
        for (String member : state.committee()) {
            assertTrue(chain.admin.staking().account(member).locks.signum() > 0, "committee stake is locked");
        }

        AttemptState attempt = chain.admin.market().attempt(job);
        assertEquals(AttemptState.Phase.COMMITTING, attempt.phase());
        assertEquals(attempt.openedAt() + 100, attempt.commitDeadline());
        assertEquals(attempt.commitDeadline() + 50, attempt.complaintDeadline());
        List<MarketEvent> events = chain.admin.events().events(from, chain.blockNumber());
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
            java.util.concurrent.Future<MarketEvent.JobCreated> seen = watcher.events().subscribe()
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
        owner.token().approve(chain.addresses.token(), chain.addresses.market(), tokens(10_000));
        JobParams p = chain.terms().params();
        Credentials mallory = chain.actor("mallory");
        assertReverts("InvalidSignature", () -> owner.market().createJob(p, owner.market().signJob(p, mallory)));
        assertReverts("InvalidSignature", () -> owner.market().createJob(p, new byte[65]));
        assertReverts("InvalidSignature", () -> owner.market().createJob(p, new byte[3]));

        byte[] good = owner.market().signJob(p, chain.owner);
        BigInteger count = chain.admin.market().jobCount();
        chain.client(mallory).market().createJob(p, good); // anyone may relay a signed job; the fee comes from the owner
        assertEquals(count.add(BigInteger.ONE), chain.admin.market().jobCount());
        assertReverts("NonceAlreadyUsed", () -> owner.market().createJob(p, good));

        TestChain.Terms late = chain.terms().withDeadline(chain.now() - 1);
        JobParams expired = late.params();
        assertReverts("SignatureExpired", () -> owner.market().createJob(expired, owner.market().signJob(expired, chain.owner)));
    }

    @Test
    void parametersOutsideTheProtocolAreRejected() {
        assertReverts("InvalidParameter", "committee", () -> chain.createJob(chain.terms().withCommittee(2, 2)));
        // t >= 2 and m >= 2t - 1
        assertReverts("InvalidParameter", "committee", () -> chain.createJob(chain.terms().withCommittee(3, 1)));
        assertReverts("InvalidParameter", "committee", () -> chain.createJob(chain.terms().withCommittee(4, 3)));
        // windows at most 7 days, at most 1000 rounds: the edges pass, one more fails
        assertReverts("InvalidParameter", "window", () -> chain.createJob(chain.terms().withCommitWindow(7 * 86_400 + 1)));
        assertEquals(BigInteger.valueOf(7 * 86_400), chain.admin.market().jobParams(
                chain.createJob(chain.terms().withCommitWindow(7 * 86_400))).commitWindow);
        assertReverts("InvalidParameter", "maxRounds", () -> chain.createJob(chain.terms().withRounds(1_001)));
        assertEquals(BigInteger.valueOf(1_000), chain.admin.market().jobParams(chain.createJob(chain.terms().withRounds(1_000))).maxRounds);
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
        assertEquals(largest, chain.admin.market().jobParams(accepted).clipQ16);
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
                base.revealWindow(), base.nonce(), base.deadline(), base.validationCommitment(),
                base.evaluatorVersion(), base.evaluatorBond(), base.groups());
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
        BigInteger job = relayer.market().createJob(p, JobSignature.sign(p, chain.anvil.chainId(), chain.addresses.market(), owner),
                new FeePermit(BigInteger.valueOf(deadline), BigInteger.valueOf(sig.getV()[0] & 0xff), sig.getR(),
                        sig.getS()));
        assertEquals(tokens(500), chain.admin.market().job(job).escrowed());
        assertEquals(BigInteger.ZERO, chain.admin.token().balanceOf(chain.addresses.token(), owner.getAddress()));
    }

    @Test
    void onlyStakedTrainersJoinOnce() {
        BigInteger job = chain.createJob(chain.terms());
        Credentials unstaked = chain.funded("unstaked", tokens(1_000));
        assertReverts("NotStaked", unstaked.getAddress().toLowerCase(), () -> chain.client(unstaked).market().join(job));
        ChainClient trainer = chain.client(chain.trainers.getFirst());
        trainer.market().join(job);
        assertReverts("AlreadyJoined", () -> trainer.market().join(job));
        assertReverts("JobNotActive", BigInteger.valueOf(999), () -> trainer.market().join(BigInteger.valueOf(999)));
        assertEquals(List.of(chain.trainers.getFirst().getAddress().toLowerCase()),
                chain.admin.market().job(job).trainers().stream().map(String::toLowerCase).toList());
    }

    @Test
    void onlyCommitteeMembersVoteAndOpen() {
        BigInteger job = joinedJob(chain.terms(), 2);
        commit(job, chain.trainers.get(0), 2);
        commit(job, chain.trainers.get(1), 2);
        JobState state = chain.admin.market().job(job);
        Credentials outside = chain.nodes.stream()
                .filter(n -> state.committee().stream().noneMatch(a -> a.equalsIgnoreCase(n.getAddress())))
                .findFirst().orElseThrow();
        AttemptState a = chain.admin.market().attempt(job);
        chain.passTime(a.commitDeadline());
        assertReverts("NotCommitteeMember", () -> chain.client(outside).market().voteExclusion(job, chain.trainers.get(0).getAddress(),
                List.of(), new byte[32], 0));
        chain.passTime(a.complaintDeadline());
        List<BigInteger> opening = List.of(BigInteger.ONE, BigInteger.TWO, BigInteger.TEN, BigInteger.ONE, BigInteger.TWO);
        assertReverts("NotCommitteeMember", () -> chain.client(outside).market().postOpening(job, opening));
        assertReverts("NotCommitteeMember", () -> chain.client(chain.trainers.get(0)).market().postOpening(job, opening));
        ChainClient member = chain.client(key(state.committee().getFirst()));
        assertReverts("WrongOpeningPoint", BigInteger.ONE, () -> member.market().postOpening(job, opening));
        assertReverts("NotCommitteeMember", () -> chain.client(chain.trainers.get(0)).market().revealPartial(job, new byte[34]));
    }

    @Test
    void aCommitteeMajorityExcludesATrainer() {
        BigInteger job = joinedJob(chain.terms().withTrainers(2, 8), 3);
        List<List<io.zkpfl.zk.bn254.G1>> points = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            points.add(commit(job, chain.trainers.get(i), 2));
        }
        JobState state = chain.admin.market().job(job);
        String accused = chain.trainers.get(2).getAddress();
        List<BigInteger> words = TestChain.words(points.get(2));
        byte[] manifest = TestChain.manifest(job + "/" + accused);
        ChainClient k1 = chain.client(key(state.committee().get(0)));
        ChainClient k2 = chain.client(key(state.committee().get(1)));
        chain.passTime(chain.admin.market().attempt(job).commitDeadline());
        k1.market().voteExclusion(job, accused, List.of(), new byte[32], 0);
        k2.market().voteExclusion(job, accused, words, manifest, 100);
        List<String> sums = chain.admin.market().attempt(job).sums().stream().map(BigInteger::toString).toList();
        List<String> expected = TestChain.words(List.of(points.get(0).get(0).add(points.get(1).get(0)),
                points.get(0).get(1).add(points.get(1).get(1)))).stream().map(BigInteger::toString).toList();
        assertEquals(expected, sums, "the excluded trainer's points leave the running sums");
        AttemptState a = chain.admin.market().attempt(job);
        chain.passTime(a.complaintDeadline());
        assertReverts("DeadlinePassed", () -> k2.market().voteExclusion(job, chain.trainers.get(0).getAddress(), List.of(), new byte[32], 0));
        assertReverts("NothingToAdvance", () -> chain.admin.market().advance(job));
        assertEquals(AttemptState.Phase.COMMITTING, chain.admin.market().attempt(job).phase(), "two trainers remain: n_min holds");
    }
    @Test
    void anAttemptBelowTheMinimumOfTrainersRestarts() {
        BigInteger job = joinedJob(chain.terms().withTrainers(2, 8), 2);
        commit(job, chain.trainers.get(0), 2);
        AttemptState a = chain.admin.market().attempt(job);
        assertReverts("NothingToAdvance", () -> chain.admin.market().advance(job));
        chain.passTime(a.complaintDeadline());
        ChainClient member = chain.client(key(chain.admin.market().job(job).committee().getFirst()));
        assertReverts("TooFewTrainers", BigInteger.ONE, () -> member.market().postOpening(job, List.of(BigInteger.ONE,
                BigInteger.ONE, BigInteger.ONE, BigInteger.ONE, BigInteger.TWO)));
        long from = chain.blockNumber();
        chain.admin.market().advance(job);
        assertEquals(1, chain.admin.market().job(job).attempt());
        assertEquals(AttemptState.Phase.COMMITTING, chain.admin.market().attempt(job).phase());
        assertTrue(chain.admin.events().events(from, chain.blockNumber()).stream()
                .anyMatch(e -> e instanceof MarketEvent.AttemptFailed f && f.reason().equals("too-few-trainers")));
        // a new attempt takes fresh commitments from the same trainer
        commit(job, chain.trainers.get(0), 2);
    }

    @Test
    void theRoundStepsContractHoldsNoJobOfItsOwn() throws Exception {
        BigInteger job = joinedJob(chain.terms(), 1);
        String rounds = io.zkpfl.contracts.generated.JobMarket.load(chain.addresses.market(), chain.web3j, chain.adminKey,
                new org.web3j.tx.gas.DefaultGasProvider()).rounds().send();
        PlatformAddresses direct = new PlatformAddresses(chain.addresses.token(), chain.addresses.registry(),
                chain.addresses.certifier(), rounds);
        ChainClient bypass = ChainClient.connect(chain.web3j, chain.anvil.chainId(), chain.adminKey, direct);
        chain.passTime(chain.admin.market().attempt(job).complaintDeadline());
        // called directly, the delegated steps see JobRounds' own (empty) storage, never the market's
        assertReverts("JobNotActive", job, () -> bypass.market().advance(job));
        assertReverts("JobNotActive", job, () -> bypass.market().voteExclusion(job, chain.trainers.getFirst().getAddress(), List.of(),
                new byte[32], 0));
        assertEquals(0, chain.admin.market().job(job).attempt());
        chain.admin.market().advance(job);
        assertEquals(1, chain.admin.market().job(job).attempt(), "through the market the same call acts");
    }

    @Test
    void committeeDrawsSkipNodesAtTheirStatedCapacity() {
        try (TestChain own = TestChain.start(4, 1)) {
            ChainClient trainer = own.client(own.trainers.getFirst());
            assertReverts("NotRegistered", () -> trainer.staking().setCapacity(2));
            assertReverts("InvalidCapacity", BigInteger.ZERO, () -> own.client(own.nodes.getFirst()).staking().setCapacity(0));
            List<String> first = own.admin.market().job(own.createJob(own.terms())).committee();
            Credentials full = own.nodes.stream().filter(n -> first.get(0).equalsIgnoreCase(n.getAddress())).findFirst()
                    .orElseThrow();
            own.client(full).staking().setCapacity(1);
            assertEquals(1, own.admin.staking().capacityOf(full.getAddress()));
            // the three others are the only eligible nodes: the next committee is exactly them
            List<String> second = own.admin.market().job(own.createJob(own.terms())).committee();
            Set<String> expected = new HashSet<>();
            own.nodes.stream().filter(n -> n != full).forEach(n -> expected.add(n.getAddress().toLowerCase()));
            Set<String> drawn = new HashSet<>();
            second.forEach(a -> drawn.add(a.toLowerCase()));
            assertEquals(expected, drawn);
            // every node at its capacity: nothing left to draw
            for (Credentials n : own.nodes) {
                own.client(n).staking().setCapacity(own.admin.staking().account(n.getAddress()).locks.intValue());
            }
            assertReverts("NotEnoughNodes", BigInteger.ZERO, () -> own.createJob(own.terms()));
            own.client(full).staking().setCapacity(1000);
            assertReverts("NotEnoughNodes", BigInteger.ONE, () -> own.createJob(own.terms()));
        }
    }

    @Test
    void onlyTheEvaluatorPostsResults() {
        BigInteger job = chain.createJob(chain.terms());
        ChainClient stranger = chain.client(chain.trainers.get(3));
        assertReverts("NotEvaluator", () -> stranger.market().postRoundResult(job, new byte[32], 950_000, List.of()));
        assertReverts("WrongPhase", BigInteger.ONE,
                () -> chain.client(chain.evaluator).market().postRoundResult(job, new byte[32], 950_000, List.of()));
    }

    @Test
    void aJobThatRunsOutOfAttemptsRefundsTheOwnerAndReleasesStakes() {
        BigInteger job = joinedJob(chain.terms(), 1);
        String token = chain.addresses.token();
        for (int attempt = 0; attempt < 4; attempt++) {
            chain.passTime(chain.admin.market().attempt(job).complaintDeadline());
            chain.admin.market().advance(job);
        }
        JobState state = chain.admin.market().job(job);
        assertEquals(JobState.Status.FAILED, state.status());
        assertEquals(tokens(1_000), state.refunded());
        assertEquals(BigInteger.ZERO, state.remaining());
        assertEquals(state.escrowed(), state.paid().add(state.refunded()).add(state.remaining()));

        ChainClient owner = chain.client(chain.owner);
        BigInteger before = owner.token().balanceOf(token, chain.owner.getAddress());
        owner.market().claim(token);
        assertEquals(before.add(tokens(1_000)), owner.token().balanceOf(token, chain.owner.getAddress()));
        assertReverts("NothingToClaim", () -> owner.market().claim(token));
        assertReverts("JobNotActive", job, () -> chain.client(chain.trainers.getFirst()).market().join(job));

        ChainClient trainer = chain.client(chain.trainers.getFirst());
        BigInteger locks = trainer.staking().account(trainer.address()).locks;
        trainer.market().release(job);
        assertEquals(locks.subtract(BigInteger.ONE), trainer.staking().account(trainer.address()).locks);
        assertReverts("NotParticipant", () -> trainer.market().release(job));
        assertReverts("NotParticipant", () -> chain.client(chain.trainers.get(7)).market().release(job));
        assertFalse(chain.admin.market().job(job).committee().isEmpty());
    }
}
