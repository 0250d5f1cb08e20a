package io.zkpfl.contracts;

import io.zkpfl.zk.bn254.Fr;
import io.zkpfl.zk.groth16.Proof;
import io.zkpfl.zk.solidity.Calldata;
import io.zkpfl.zk.std.poseidon.PoseidonSponge;
import io.zkpfl.zk.stmt.Fingerprint;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * Plays one attempt of the v1 round (docs/contracts.md) with real data: Shamir shares of random updates, Poseidon
 * commitments under the contract's tags, partial sums, the challenge, fingerprints with Groth16 proofs.
 * Records the gas of every transaction by operation.
 */
public final class RoundDriver {

    final TestChain chain;
    final StmtProver prover;
    public final BigInteger job;
    final int m;
    final int t;
    public final Map<String, List<Long>> gas = new LinkedHashMap<>();
    /** shares[trainer address][k-1] and their salts. */
    final Map<String, Fr[][]> shares = new HashMap<>();
    final Map<String, Fr[]> salts = new HashMap<>();
    final Map<String, Long> trainerIndex = new HashMap<>();
    final Map<String, List<BigInteger>> commitments = new HashMap<>();
    final Map<String, byte[]> manifests = new HashMap<>();
    Fr[][] partials;
    Fr[] partialSalts;

    public RoundDriver(TestChain chain, StmtProver prover, BigInteger job) {
        this.chain = chain;
        this.prover = prover;
        this.job = job;
        this.m = chain.admin.job(job).committee().size();
        this.t = chain.admin.jobParams(job).threshold.intValue();
        List<String> trainers = chain.admin.job(job).trainers();
        for (int i = 0; i < trainers.size(); i++) {
            trainerIndex.put(trainers.get(i).toLowerCase(), (long) i + 1);
        }
    }

    public void record(String operation, TransactionReceipt receipt) {
        gas.computeIfAbsent(operation, k -> new ArrayList<>()).add(receipt.getGasUsed().longValue());
    }

    Fr tag(int role, long i, long k) {
        return Fr.of(chain.admin.tag(job, role, i, k));
    }

    /** Trainer shares a random update on a random polynomial of degree t-1 ({@code skew} != 0 breaks it). */
    public void commitShares(Credentials trainer, long skew) {
        int d = prover.d;
        Fr[][] coefficients = new Fr[t][d];
        for (int c = 0; c < t; c++) {
            for (int j = 0; j < d; j++) {
                coefficients[c][j] = prover.random();
            }
        }
        long i = trainerIndex.get(trainer.getAddress().toLowerCase());
        Fr[][] x = new Fr[m][d];
        Fr[] s = new Fr[m];
        List<BigInteger> c = new ArrayList<>();
        for (int k = 1; k <= m; k++) {
            for (int j = 0; j < d; j++) {
                Fr acc = Fr.ZERO;
                for (int p = t - 1; p >= 0; p--) {
                    acc = acc.mul(Fr.of(k)).add(coefficients[p][j]);
                }
                x[k - 1][j] = acc;
            }
            if (k == m && skew != 0) {
                x[k - 1][0] = x[k - 1][0].add(Fr.of(skew));
            }
            s[k - 1] = prover.random();
            c.add(PoseidonSponge.commit(tag(ChainClient.ROLE_SHARE, i, k), s[k - 1], x[k - 1]).toBigInteger());
        }
        String key = trainer.getAddress().toLowerCase();
        byte[] manifest = TestChain.manifest(job + "/" + i + "/" + chain.admin.job(job).attempt());
        shares.put(key, x);
        salts.put(key, s);
        commitments.put(key, c);
        manifests.put(key, manifest);
        record("commitShares (m = " + m + ")", chain.client(trainer).commitShares(job, c, manifest));
    }

    /** After the complaint window: each committee node sums its shares of the included set and commits. */
    public void commitPartials(Map<Integer, Long> errors) {
        chain.passTime(chain.admin.attempt(job).complaintDeadline());
        List<String> committee = chain.admin.job(job).committee();
        partials = new Fr[m][prover.d];
        partialSalts = new Fr[m];
        boolean first = true;
        for (int k = 1; k <= m; k++) {
            Fr[] sum = new Fr[prover.d];
            java.util.Arrays.fill(sum, Fr.ZERO);
            for (String trainer : included()) {
                Fr[] x = shares.get(trainer.toLowerCase())[k - 1];
                for (int j = 0; j < prover.d; j++) {
                    sum[j] = sum[j].add(x[j]);
                }
            }
            long e = errors.getOrDefault(k, 0L);
            if (e != 0) {
                sum[prover.d - 1] = sum[prover.d - 1].add(Fr.of(e));
            }
            partials[k - 1] = sum;
            partialSalts[k - 1] = prover.random();
            BigInteger h = PoseidonSponge.commit(tag(ChainClient.ROLE_PARTIAL, 0, k), partialSalts[k - 1], sum)
                    .toBigInteger();
            Credentials node = node(committee.get(k - 1));
            TransactionReceipt r = chain.client(node).commitPartial(job, h);
            record(first ? "commitPartial (first: fixes I)" : "commitPartial", r);
            first = false;
        }
    }

    /** Address of the j-th included trainer (0-based). */
    public String includedTrainer(int j) {
        return chain.admin.attempt(job).included().get(j);
    }

    List<String> included() {
        AttemptState a = chain.admin.attempt(job);
        return a.included().isEmpty() ? a.committed() : a.included();
    }

    /** Requests and fixes the challenge after D2; returns rho. */
    public Fr challenge() {
        chain.passTime(chain.admin.attempt(job).partialDeadline());
        record("requestChallenge", chain.admin.requestChallenge(job));
        record("fixChallenge", chain.admin.fixChallenge(job));
        return Fr.of(chain.admin.attempt(job).rho());
    }

    /** Fingerprints y_ik, Y_k and their proofs, one SharesStatement proof per trainer. */
    public Certificate fingerprints(Fr rho) {
        return fingerprints(rho, Set.of());
    }

    /**
     * Fingerprints and proofs in the order certify expects; the included trainers at positions {@code split}
     * are proved share by share with Stmt(D) (the node fallback), the others with one SharesStatement proof.
     */
    public Certificate fingerprints(Fr rho, Set<Integer> split) {
        AttemptState a = chain.admin.attempt(job);
        List<BigInteger> cs = new ArrayList<>();
        List<byte[]> ms = new ArrayList<>();
        for (String trainer : a.committed()) {
            cs.addAll(commitments.get(trainer.toLowerCase()));
            ms.add(manifests.get(trainer.toLowerCase()));
        }
        List<BigInteger> ys = new ArrayList<>();
        List<Proof> sharesProofs = new ArrayList<>();
        List<Proof> stmtProofs = new ArrayList<>();
        BigInteger splitMask = BigInteger.ZERO;
        List<BigInteger> sharesInputs = new ArrayList<>();
        List<BigInteger> stmtInputs = new ArrayList<>();
        List<String> included = a.included();
        for (int j = 0; j < included.size(); j++) {
            String trainer = included.get(j).toLowerCase();
            long i = trainerIndex.get(trainer);
            Fr[][] x = shares.get(trainer);
            Fr[] s = salts.get(trainer);
            List<BigInteger> c = commitments.get(trainer);
            List<BigInteger> y = new ArrayList<>();
            for (int k = 1; k <= m; k++) {
                y.add(Fingerprint.of(rho, x[k - 1]).toBigInteger());
            }
            ys.addAll(y);
            if (split.contains(j)) {
                splitMask = splitMask.setBit(j);
                for (int k = 1; k <= m; k++) {
                    Fr tag = tag(ChainClient.ROLE_SHARE, i, k);
                    stmtProofs.add(prover.prove(tag, s[k - 1], x[k - 1], rho));
                    stmtInputs.addAll(List.of(tag.toBigInteger(), c.get(k - 1), rho.toBigInteger(), y.get(k - 1)));
                }
            } else {
                Fr base = tag(ChainClient.ROLE_SHARE, i, 0);
                sharesProofs.add(prover.proveShares(base, s, x, rho));
                sharesInputs.add(base.toBigInteger());
                sharesInputs.add(rho.toBigInteger());
                sharesInputs.addAll(c);
                sharesInputs.addAll(y);
            }
        }
        for (int k = 1; k <= m; k++) {
            Fr tag = tag(ChainClient.ROLE_PARTIAL, 0, k);
            BigInteger y = Fingerprint.of(rho, partials[k - 1]).toBigInteger();
            ys.add(y);
            stmtProofs.add(prover.prove(tag, partialSalts[k - 1], partials[k - 1], rho));
            stmtInputs.addAll(List.of(tag.toBigInteger(),
                    PoseidonSponge.commit(tag, partialSalts[k - 1], partials[k - 1]).toBigInteger(), rho.toBigInteger(), y));
        }
        return new Certificate(new RoundEvidence(cs, ms, ys, splitMask, words(sharesProofs), words(stmtProofs)),
                sharesProofs.size(), stmtProofs.size(), sharesInputs, stmtInputs);
    }

    private static List<BigInteger> words(List<Proof> proofs) {
        return proofs.isEmpty() ? List.of() : List.of(Calldata.batchProofs(proofs));
    }

    public TransactionReceipt certify(Certificate cert) {
        TransactionReceipt r = chain.admin.certify(job, cert.evidence());
        record("certify (" + cert.sharesProofs() + " SharesStatement + " + cert.stmtProofs() + " Stmt proofs)", r);
        return r;
    }

    public void revealAll() {
        List<String> committee = chain.admin.job(job).committee();
        for (int k = 1; k <= m; k++) {
            record("revealPartial", chain.client(node(committee.get(k - 1))).revealPartial(job,
                    "bafkreipartial" + k));
        }
    }

    Credentials node(String address) {
        return chain.nodes.stream().filter(n -> n.getAddress().equalsIgnoreCase(address)).findFirst().orElseThrow();
    }

    /** What certify takes, how many proofs of each circuit it carries, and (for reference) their public inputs. */
    public record Certificate(RoundEvidence evidence, int sharesProofs, int stmtProofs, List<BigInteger> sharesInputs,
                              List<BigInteger> stmtInputs) {

        public List<BigInteger> ys() {
            return evidence.ys();
        }
    }
}
