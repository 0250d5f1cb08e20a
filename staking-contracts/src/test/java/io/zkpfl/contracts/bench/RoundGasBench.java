package io.zkpfl.contracts.bench;

import io.zkpfl.contracts.ChainClient;
import io.zkpfl.contracts.JobSignature;
import io.zkpfl.contracts.PlatformConfig;
import io.zkpfl.contracts.RoundDriver;
import io.zkpfl.contracts.TestChain;
import io.zkpfl.devstack.chain.AnvilOptions;
import io.zkpfl.protocol.envelope.NodeRoundKey;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * Gas, from receipts on Anvil, of every call of one whole v2 round with 8 trainers and a committee of m = 3,
 * t = 2 (commitments summed on chain, the three openings batched by the leader into one KZG check with the
 * exported verifier, three reveals, the opening of C_A, the evaluator's result), and of a lone node's opening.
 * Driven by the protocol library as the ITs are. Prints a Markdown table.
 *
 * <p>Run: see docs/benchmarks.md ("staking-contracts: gas of a v2 round"); nothing is installed.
 */
public final class RoundGasBench {

    private static final int TRAINERS = 8;
    private static final String KEYS = "postRoundKey (each node's envelope key for the round)";

    public static void main(String[] args) throws Exception {
        try (TestChain chain = TestChain.start(3, TRAINERS, AnvilOptions.defaults().withStepsTracing())) {
            // the dev platform's economics: 1 % creation fee to the treasury, 10 % minimum owner bond
            chain.admin.evaluation().setEconomics(chain.admin.address(), PlatformConfig.Economics.DEV);
            Map<String, List<Long>> setup = new LinkedHashMap<>();
            TestChain.Terms terms = chain.terms().withTrainers(2, TRAINERS);
            ChainClient owner = chain.client(chain.owner);
            owner.token().approve(terms.feeToken(), chain.addresses.market(), terms.fee());
            var p = terms.params();
            TransactionReceipt created = owner.market().createJobReceipt(p, owner.market().signJob(p, chain.owner));
            setup.put("createJob (signature, escrow, creation fee, pool snapshot)", List.of(created.getGasUsed().longValue()));
            setup.put("drawCommittee (draw, locks, open)", List.of(owner.market().drawCommittee(created).getGasUsed().longValue()));
            BigInteger job = chain.admin.market().jobCount();
            for (Credentials trainer : chain.trainers) {
                setup.computeIfAbsent("join", k -> new ArrayList<>())
                        .add(chain.client(trainer).market().join(job).getGasUsed().longValue());
            }

            // round 0: every slot the round writes is written for the first time on this job; the nodes post their
            // round-0 keys on their own
            RoundDriver round = wholeRound(chain, job, 2026, true);
            // round 1, the steady state: the same trainers and nodes, slots already written by round 0, the nodes'
            // keys came with their round-0 reveals
            RoundDriver steady = wholeRound(chain, job, 2027, false);

            // round 2: the same openings posted one by one, for comparison (not part of the totals)
            RoundDriver lone = new RoundDriver(chain, job, 2028);
            lone.commit(chain.trainers.get(0), 500);
            lone.commit(chain.trainers.get(1), 500);
            chain.passTime(chain.admin.market().attempt(job).complaintDeadline());
            for (int k = 1; k <= 3; k++) {
                lone.open(k, List.of());
            }
            for (int k = 1; k <= 3; k++) {
                lone.reveal(k); // the job's last round: no next key to carry
            }
            Map<String, List<Long>> after = new LinkedHashMap<>();
            after.put("claim", List.of(chain.client(chain.trainers.getFirst()).market().claim(chain.addresses.token())
                    .getGasUsed().longValue()));
            after.put("postOpening, one node alone (for comparison)", lone.gas.get("postOpening (one node)"));
            after.put("revealPartial without a key (the job's last round)", lone.gas.get("revealPartial"));

            // an owner that evaluates itself on its own committed set, with 8 groups: the bond's life
            byte[] bundle = org.web3j.crypto.Hash.sha3(new byte[] {1});
            byte[] key = org.web3j.crypto.Hash.sha3(new byte[] {2});
            TestChain.Terms bonded = chain.terms().withTrainers(2, TRAINERS).withEvaluation(chain.owner.getAddress(),
                    JobSignature.validationCommitment(bundle, key), terms.fee().divide(BigInteger.TEN));
            owner.token().approve(bonded.feeToken(), chain.addresses.market(), bonded.fee().add(bonded.evaluatorBond()));
            var bp = bonded.params();
            TransactionReceipt bondedCreated = owner.market().createJobReceipt(bp, owner.market().signJob(bp, chain.owner));
            after.put("createJob with an owner's bond and a committed validation set",
                    List.of(bondedCreated.getGasUsed().longValue()));
            owner.market().drawCommittee(bondedCreated);
            BigInteger bondedJob = chain.admin.market().jobCount();
            owner.market().stopJob(bondedJob);
            after.put("discloseValidation", List.of(owner.evaluation().discloseValidation(bondedJob, bundle, key,
                    "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi".getBytes()).getGasUsed().longValue()));
            chain.passTime(chain.admin.evaluation().evaluation(bondedJob).disputeDeadline());
            after.put("releaseBond", List.of(owner.evaluation().releaseBond(bondedJob).getGasUsed().longValue()));

            System.out.println("| operation | calls | gas per call, round 0 | gas per call, round 1 |");
            System.out.println("| --- | ---: | ---: | ---: |");
            for (var e : setup.entrySet()) {
                System.out.printf("| %s | %d | %,d | |%n", e.getKey(), e.getValue().size(), mean(e.getValue()));
            }
            for (var e : round.gas.entrySet()) {
                List<Long> later = steady.gas.get(e.getKey());
                System.out.printf("| %s | %d | %,d | %s |%n", e.getKey(), e.getValue().size(), mean(e.getValue()),
                        later == null ? "none (keys came with the reveals)" : String.format("%,d", mean(later)));
            }
            for (var e : after.entrySet()) {
                System.out.printf("| %s | %d | %,d | |%n", e.getKey(), e.getValue().size(), mean(e.getValue()));
            }
            System.out.printf("| **whole round** (8 trainers, m = 3, t = 2, the nodes' envelope keys included) | | **%,d** | **%,d** |%n",
                    total(round.gas), total(steady.gas));

            System.out.println();
            System.out.println("Round 1, one call of each step, by what the gas paid for (debug_traceTransaction):");
            System.out.println();
            System.out.println("| step | " + String.join(" | ", GasTrace.CATEGORIES) + " |");
            System.out.println("| --- |" + " ---: |".repeat(GasTrace.CATEGORIES.length));
            for (var e : steady.receipts.entrySet()) {
                Map<String, Long> by = GasTrace.of(chain.anvil, chain.web3j, e.getValue());
                System.out.println("| " + e.getKey() + " | " + String.join(" | ",
                        by.values().stream().map(v -> String.format("%,d", v)).toList()) + " |");
            }
        }
    }

    /** One whole round of all trainers: commits, the leader's batch of three openings, reveals, C_A, the result. */
    private static RoundDriver wholeRound(TestChain chain, BigInteger job, long seed, boolean postKeys) throws Exception {
        RoundDriver round = new RoundDriver(chain, job, seed);
        SplittableRandom rng = new SplittableRandom(seed);
        for (int k = 1; k <= 3 && postKeys; k++) {
            round.record(KEYS, chain.client(round.node(k)).market().postRoundKey(job,
                    TestChain.words(List.of(NodeRoundKey.generate(rng).publicKey()))));
        }
        for (Credentials trainer : chain.trainers) {
            round.commit(trainer, 500);
        }
        chain.passTime(chain.admin.market().attempt(job).complaintDeadline());
        round.openBatched(round.node(1), List.of(1, 2, 3), List.of());
        // the Raft leader posts the three nodes' reveals, each with its key for the next round, in one transaction
        List<List<BigInteger>> keys = new ArrayList<>();
        for (int k = 1; k <= 3; k++) {
            keys.add(TestChain.words(List.of(NodeRoundKey.generate(rng).publicKey())));
        }
        round.revealBatched(round.node(1), List.of(1, 2, 3), keys);
        chain.passTime(chain.admin.market().attempt(job).openingDeadline());
        round.record("openResult (C_A opened, 3 nodes paid)",
                round.openResult(chain.client(chain.trainers.getFirst()), List.of(1, 2), List.of()));
        List<BigInteger> shares = new ArrayList<>();
        for (int i = 0; i < TRAINERS; i++) {
            shares.add(BigInteger.valueOf(125_000));
        }
        round.record("postRoundResult (8 trainers paid, next round opened)",
                chain.client(chain.evaluator).market().postRoundResult(job, new byte[32], 500_000, shares));
        return round;
    }

    private static long total(Map<String, List<Long>> gas) {
        return gas.values().stream().flatMap(List::stream).mapToLong(Long::longValue).sum();
    }

    private static long mean(List<Long> gas) {
        return gas.stream().mapToLong(Long::longValue).sum() / gas.size();
    }
}
