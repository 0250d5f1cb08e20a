package io.zkpfl.contracts.bench;

import io.zkpfl.contracts.ChainClient;
import io.zkpfl.contracts.RoundDriver;
import io.zkpfl.contracts.RoundEvidence;
import io.zkpfl.contracts.StmtProver;
import io.zkpfl.contracts.TestChain;
import io.zkpfl.zk.bn254.Fr;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * Gas of every contract operation and of one whole round with 8 trainers and 3 nodes (m = 3, t = 2), on
 * Anvil, with zk-core's real SharesStatement(D, m) and Stmt(D) proofs and generated verifiers, plus each
 * verification batch on its own. Prints Markdown tables.
 *
 * <p>Run: see the commands in docs/benchmarks.md ("staking-contracts: gas of a round"): the reactor builds the upstream modules with
 * {@code -am}, then the bench runs on their classes; nothing is installed.
 */
public final class RoundGasBench {

    private static final int D = 4;
    private static final int TRAINERS = 8;

    public static void main(String[] args) throws Exception {
        try (TestChain chain = TestChain.start(3, TRAINERS)) {
            StmtProver prover = new StmtProver(D, chain.terms().committeeSize(), 7);
            String verifier = prover.deployVerifier(chain.web3j, chain.anvil.chainId(), chain.adminKey);
            chain.admin.setVerifier(D, verifier);
            String sharesVerifier = prover.deploySharesVerifier(chain.web3j, chain.anvil.chainId(), chain.adminKey);
            chain.admin.setSharesVerifier(D, prover.m, sharesVerifier);

            Map<String, List<Long>> setup = new java.util.LinkedHashMap<>();
            TestChain.Terms terms = chain.terms().withBucket(D).withTrainers(2, TRAINERS);
            ChainClient owner = chain.client(chain.owner);
            owner.approve(terms.feeToken(), chain.addresses.market(), terms.fee());
            var p = terms.params();
            TransactionReceipt created = owner.createJobReceipt(p, owner.signJob(p, chain.owner));
            setup.put("createJob (signature, escrow, committee draw, open)", List.of(created.getGasUsed().longValue()));
            BigInteger job = chain.admin.jobCount();
            for (Credentials trainer : chain.trainers) {
                setup.computeIfAbsent("join", k -> new ArrayList<>())
                        .add(chain.client(trainer).join(job).getGasUsed().longValue());
            }

            RoundDriver round = new RoundDriver(chain, prover, job);
            for (Credentials trainer : chain.trainers) {
                round.commitShares(trainer, 0);
            }
            round.commitPartials(Map.of());
            Fr rho = round.challenge();
            RoundDriver.Certificate cert = round.fingerprints(rho);
            RoundEvidence ev = cert.evidence();
            int sharesInputs = 2 + 2 * prover.m;
            long verifyOneStmt = verify(chain, verifier, ev.stmtProofs().subList(0, 8), cert.stmtInputs().subList(0, 4));
            long verifyStmt = verify(chain, verifier, ev.stmtProofs(), cert.stmtInputs());
            long verifyOneShares = verify(chain, sharesVerifier, ev.sharesProofs().subList(0, 8),
                    cert.sharesInputs().subList(0, sharesInputs));
            long verifyShares = verify(chain, sharesVerifier, ev.sharesProofs(), cert.sharesInputs());
            round.certify(cert);
            round.revealAll();
            List<BigInteger> shares = new ArrayList<>();
            for (int i = 0; i < TRAINERS; i++) {
                shares.add(BigInteger.valueOf(125_000));
            }
            round.record("postRoundResult (8 trainers)",
                    chain.client(chain.evaluator).postRoundResult(job, new byte[32], 500_000, shares));
            Map<String, List<Long>> after = new java.util.LinkedHashMap<>();
            after.put("claim", List.of(chain.client(chain.trainers.getFirst()).claim(chain.addresses.token())
                    .getGasUsed().longValue()));

            System.out.println("| operation | calls | gas per call | gas total |");
            System.out.println("| --- | ---: | ---: | ---: |");
            long roundTotal = 0;
            print(setup);
            for (var e : round.gas.entrySet()) {
                roundTotal += e.getValue().stream().mapToLong(Long::longValue).sum();
            }
            print(round.gas);
            print(after);
            System.out.printf("| **whole round** (8 trainers, 3 nodes: commitShares…postRoundResult) | | | **%,d** |%n",
                    roundTotal);
            System.out.printf("%n| verification (eth_estimateGas incl. 21,000 base and calldata) | gas | per proof |%n");
            System.out.println("| --- | ---: | ---: |");
            System.out.printf("| verifyBatch, 1 Stmt(D) proof (4 public inputs) | %,d | %,d |%n", verifyOneStmt, verifyOneStmt);
            System.out.printf("| verifyBatch, 1 SharesStatement(D, %d) proof (%d public inputs) | %,d | %,d |%n", prover.m,
                    sharesInputs, verifyOneShares, verifyOneShares);
            System.out.printf("| verifyBatch, %d SharesStatement proofs (one per trainer) | %,d | %,d |%n",
                    cert.sharesProofs(), verifyShares, verifyShares / cert.sharesProofs());
            System.out.printf("| verifyBatch, %d Stmt(D) proofs (the partials) | %,d | %,d |%n", cert.stmtProofs(),
                    verifyStmt, verifyStmt / cert.stmtProofs());
            int proofs = cert.sharesProofs() + cert.stmtProofs();
            long snark = (207_000L + 7_200 * sharesInputs) * cert.sharesProofs() + (207_000L + 7_200 * 4) * cert.stmtProofs();
            System.out.printf("| snarkjs' verifier (207,000 + 7,200 per input), %d separate proofs | ≈ %,d | ≈ %,d |%n",
                    proofs, snark, snark / proofs);
        }
    }

    private static long verify(TestChain chain, String verifier, List<BigInteger> proofs, List<BigInteger> inputs)
            throws Exception {
        return estimate(chain, verifier, FunctionEncoder.encode(new Function("verifyBatch",
                List.of(new DynamicArray<>(Uint256.class, proofs.stream().map(Uint256::new).toList()),
                        new DynamicArray<>(Uint256.class, inputs.stream().map(Uint256::new).toList())),
                List.of())));
    }

    private static void print(Map<String, List<Long>> gas) {
        for (var e : gas.entrySet()) {
            long total = e.getValue().stream().mapToLong(Long::longValue).sum();
            System.out.printf("| %s | %d | %,d | %,d |%n", e.getKey(), e.getValue().size(), total / e.getValue().size(),
                    total);
        }
    }

    private static long estimate(TestChain chain, String to, String data) throws Exception {
        var r = chain.web3j.ethEstimateGas(Transaction.createEthCallTransaction(chain.adminKey.getAddress(), to, data))
                .send();
        if (r.hasError()) {
            throw new IllegalStateException(r.getError().getMessage());
        }
        return r.getAmountUsed().longValue();
    }
}
