package io.zkpfl.contracts.bench;

import io.zkpfl.contracts.RoundDriver;
import io.zkpfl.contracts.TestChain;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Gas, from receipts on Anvil, of the leader's {@code postOpenings} with all m = 3 openings before D2 (early
 * certification, docs/adr/0110-early-certification.md: it also checks every committed trainer for votes and
 * complaints and moves D2..D4) against the same batch after D2, for 2, 8 and 16 committed trainers; one job per
 * trainer count, round 0 certified early and round 1 after D2. Prints a Markdown table.
 *
 * <p>Run: see docs/benchmarks.md ("Early certification: gas of the batch before D2"); nothing is installed.
 */
public final class EarlyCertificationGasBench {

    public static void main(String[] args) throws Exception {
        int[] counts = {2, 8, 16};
        int most = counts[counts.length - 1];
        try (TestChain chain = TestChain.start(3, most)) {
            System.out.println("| trainers committed | postOpenings before D2 (early) | after D2 | difference |");
            System.out.println("| ---: | ---: | ---: | ---: |");
            for (int n : counts) {
                TestChain.Terms terms = chain.terms().withTrainers(2, most);
                BigInteger job = chain.createJob(terms);
                for (int i = 0; i < n; i++) {
                    chain.client(chain.trainers.get(i)).market().join(job);
                }
                RoundDriver early = new RoundDriver(chain, job, 100 + n);
                for (int i = 0; i < n; i++) {
                    early.commit(chain.trainers.get(i), 500);
                }
                chain.increaseTime(1);
                long earlyGas = batch(chain, early, job);
                for (int k = 1; k <= 3; k++) {
                    early.reveal(k);
                }
                early.openResult(chain.client(chain.trainers.getFirst()), List.of(1, 2), List.of());
                List<BigInteger> shares = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    shares.add(BigInteger.valueOf(1_000_000 / n + (i < 1_000_000 % n ? 1 : 0)));
                }
                chain.client(chain.evaluator).market().postRoundResult(job, new byte[32], 100_000, shares);

                RoundDriver late = new RoundDriver(chain, job, 200 + n);
                for (int i = 0; i < n; i++) {
                    late.commit(chain.trainers.get(i), 500);
                }
                chain.passTime(chain.admin.market().attempt(job).complaintDeadline());
                long lateGas = batch(chain, late, job);
                System.out.printf("| %d | %,d | %,d | %+,d (%.1f %%) |%n", n, earlyGas, lateGas, earlyGas - lateGas,
                        100.0 * (earlyGas - lateGas) / lateGas);
            }
        }
    }

    /** Node 1 posts the three nodes' signed openings (RoundDriver.openBatched); the gas of the call. */
    private static long batch(TestChain chain, RoundDriver round, BigInteger job) {
        round.openBatched(round.node(1), List.of(1, 2, 3), List.of());
        return round.gas.get("postOpenings (3 nodes, one pairing)").getLast();
    }
}
