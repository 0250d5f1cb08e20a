package io.zkpfl.engine.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.zkpfl.contracts.AttemptState;
import io.zkpfl.contracts.MarketClient;
import io.zkpfl.contracts.JobState;
import io.zkpfl.protocol.fixedpoint.ClipPolicy;
import io.zkpfl.protocol.fixedpoint.UpdateEncoder;
import io.zkpfl.protocol.ipfs.Cid;
import io.zkpfl.protocol.round.NextModel;
import io.zkpfl.protocol.round.Reveal;
import io.zkpfl.protocol.vss.CommitmentSums;
import io.zkpfl.protocol.vss.Dealing;
import io.zkpfl.protocol.vss.Share;
import io.zkpfl.protocol.vss.VssDealer;
import io.zkpfl.protocol.vss.VssParameters;
import io.zkpfl.zk.bn254.Fr;
import io.zkpfl.zk.kzg.Kzg;
import io.zkpfl.zk.kzg.Opening;
import io.zkpfl.zk.solidity.KzgSolidityVerifier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;

/**
 * Plays the trainers and the committee of one attempt on chain with the protocol library, as RoundDriver does in
 * staking-contracts, but with real encoded updates and real reveals added to IPFS: trainers encode a small random
 * update times n_i, deal it with VSS and commit; nodes sum the shares, open their C_k, add {@code S_k ‖ b_k} to IPFS
 * and post its CID with revealPartial.
 */
final class RoundPlayer {

    final EngineStack s;
    final BigInteger job;
    final int round;
    final int attempt;
    final VssParameters params;
    final List<Credentials> committee = new ArrayList<>();
    final Map<String, Dealing> dealings = new LinkedHashMap<>();
    final Map<Integer, Reveal> reveals = new LinkedHashMap<>();
    long sampleSum;
    private final VssDealer dealer;
    private final UpdateEncoder encoder = new UpdateEncoder(new ClipPolicy(1e6, 1.0, 60_000));
    private final SplittableRandom rng;

    RoundPlayer(EngineStack s, BigInteger job, long seed) {
        this.s = s;
        this.job = job;
        JobState state = s.admin.market().job(job);
        this.round = state.round();
        this.attempt = state.attempt();
        var p = s.admin.market().jobParams(job);
        this.params = new VssParameters(p.threshold.intValue(), p.committeeSize.intValue(),
                (int) EngineStack.SPEC.parameterCount(), p.bucket.intValue());
        this.dealer = new VssDealer(s.srs, params);
        this.rng = new SplittableRandom(seed);
        for (String a : state.committee()) {
            committee.add(s.nodes.stream().filter(n -> n.getAddress().equalsIgnoreCase(a)).findFirst().orElseThrow());
        }
    }

    Credentials node(int k) {
        return committee.get(k - 1);
    }

    /** Trainer deals a random update in [−0.05, 0.05] per weight, times {@code n}, and commits it. */
    void commit(Credentials trainer, int n) {
        commit(trainer, n, null);
    }

    /**
     * As {@link #commit(Credentials, int)}, with the trainer's share of a DP job's noise added as the trainer's
     * {@code run} adds it ({@code noise} null: none).
     */
    void commit(Credentials trainer, int n, io.zkpfl.trainer.round.UpdateNoise noise) {
        float[] delta = new float[(int) EngineStack.SPEC.parameterCount()];
        for (int j = 0; j < delta.length; j++) {
            delta[j] = (float) ((rng.nextDouble() - 0.5) * 0.1);
        }
        Dealing d = dealer.deal(noise == null ? encoder.encode(delta, n) : noise.encode(delta, n), rng);
        byte[] manifest = Hash.sha3(("manifest " + job + "/" + round + "/" + trainer.getAddress()).getBytes(StandardCharsets.UTF_8));
        s.client(trainer).market().commitRound(job, List.of(KzgSolidityVerifier.commitmentWords(d.commitments())), manifest, n);
        dealings.put(trainer.getAddress().toLowerCase(), d);
        sampleSum += n;
    }

    CommitmentSums sums() {
        return CommitmentSums.of(dealings.values().stream().map(Dealing::commitments).toList());
    }

    Share partial(int k) {
        return Share.sum(dealings.values().stream().map(d -> d.shareFor(k)).toList());
    }

    /** After D2: every committee node opens its C_k (asserting the chain's C_k is the library's sum). */
    void openAll() {
        s.passTime(s.admin.market().attempt(job).complaintDeadline());
        for (int k = 1; k <= committee.size(); k++) {
            MarketClient.OpeningPoint c = s.admin.market().openingPoint(job, k);
            assertEquals(List.of(KzgSolidityVerifier.commitmentWords(List.of(sums().forNode(k)))), List.of(c.x(), c.y()));
            Share sh = partial(k);
            Opening o = Kzg.open(s.srs, sh.values(), sh.blinding(), Fr.of(c.z()));
            s.client(node(k)).market().postOpening(job, List.of(KzgSolidityVerifier.openingWords(List.of(o))));
        }
        assertEquals(AttemptState.Phase.CERTIFIED, s.admin.market().attempt(job).phase());
    }

    /** Node k adds its reveal to IPFS and posts the CID; {@code tamper} adds 1 to S_k's first coordinate. */
    void reveal(int k, boolean tamper) {
        Share sh = partial(k);
        if (tamper) {
            Fr[] v = sh.values().clone();
            v[0] = v[0].add(Fr.ONE);
            sh = new Share(k, v, sh.blinding());
        }
        Reveal r = new Reveal(job, round, attempt, sh);
        try {
            Cid cid = s.ipfs.add(r.toBytes());
            s.client(node(k)).market().revealPartial(job, cid.toBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        reveals.put(k, r);
    }

    /** w' as the protocol library computes it from this player's own reveals and sums. */
    NextModel.Result expected(float[] current) {
        return new NextModel(s.srs, params).compute(job, round, attempt, sums(), new ArrayList<>(reveals.values()), current,
                BigInteger.valueOf(sampleSum));
    }
}
