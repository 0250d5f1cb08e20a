package io.zkpfl.contracts.bench;

import io.zkpfl.contracts.ChainClient;
import io.zkpfl.contracts.RoundDriver;
import io.zkpfl.contracts.StmtProver;
import io.zkpfl.contracts.TestChain;
import io.zkpfl.zk.bn254.Fr;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Gas of every contract operation and of one whole round with 8 trainers and 3 nodes (m = 3, t = 2), on
 * Anvil, with zk-core's real Stmt(D) proofs and generated verifier. Prints a Markdown table.
 *
 * <p>Run: {@code ./mvnw -B -pl staking-contracts exec:java -Dexec.mainClass=io.zkpfl.contracts.bench.RoundGasBench
 * -Dexec.classpathScope=test} (after {@code install -DskipTests} of the module and its dependencies).
 */
public final class RoundGasBench {

    private static final int D = 4;
    private static final int TRAINERS = 8;

    public static void main(String[] args) throws Exception {
        try (TestChain chain = TestChain.start(3, TRAINERS)) {
            StmtProver prover = new StmtProver(D, 7);
            String verifier = prover.deployVerifier(chain.web3j, chain.anvil.chainId(), chain.adminKey);
            chain.admin.setVerifier(D, verifier);

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
            long verifyOne = estimate(chain, verifier, FunctionEncoder.encode(new Function("verifyBatch",
                    List.of(new DynamicArray<>(Uint256.class, cert.proofs().subList(0, 8).stream().map(Uint256::new).toList()),
                            new DynamicArray<>(Uint256.class, cert.inputs().subList(0, 4).stream().map(Uint256::new).toList())),
                    List.of())));
            long verifyBatch = estimate(chain, verifier, FunctionEncoder.encode(new Function("verifyBatch",
                    List.of(new DynamicArray<>(Uint256.class, cert.proofs().stream().map(Uint256::new).toList()),
                            new DynamicArray<>(Uint256.class, cert.inputs().stream().map(Uint256::new).toList())),
                    List.of())));
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
            int proofs = cert.ys().size();
            System.out.printf("%nverifyBatch, 1 Stmt(D) proof (4 public inputs), eth_estimateGas incl. 21,000 base and calldata: %,d%n",
                    verifyOne);
            System.out.printf("verifyBatch, %d proofs, eth_estimateGas incl. 21,000 base and calldata: %,d (%,d per proof)%n",
                    proofs, verifyBatch, verifyBatch / proofs);
            System.out.printf("snarkjs verifier estimate: 207,000 + 7,200 x 4 = %,d per proof, x %d = %,d%n",
                    207_000 + 7_200 * 4, proofs, (207_000L + 7_200 * 4) * proofs);
        }
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
