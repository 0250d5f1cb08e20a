package io.zkpfl.contracts;

import io.zkpfl.contracts.generated.JobMarket.JobParams;
import io.zkpfl.contracts.testing.generated.ReentrantToken;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.tx.RawTransactionManager;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static io.zkpfl.contracts.PlatformConfig.tokens;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Long random sequences of valid and invalid calls (jobs in two fee tokens, some evaluated by their owners with a
 * bond or committed to a validation set, joins, commitments, complaints, partials, challenges, deadline moves,
 * claims, releases, disclosures, disputes, bond slashes and releases, bad signatures and fees). After every step:
 * each job's escrowed = paid + refunded + remaining, what the owner deposited = escrowed + creation fee + bond,
 * and for each fee token the market's real token balance equals the sum of remaining escrow plus the bonds it
 * still holds plus what is owed (creation fees, slashed and released bonds included), while everything that left
 * the market went to claimants (deposits = market balance + claimed).
 */
class EscrowInvariantIT {

    private static final int STEPS = 160;
    private static final byte[] BUNDLE = org.web3j.crypto.Hash.sha3(new byte[] {1});
    private static final byte[] KEY = org.web3j.crypto.Hash.sha3(new byte[] {2});
    private static TestChain chain;
    private static List<String> feeTokens;

    @BeforeAll
    static void start() throws Exception {
        chain = TestChain.start(8, 5);
        ReentrantToken coin = ReentrantToken.deploy(chain.web3j,
                new RawTransactionManager(chain.web3j, chain.adminKey, chain.anvil.chainId()),
                new EstimatingGasProvider(chain.web3j, BigInteger.valueOf(5_000_000))).send();
        coin.mint(chain.owner.getAddress(), tokens(1_000_000)).send();
        chain.admin.market().setFeeToken(coin.getContractAddress(), tokens(50));
        chain.admin.evaluation().setEconomics(chain.treasury.getAddress(), new PlatformConfig.Economics(20_000, 100_000, 300, 300));
        feeTokens = List.of(chain.addresses.token(), coin.getContractAddress());
        ChainClient owner = chain.client(chain.owner);
        for (String token : feeTokens) {
            owner.token().approve(token, chain.addresses.market(), tokens(1_000_000));
        }
    }

    @AfterAll
    static void stop() {
        chain.close();
    }

    @Test
    void tokensAreConservedThroughRandomSequences() {
        SplittableRandom rng = new SplittableRandom(0x5eed_2026L);
        List<BigInteger> jobs = new ArrayList<>();
        Map<String, BigInteger> deposited = new HashMap<>();
        Map<String, BigInteger> claimed = new HashMap<>();
        feeTokens.forEach(t -> {
            deposited.put(t, BigInteger.ZERO);
            claimed.put(t, BigInteger.ZERO);
        });
        List<Credentials> claimants = new ArrayList<>(chain.trainers);
        claimants.add(chain.owner);
        claimants.add(chain.treasury);
        int accepted = 0;
        int refused = 0;
        int driven = 0;
        List<BigInteger> drivenJobs = new ArrayList<>();

        for (int step = 0; step < STEPS; step++) {
            // mostly the three oldest jobs, so that some run through all their attempts
            BigInteger job = jobs.isEmpty() ? BigInteger.ONE
                    : jobs.get(rng.nextInt(rng.nextInt(4) == 0 ? jobs.size() : Math.min(3, jobs.size())));
            Credentials trainer = chain.trainers.get(rng.nextInt(chain.trainers.size()));
            Credentials node = chain.nodes.get(rng.nextInt(chain.nodes.size()));
            int action = jobs.size() < 2 ? rng.nextInt(2) : 2 + rng.nextInt(19);
            try {
                switch (action) {
                    case 0, 1, 2 -> {
                        String token = feeTokens.get(rng.nextInt(2));
                        BigInteger fee = tokens(40 + rng.nextInt(400));
                        TestChain.Terms terms = evaluation(chain.terms().withFee(token, fee)
                                .withTrainers(1 + rng.nextInt(2), 3), rng);
                        JobParams p = terms.params();
                        Credentials signer = rng.nextInt(6) == 0 ? trainer : chain.owner;
                        ChainClient owner = chain.client(chain.owner);
                        BigInteger before = owner.token().balanceOf(token, chain.owner.getAddress());
                        BigInteger id = owner.market().createJob(p, owner.market().signJob(p, signer));
                        jobs.add(id);
                        deposited.merge(token, deposit(id, token, before), BigInteger::add);
                    }
                    case 3 -> chain.client(trainer).market().join(job);
                    case 4 -> chain.commit(job, trainer, 2);
                    case 5 -> chain.client(node).market().voteExclusion(job, trainer.getAddress(), List.of(), new byte[32], 0);
                    case 6 -> chain.client(node).market().postOpening(job, List.of(TestChain.field("z" + step), BigInteger.ONE,
                            BigInteger.ONE, BigInteger.ONE, BigInteger.TWO));
                    case 7 -> chain.admin.market().openResult(job, new byte[32], List.of(TestChain.field("a" + step), BigInteger.ONE,
                            BigInteger.ONE, BigInteger.ONE, BigInteger.TWO));
                    case 8 -> chain.client(node).market().revealPartial(job, new byte[] {1, 2, 3});
                    case 9, 14 -> chain.admin.market().advance(job);
                    case 10, 15 -> chain.increaseTime(1 + rng.nextInt(400));
                    case 11 -> {
                        Credentials who = claimants.get(rng.nextInt(claimants.size()));
                        String token = feeTokens.get(rng.nextInt(2));
                        ChainClient c = chain.client(who);
                        BigInteger before = c.token().balanceOf(token, who.getAddress());
                        c.market().claim(token);
                        claimed.merge(token, c.token().balanceOf(token, who.getAddress()).subtract(before), BigInteger::add);
                    }
                    case 12 -> chain.client(rng.nextBoolean() ? trainer : node).market().release(job);
                    case 16 -> {
                        // a job (bucket 4) played honestly with real proofs up to the reveal; what follows is
                        // random: the evaluator's result, its timeout through advance, or neither
                        if (driven >= 3) {
                            throw new ChainRevertException("driven", new RevertReason("EnoughDrivenRounds", List.of()));
                        }
                        driven++;
                        String token = feeTokens.get(rng.nextInt(2));
                        JobParams p = evaluation(chain.terms().withFee(token, tokens(100 + rng.nextInt(300)))
                                .withBucket(4).withTrainers(2, 3), rng).params();
                        ChainClient owner = chain.client(chain.owner);
                        BigInteger before = owner.token().balanceOf(token, chain.owner.getAddress());
                        BigInteger id = owner.market().createJob(p, owner.market().signJob(p, chain.owner));
                        jobs.add(id);
                        drivenJobs.add(id);
                        deposited.merge(token, deposit(id, token, before), BigInteger::add);
                        drive(id, step, rng);
                    }
                    case 17 -> {
                        boolean right = rng.nextInt(3) != 0;
                        chain.client(chain.owner).evaluation().discloseValidation(job, BUNDLE, right ? KEY : BUNDLE, new byte[] {7});
                    }
                    case 18 -> {
                        List<String> committee = chain.admin.market().job(job).committee();
                        Credentials voter = committee.isEmpty() ? node : chain.nodes.stream()
                                .filter(n -> n.getAddress().equalsIgnoreCase(committee.get(rng.nextInt(committee.size()))))
                                .findFirst().orElse(node);
                        chain.client(voter).evaluation().disputeEvaluation(job, rng.nextInt(2));
                    }
                    case 19 -> chain.client(trainer).evaluation().slashUndisclosed(job);
                    case 20 -> chain.client(node).evaluation().releaseBond(job);
                    default -> chain.client(List.of(chain.evaluator, trainer, chain.owner).get(rng.nextInt(3)))
                            .market().postRoundResult(job, new byte[32], rng.nextInt(1_000_001),
                                    equalShares(chain.admin.market().attempt(job).included().size()));
                }
                accepted++;
            } catch (ChainRevertException e) {
                refused++;
            }
            checkConservation(jobs, deposited, claimed, step);
        }
        // driven jobs still waiting for their evaluator: past the result deadline anyone closes the round
        // (one more is driven now if the random evaluator answered every driven round)
        if (drivenJobs.stream().noneMatch(id -> chain.admin.market().job(id).status() == JobState.Status.ACTIVE
                && chain.admin.market().attempt(id).phase() == AttemptState.Phase.AGGREGATED)) {
            String token = feeTokens.getFirst();
            JobParams p = chain.terms().withFee(token, tokens(200)).withTrainers(2, 3).params();
            ChainClient owner = chain.client(chain.owner);
            BigInteger before = owner.token().balanceOf(token, chain.owner.getAddress());
            BigInteger id = owner.market().createJob(p, owner.market().signJob(p, chain.owner));
            jobs.add(id);
            drivenJobs.add(id);
            deposited.merge(token, deposit(id, token, before), BigInteger::add);
            drive(id, STEPS, rng);
            checkConservation(jobs, deposited, claimed, STEPS);
        }
        int timedOut = 0;
        for (BigInteger id : drivenJobs) {
            if (chain.admin.market().job(id).status() == JobState.Status.ACTIVE && chain.admin.market().attempt(id).phase() == AttemptState.Phase.AGGREGATED) {
                chain.passTime(chain.admin.market().resultDeadline(id));
                chain.client(chain.trainers.get(4)).market().advance(id);
                assertEquals(JobState.Status.FAILED, chain.admin.market().job(id).status());
                timedOut++;
                checkConservation(jobs, deposited, claimed, STEPS);
            }
        }
        // every ended job's bond is settled: released after the dispute window, or slashed when its committed set
        // was never disclosed
        int settled = 0;
        for (BigInteger id : jobs) {
            EvaluationClient.Evaluation ev = chain.admin.evaluation().evaluation(id);
            if (ev.bondState() != EvaluationClient.BondState.HELD) {
                settled++;
            } else if (ev.bond().signum() > 0 && chain.admin.market().job(id).status().compareTo(JobState.Status.ACTIVE) > 0) {
                chain.passTime(ev.disputeDeadline());
                boolean committed = new BigInteger(1, chain.admin.market().jobParams(id).validationCommitment).signum() != 0;
                if (committed && !ev.disclosed()) {
                    chain.admin.evaluation().slashUndisclosed(id);
                } else {
                    chain.admin.evaluation().releaseBond(id);
                }
                assertTrue(chain.admin.evaluation().evaluation(id).bondState() != EvaluationClient.BondState.HELD);
            }
            checkConservation(jobs, deposited, claimed, STEPS);
        }
        // everyone claims what they are owed (nodes too: they are paid on C_A's opening): the market then holds
        // exactly the remaining escrow and the bonds of live jobs
        List<Credentials> everyone = new ArrayList<>(claimants);
        everyone.addAll(chain.nodes);
        for (Credentials who : everyone) {
            for (String token : feeTokens) {
                ChainClient c = chain.client(who);
                if (c.market().claimable(who.getAddress(), token).signum() > 0) {
                    BigInteger before = c.token().balanceOf(token, who.getAddress());
                    c.market().claim(token);
                    claimed.merge(token, c.token().balanceOf(token, who.getAddress()).subtract(before), BigInteger::add);
                }
            }
        }
        checkConservation(jobs, deposited, claimed, STEPS);
        for (String token : feeTokens) {
            assertEquals(BigInteger.ZERO, chain.admin.market().totalOwed(token));
        }
        assertTrue(accepted > STEPS / 5, "accepted " + accepted);
        assertTrue(refused > STEPS / 10, "refused " + refused);
        assertTrue(jobs.stream().anyMatch(j -> chain.admin.market().job(j).status() == JobState.Status.FAILED), "some job ran out of attempts");
        assertTrue(claimed.values().stream().anyMatch(v -> v.signum() > 0), "some refund was claimed");
        assertTrue(driven > 0, "some job was played with real openings up to its result");
        assertTrue(timedOut > 0, "some round was closed after its evaluator's deadline");
        assertTrue(settled > 0, "some bond was settled during the random sequence");
        assertTrue(jobs.stream().anyMatch(j -> chain.admin.evaluation().evaluation(j).creationFee().signum() > 0),
                "creation fees were charged");
    }

    /** Plain terms, an owner that evaluates itself with a bond, or one committed to its own validation set. */
    private static TestChain.Terms evaluation(TestChain.Terms terms, SplittableRandom rng) {
        BigInteger bond = terms.fee().divide(BigInteger.TEN);
        return switch (rng.nextInt(3)) {
            case 0 -> terms;
            case 1 -> terms.withEvaluation(chain.owner.getAddress(), new byte[32], bond);
            default -> terms.withEvaluation(rng.nextBoolean() ? chain.owner.getAddress() : terms.evaluator(),
                    JobSignature.validationCommitment(BUNDLE, KEY), bond.add(BigInteger.valueOf(rng.nextInt(1_000))));
        };
    }

    /**
     * What creating job {@code id} took from its owner (its balance before was {@code before}), checked against the
     * job's views: escrow + creation fee + bond.
     */
    private static BigInteger deposit(BigInteger id, String token, BigInteger before) {
        BigInteger taken = before.subtract(chain.admin.token().balanceOf(token, chain.owner.getAddress()));
        EvaluationClient.Evaluation ev = chain.admin.evaluation().evaluation(id);
        assertEquals(taken, chain.admin.market().job(id).escrowed().add(ev.creationFee()).add(ev.bond()),
                "job " + id + ": the owner paid escrow + creation fee + bond");
        return taken;
    }

    /** Two trainers join job {@code id} and the protocol library plays its round up to the opening of C_A. */
    private static void drive(BigInteger id, long seed, SplittableRandom rng) {
        for (int j = 0; j < 2; j++) {
            chain.client(chain.trainers.get(j)).market().join(id);
        }
        RoundDriver round = new RoundDriver(chain, id, seed);
        for (int j = 0; j < 2; j++) {
            chain.increaseTime(1 + rng.nextInt(60));
            round.commit(chain.trainers.get(j), 1 + rng.nextInt(1000));
        }
        chain.passTime(chain.admin.market().attempt(id).complaintDeadline());
        for (int k = 1; k <= 3; k++) {
            round.open(k, List.of());
        }
        for (int k = 1; k <= 3; k++) {
            round.reveal(k);
        }
        chain.passTime(chain.admin.market().attempt(id).openingDeadline());
        round.openResult(chain.admin, List.of(1, 3), List.of());
    }

    /** Accuracy shares (ppm) split equally among {@code n} trainers, the remainder to the first. */
    private static List<BigInteger> equalShares(int n) {
        List<BigInteger> shares = new ArrayList<>();
        for (int j = 0; j < n; j++) {
            shares.add(BigInteger.valueOf(1_000_000 / n + (j == 0 ? 1_000_000 % n : 0)));
        }
        return shares;
    }

    private static void checkConservation(List<BigInteger> jobs, Map<String, BigInteger> deposited,
                                          Map<String, BigInteger> claimed, int step) {
        Map<String, BigInteger> remaining = new HashMap<>();
        for (BigInteger job : jobs) {
            JobState s = chain.admin.market().job(job);
            BigInteger left = chain.admin.market().remaining(job);
            assertEquals(s.escrowed(), s.paid().add(s.refunded()).add(left), "job " + job + " at step " + step);
            assertTrue(left.signum() >= 0);
            EvaluationClient.Evaluation ev = chain.admin.evaluation().evaluation(job);
            assertNotNull(ev.bondState());
            remaining.merge(chain.admin.market().jobParams(job).feeToken.toLowerCase(), left.add(ev.bondHeld()), BigInteger::add);
        }
        for (String token : feeTokens) {
            BigInteger balance = chain.admin.token().balanceOf(token, chain.addresses.market());
            BigInteger owed = chain.admin.market().totalOwed(token);
            assertEquals(balance, remaining.getOrDefault(token.toLowerCase(), BigInteger.ZERO).add(owed),
                    "market balance of " + token + " at step " + step);
            assertEquals(deposited.get(token), balance.add(claimed.get(token)), "deposits at step " + step);
        }
    }
}
