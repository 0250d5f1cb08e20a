package io.zkpfl.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.zkpfl.protocol.round.ResultBinding;
import io.zkpfl.protocol.vss.CommitmentSums;
import io.zkpfl.protocol.vss.Dealing;
import io.zkpfl.protocol.vss.Reconstruction;
import io.zkpfl.protocol.vss.Share;
import io.zkpfl.protocol.vss.VssDealer;
import io.zkpfl.protocol.vss.VssParameters;
import io.zkpfl.zk.bn254.Fr;
import io.zkpfl.zk.bn254.G1;
import io.zkpfl.zk.kzg.Kzg;
import io.zkpfl.zk.kzg.Opening;
import io.zkpfl.zk.solidity.KzgSolidityVerifier;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * Plays one attempt of a v2 round of a job on a {@link TestChain} with the protocol library: trainers deal
 * their updates with {@link VssDealer} and commit, nodes sum the shares of the included trainers and open
 * their C_k, reveals are combined with {@link Reconstruction} and A is opened at z_A. The expected commitments
 * come from {@link CommitmentSums} over the dealings, independently of the contract's running sums.
 */
public final class RoundDriver {

    static final int MODEL_LENGTH = 16;
    static final int LENGTH = 32;

    final TestChain chain;
    final BigInteger job;
    final VssParameters params;
    final List<Credentials> committee = new ArrayList<>();
    /** Gas of each call this driver made, by operation, from the receipts. */
    public final Map<String, List<Long>> gas = new LinkedHashMap<>();
    /** The first receipt of each operation {@link #record}ed. */
    public final Map<String, TransactionReceipt> receipts = new LinkedHashMap<>();
    final Map<String, Dealing> dealings = new LinkedHashMap<>();
    final Map<String, Long> samples = new LinkedHashMap<>();
    private final VssDealer dealer;
    private final SplittableRandom rng;

    public RoundDriver(TestChain chain, BigInteger job, long seed) {
        this.chain = chain;
        this.job = job;
        JobState state = chain.admin.market().job(job);
        var p = chain.admin.market().jobParams(job);
        this.params = new VssParameters(p.threshold.intValue(), p.committeeSize.intValue(), MODEL_LENGTH, LENGTH);
        this.dealer = new VssDealer(TestChain.SRS, params);
        this.rng = new SplittableRandom(seed);
        for (String a : state.committee()) {
            committee.add(chain.nodes.stream().filter(n -> n.getAddress().equalsIgnoreCase(a)).findFirst().orElseThrow());
        }
    }

    /** Node k (1-based) of the committee. */
    public Credentials node(int k) {
        return committee.get(k - 1);
    }

    /** Trainers 0, 1, … commit with these sample counts; then the chain moves past the complaint window (D2). */
    public void commitAndCloseComplaints(long... samples) {
        for (int i = 0; i < samples.length; i++) {
            commit(chain.trainers.get(i), samples[i]);
        }
        chain.passTime(chain.admin.market().attempt(job).complaintDeadline());
    }

    /** Trainer deals a random update and commits its t commitments, manifest digest and {@code n}. */
    public Dealing commit(Credentials trainer, long n) {
        Fr[] update = new Fr[MODEL_LENGTH];
        for (int j = 0; j < MODEL_LENGTH; j++) {
            update[j] = Fr.of(rng.nextLong(1L << 20));
        }
        Dealing d = dealer.deal(update, rng);
        record("commitRound", chain.client(trainer).market().commitRound(job, TestChain.words(d.commitments()), manifest(trainer), n));
        dealings.put(trainer.getAddress().toLowerCase(), d);
        samples.put(trainer.getAddress().toLowerCase(), n);
        return d;
    }

    byte[] manifest(Credentials trainer) {
        return Hash.sha3(("manifest " + job + " " + trainer.getAddress()).getBytes(StandardCharsets.UTF_8));
    }

    /** The included trainers' dealings in commit order (every committer unless {@code excluded}). */
    List<Dealing> included(List<String> excluded) {
        List<Dealing> out = new ArrayList<>();
        dealings.forEach((a, d) -> {
            if (excluded.stream().noneMatch(a::equalsIgnoreCase)) {
                out.add(d);
            }
        });
        return out;
    }

    CommitmentSums sums(List<String> excluded) {
        return CommitmentSums.of(included(excluded).stream().map(Dealing::commitments).toList());
    }

    /** S_k, b_k of the included trainers' shares. */
    Share partial(int k, List<String> excluded) {
        return Share.sum(included(excluded).stream().map(d -> d.shareFor(k)).toList());
    }

    /** Node k's opening words of C_k at z_k; asserts the contract's C_k equals the library's. */
    List<BigInteger> opening(int k, List<String> excluded) {
        MarketClient.OpeningPoint c = chain.admin.market().openingPoint(job, k);
        assertEquals(List.of(KzgSolidityVerifier.commitmentWords(List.of(sums(excluded).forNode(k)))),
                List.of(c.x(), c.y()), "C_k on chain is the sum of the included commitments at k");
        Share s = partial(k, excluded);
        Opening o = Kzg.open(TestChain.SRS, s.values(), s.blinding(), Fr.of(c.z()));
        return List.of(KzgSolidityVerifier.openingWords(List.of(o)));
    }

    /** Node k posts its own opening. */
    public void open(int k, List<String> excluded) {
        record("postOpening (one node)", chain.client(node(k)).market().postOpening(job, opening(k, excluded)));
    }

    /** {@code leader} posts the openings of {@code ks}, each signed by its node, in one transaction. */
    public void openBatched(Credentials leader, List<Integer> ks, List<String> excluded) {
        JobState state = chain.admin.market().job(job);
        List<BigInteger> words = new ArrayList<>();
        List<byte[]> sigs = new ArrayList<>();
        for (int k : ks) {
            List<BigInteger> o = opening(k, excluded);
            words.addAll(o);
            sigs.add(MarketClient.signOpening(node(k), chain.addresses.market(), chain.anvil.chainId(), job,
                    state.round(), state.attempt(), k, o));
        }
        record("postOpenings (" + ks.size() + " nodes, one pairing)", chain.client(leader).market().postOpenings(job,
                ks.stream().map(BigInteger::valueOf).toList(), words, sigs));
    }

    /** Node k announces the CID of its reveal (here the keccak of its S_k, standing in for the IPFS address). */
    public void reveal(int k) {
        record("revealPartial", chain.client(node(k)).market().revealPartial(job, revealCid(k)));
    }

    /** As {@link #reveal}, with node k's envelope key (x, y words) for the job's next round: a batch of one. */
    public TransactionReceipt revealWithKey(int k, List<BigInteger> nextKey) {
        var state = chain.admin.market().job(job);
        TransactionReceipt r = chain.client(node(k)).market().revealPartials(job, List.of(BigInteger.valueOf(k)),
                List.of(revealCid(k)), nextKey, List.of(MarketClient.signReveal(node(k), chain.addresses.market(),
                        chain.anvil.chainId(), job, state.round(), state.attempt(), k, revealCid(k), nextKey)));
        record("revealPartials (1 node, with its next key)", r);
        return r;
    }

    /** The leader posts nodes {@code ks}' reveals, each with its next-round key (or none) and its node's sign-off. */
    public void revealBatched(Credentials leader, List<Integer> ks, List<List<BigInteger>> nextKeys) {
        var state = chain.admin.market().job(job);
        List<byte[]> cids = new ArrayList<>();
        List<BigInteger> keys = new ArrayList<>();
        List<byte[]> sigs = new ArrayList<>();
        for (int j = 0; j < ks.size(); j++) {
            int k = ks.get(j);
            cids.add(revealCid(k));
            keys.addAll(nextKeys.get(j));
            sigs.add(MarketClient.signReveal(node(k), chain.addresses.market(), chain.anvil.chainId(), job, state.round(),
                    state.attempt(), k, revealCid(k), nextKeys.get(j)));
        }
        record("revealPartials (" + ks.size() + " nodes, with their next keys)", chain.client(leader).market().revealPartials(job,
                ks.stream().map(BigInteger::valueOf).toList(), cids, keys, sigs));
    }

    private byte[] revealCid(int k) {
        return Hash.sha3(("reveal " + job + " " + k).getBytes(StandardCharsets.UTF_8));
    }

    /** {@code keccak256(A ‖ b_A)} and the five words of C_A's opening at the point bound to it. */
    public record ResultOpening(byte[] aggregateHash, List<BigInteger> words) {
    }

    /**
     * A from the reveals of {@code ks} (checked by the library against C_k and C_A), its commitment asserted equal
     * to the contract's C_A, its hash, and the opening of C_A at the z_A the contract derives from that hash (asserted
     * equal to the library's {@link ResultBinding#point}).
     */
    public ResultOpening resultOpening(List<Integer> ks, List<String> excluded) {
        CommitmentSums sums = sums(excluded);
        Reconstruction rec = new Reconstruction(TestChain.SRS, params, sums);
        Share a = rec.combine(ks.stream().map(k -> partial(k, excluded)).toList());
        byte[] hash = ResultBinding.aggregateHash(a);
        MarketClient.OpeningPoint ca = chain.admin.market().resultPoint(job, hash);
        G1 committed = Kzg.commit(TestChain.SRS, a.values(), a.blinding());
        assertEquals(List.of(KzgSolidityVerifier.commitmentWords(List.of(committed))), List.of(ca.x(), ca.y()),
                "Com(A; b_A) is the contract's C_A");
        assertEquals(ResultBinding.point(committed, chain.admin.market().job(job).attempt(), hash), Fr.of(ca.z()),
                "the contract binds z_A to C_A, the attempt and the hash as the library does");
        Opening o = Kzg.open(TestChain.SRS, a.values(), a.blinding(), Fr.of(ca.z()));
        return new ResultOpening(hash, List.of(KzgSolidityVerifier.openingWords(List.of(o))));
    }

    /** {@code by} posts the opening of C_A from the reveals of {@code ks}. */
    public TransactionReceipt openResult(ChainClient by, List<Integer> ks, List<String> excluded) {
        ResultOpening r = resultOpening(ks, excluded);
        return by.market().openResult(job, r.aggregateHash(), r.words());
    }

    /** Adds the gas of {@code receipt} under {@code operation}. */
    public void record(String operation, TransactionReceipt receipt) {
        gas.computeIfAbsent(operation, o -> new ArrayList<>()).add(receipt.getGasUsed().longValue());
        receipts.putIfAbsent(operation, receipt);
    }

    /** The included trainers' declared n_i summed. */
    long sampleSum(List<String> excluded) {
        return samples.entrySet().stream().filter(e -> excluded.stream().noneMatch(e.getKey()::equalsIgnoreCase))
                .mapToLong(Map.Entry::getValue).sum();
    }
}
