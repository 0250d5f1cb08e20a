package io.zkpfl.contracts.bench;

import io.zkpfl.contracts.ChainClient;
import io.zkpfl.contracts.JobSignature;
import io.zkpfl.contracts.PlatformConfig;
import io.zkpfl.contracts.RoundDriver;
import io.zkpfl.contracts.TestChain;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    public static void main(String[] args) throws Exception {
        try (TestChain chain = TestChain.start(3, TRAINERS)) {
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

            RoundDriver round = new RoundDriver(chain, job, 2026);
            for (Credentials trainer : chain.trainers) {
                round.commit(trainer, 500);
            }
            chain.passTime(chain.admin.market().attempt(job).complaintDeadline());
            round.openBatched(round.node(1), List.of(1, 2, 3), List.of());
            for (int k = 1; k <= 3; k++) {
                round.reveal(k);
            }
            chain.passTime(chain.admin.market().attempt(job).openingDeadline());
            round.record("openResult (C_A opened, 3 nodes paid)",
                    round.openResult(chain.client(chain.trainers.getFirst()), List.of(1, 2), List.of()));
            List<BigInteger> shares = new ArrayList<>();
            for (int i = 0; i < TRAINERS; i++) {
                shares.add(BigInteger.valueOf(125_000));
            }
            round.record("postRoundResult (8 trainers paid, next round opened)",
                    chain.client(chain.evaluator).market().postRoundResult(job, new byte[32], 500_000, shares));

            // round 1: the same openings posted one by one, for comparison (not part of the total)
            RoundDriver lone = new RoundDriver(chain, job, 2027);
            lone.commit(chain.trainers.get(0), 500);
            lone.commit(chain.trainers.get(1), 500);
            chain.passTime(chain.admin.market().attempt(job).complaintDeadline());
            for (int k = 1; k <= 3; k++) {
                lone.open(k, List.of());
            }
            Map<String, List<Long>> after = new LinkedHashMap<>();
            after.put("claim", List.of(chain.client(chain.trainers.getFirst()).market().claim(chain.addresses.token())
                    .getGasUsed().longValue()));
            after.put("postOpening, one node alone (for comparison)", lone.gas.get("postOpening (one node)"));

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

            System.out.println("| operation | calls | gas per call | gas total |");
            System.out.println("| --- | ---: | ---: | ---: |");
            print(setup);
            long roundTotal = 0;
            for (var e : round.gas.entrySet()) {
                roundTotal += e.getValue().stream().mapToLong(Long::longValue).sum();
            }
            print(round.gas);
            print(after);
            System.out.printf("| **whole round** (8 trainers, m = 3, t = 2: commitRound…postRoundResult) | | | **%,d** |%n",
                    roundTotal);
        }
    }

    private static void print(Map<String, List<Long>> gas) {
        for (var e : gas.entrySet()) {
            long total = e.getValue().stream().mapToLong(Long::longValue).sum();
            System.out.printf("| %s | %d | %,d | %,d |%n", e.getKey(), e.getValue().size(), total / e.getValue().size(),
                    total);
        }
    }
}
