package io.zkpfl.engine.round;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.scheduler.Scheduled;
import io.zkpfl.contracts.AttemptState;
import io.zkpfl.contracts.ChainClient;
import io.zkpfl.contracts.ChainRevertException;
import io.zkpfl.contracts.JobState;
import io.zkpfl.contracts.MarketEvent;
import io.zkpfl.contracts.MarketEvents;
import io.zkpfl.contracts.generated.JobMarket;
import io.zkpfl.contracts.generated.JobMarket.JobParams;
import io.zkpfl.engine.chain.EngineChain;
import io.zkpfl.protocol.ipfs.Cid;
import io.zkpfl.protocol.ipfs.KuboClient;
import io.zkpfl.protocol.model.FlatParameters;
import io.zkpfl.protocol.model.ModelSpec;
import io.zkpfl.protocol.round.NextModel;
import io.zkpfl.protocol.round.Reveal;
import io.zkpfl.protocol.round.ResultBinding;
import io.zkpfl.protocol.vss.CommitmentSums;
import io.zkpfl.protocol.vss.VssParameters;
import io.zkpfl.zk.bn254.Fp;
import io.zkpfl.zk.bn254.Fr;
import io.zkpfl.zk.bn254.G1;
import io.zkpfl.zk.kzg.Kzg;
import io.zkpfl.zk.kzg.Opening;
import io.zkpfl.zk.kzg.Srs;
import io.zkpfl.zk.solidity.KzgSolidityVerifier;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * The evaluator's round loop (docs/protocol.md, steps 8 and 9). For each job whose {@code JobParams.evaluator} is
 * this engine's address, on every pass it reads the current attempt from the chain and acts on its phase:
 * <ul>
 *   <li>certified, {@code t} reveals posted and D3 passed: fetches the reveals from IPFS by their posted CIDs,
 *   combines {@code A} and computes {@code w'} with {@link NextModel#aggregate} (opened at the point bound to
 *   {@code keccak(A ‖ b_A)} and verified with one pairing; reveal by reveal only if that fails, skipping those that
 *   do not open {@code C_k}), stores {@code w'} and posts {@code openResult}; an opening already posted by someone
 *   else is fine (then {@code A} is checked against its ResultOpened event);</li>
 *   <li>aggregated: measures {@code w'} on the validation data, publishes its bytes to IPFS and posts
 *   {@code postRoundResult} with its keccak, the accuracy and the trainers' accuracy shares.</li>
 * </ul>
 * Every step is recorded before the next, so a restart anywhere resumes where the chain and the database say.
 */
@ApplicationScoped
public class RoundLoop {

    private static final Logger LOG = Logger.getLogger(RoundLoop.class);
    private static final long PPM = 1_000_000L;

    private final EngineChain chain;
    private final ModelStore store;
    private final RoundNotices notices;
    private final Optional<SrsSource> srs;
    private final KuboClient ipfs;
    private final Map<BigInteger, JobParams> params = new ConcurrentHashMap<>();
    private final Map<String, Boolean> announced = new ConcurrentHashMap<>();
    private final Map<String, String> lastProblem = new HashMap<>();
    private final boolean enabled;
    private final Timer evaluations;
    private final PrivacyTerms privacy;
    /** Each job's validation set: the default one or the owner's sealed set (docs/adr/0105). */
    private final ValidationSource validations;

    public RoundLoop(EngineChain chain, ModelStore store, RoundNotices notices, MeterRegistry metrics, PrivacyTerms privacy,
                     ValidationSource validations,
                     @ConfigProperty(name = "zkpfl.engine.srs-file") Optional<String> srsFile,
                     @ConfigProperty(name = "zkpfl.ipfs.api-url") String ipfsUrl,
                     @ConfigProperty(name = "zkpfl.engine.enabled", defaultValue = "true") boolean enabled) {
        this.chain = chain;
        this.store = store;
        this.notices = notices;
        this.srs = srsFile.map(f -> new SrsSource(Path.of(f)));
        this.ipfs = KuboClient.create(ipfsUrl);
        this.validations = validations;
        this.enabled = enabled;
        this.evaluations = metrics.timer("zkpfl_engine_evaluation_seconds");
        this.privacy = privacy;
        if (srs.isEmpty()) {
            LOG.warn("zkpfl.engine.srs-file is not set: the engine follows its jobs but cannot combine reveals");
        }
    }

    @Scheduled(every = "${zkpfl.engine.poll-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            delayed = "1s")
    void poll() {
        if (!enabled) {
            return;
        }
        try {
            discover();
        } catch (RuntimeException e) {
            warnOnce("discover", "looking for new jobs failed: " + e.getMessage());
            return;
        }
        for (ModelStore.JobRow job : store.activeJobs()) {
            try {
                step(job);
                lastProblem.remove(job.job().toString());
            } catch (RuntimeException e) {
                warnOnce(job.job().toString(), "job " + job.job() + ": " + e.getMessage());
            }
        }
    }

    private void warnOnce(String key, String message) {
        if (!message.equals(lastProblem.put(key, message))) {
            LOG.warn(message);
        }
    }

    /** Records every job created since the last pass, and whether this engine is its evaluator. */
    public void discover() {
        long count = chain.client().market().jobCount().longValue();
        for (long id = store.knownJobs() + 1; id <= count; id++) {
            BigInteger job = BigInteger.valueOf(id);
            boolean mine = params(job).evaluator.equalsIgnoreCase(chain.evaluator());
            store.recordJob(job, mine);
            if (mine) {
                LOG.infof("job %s names this engine as its evaluator", job);
            }
        }
    }

    public JobParams params(BigInteger job) {
        return params.computeIfAbsent(job, j -> chain.client().market().jobParams(j));
    }

    synchronized void step(ModelStore.JobRow job) {
        BigInteger id = job.job();
        ChainClient client = chain.client();
        JobState state = client.market().job(id);
        if (state.status() != JobState.Status.ACTIVE) {
            store.finish(id);
            LOG.infof("job %s ended with status %s", id, state.status());
            return;
        }
        AttemptState attempt = client.market().attempt(id);
        int round = state.round();
        switch (attempt.phase()) {
            case CERTIFIED -> {
                announce("round.certified", id, round, state.attempt(), n -> n.put("openedNodes",
                        attempt.openedNodes().toString()));
                JobParams p = params(id);
                long now = chain.now();
                // the result may be opened after D3, or as soon as every node has opened (docs/contracts.md)
                boolean allOpened = attempt.openedNodes().size() == p.committeeSize.intValue();
                if (attempt.revealCount() >= p.threshold.intValue() && (allOpened || now > attempt.openingDeadline())
                        && now <= attempt.revealDeadline()) {
                    if (job.initialWeights() == null) {
                        warnOnce(id + "/model", "job " + id + " round " + round + " is ready to combine, but its "
                                + "round-0 model is not registered (POST /api/v1/jobs/" + id + "/artifacts)");
                        return;
                    }
                    ModelStore.RoundRow row = aggregate(job, state, attempt);
                    openResult(id, row, attempt);
                }
            }
            case AGGREGATED -> {
                if (job.initialWeights() == null) {
                    warnOnce(id + "/model", "job " + id + " round " + round + " is aggregated, but its round-0 model "
                            + "is not registered (POST /api/v1/jobs/" + id + "/artifacts)");
                    return;
                }
                ModelStore.RoundRow row = aggregate(job, state, attempt);
                lastAggregate.remove(id + "/" + round);
                if (!row.aggregated()) {
                    store.set(id, round, "aggregated", true);
                }
                evaluateAndPost(job, state, attempt, store.round(id, round).orElseThrow());
            }
            default -> {
                // committing: nothing for the evaluator yet; paid, failed, skipped: the next attempt opens
            }
        }
    }

    private void announce(String type, BigInteger job, int round, int attempt,
                          java.util.function.Consumer<ObjectNode> fill) {
        String key = type + "/" + job + "/" + round + "/" + attempt;
        if (announced.putIfAbsent(key, true) == null) {
            ObjectNode n = notices.notice(type, job, round, attempt);
            fill.accept(n);
            if (!notices.send(n)) {
                announced.remove(key);
            }
        }
    }

    /** The stored {@code w'} of this round, computed from the reveals first if there is none. */
    private ModelStore.RoundRow aggregate(ModelStore.JobRow job, JobState state, AttemptState attempt) {
        BigInteger id = job.job();
        int round = state.round();
        Optional<ModelStore.RoundRow> existing = store.round(id, round);
        if (existing.isPresent()) {
            return existing.get();
        }
        JobParams p = params(id);
        ModelSpec spec = ModelSpec.parse(job.spec());
        float[] current = currentModel(job, round);
        int t = p.threshold.intValue();
        int m = p.committeeSize.intValue();
        int d = p.bucket.intValue();
        VssParameters vss = new VssParameters(t, m, current.length, d);
        Srs s = srs.orElseThrow(() -> new IllegalStateException("zkpfl.engine.srs-file is not set"))
                .forLengths(d, vss.blindingLength());
        List<Reveal> reveals = fetchReveals(id, round, state.attempt(), d, vss.blindingLength());
        NextModel.Result result;
        if (attempt.phase() == AttemptState.Phase.CERTIFIED) {
            // combine, open at the point bound to A's hash and verify with one pairing; per reveal only if that fails
            NextModel.Aggregated aggregated = new NextModel(s, vss).aggregate(id, round, state.attempt(),
                    sums(attempt, t), reveals, current, BigInteger.valueOf(attempt.sampleSum()));
            result = aggregated.result();
            // the opening is needed only for openResult, which follows at once; after a restart it is recomputed
            lastAggregate.put(id + "/" + round, aggregated);
        } else {
            // someone else opened C_A: check A against its ResultOpened (hash and one evaluation), per reveal if that fails
            result = new NextModel(s, vss).compute(id, round, state.attempt(), sums(attempt, t), reveals, current,
                    BigInteger.valueOf(attempt.sampleSum()), resultOpened(id, round, state.attempt()).orElse(null));
        }
        String hash = Numeric.toHexString(result.weightsHash());
        store.saveAggregate(id, round, state.attempt(), FlatParameters.encode(result.weights()), hash,
                result.used().toString(), result.rejected().toString());
        LOG.infof("job %s round %d: combined the reveals of nodes %s (%s; checked: %s), w' keccak %s over Σn = %d", id,
                round, result.used(), result.rejected().isEmpty() ? "no others" : "others: " + result.rejected(),
                result.check(), hash, attempt.sampleSum());
        return store.round(id, round).orElseThrow();
    }

    private final Map<String, NextModel.Aggregated> lastAggregate = new ConcurrentHashMap<>();

    /** What the attempt's ResultOpened event says, if C_A was opened. */
    private Optional<ResultBinding.Claim> resultOpened(BigInteger job, int round, int attempt) {
        return chain.client().events().events(MarketEvent.ResultOpened.class, job, 0).stream()
                .filter(e -> e.round() == round && e.attempt() == attempt).findFirst()
                .map(e -> ResultBinding.Claim.of(e.aggregateHash(), e.z(), e.y()));
    }

    /** The model the round trained from: the latest aggregated round's {@code w'} before it, else round 0's. */
    float[] currentModel(ModelStore.JobRow job, int round) {
        ModelSpec spec = ModelSpec.parse(job.spec());
        byte[] bytes = store.latestAggregatedBefore(job.job(), round).map(ModelStore.RoundRow::weights)
                .orElse(job.initialWeights());
        return FlatParameters.decode(bytes, spec);
    }

    private static CommitmentSums sums(AttemptState attempt, int t) {
        List<G1> points = new ArrayList<>();
        for (int l = 0; l < t; l++) {
            points.add(point(attempt.sums().get(2 * l), attempt.sums().get(2 * l + 1)));
        }
        return new CommitmentSums(points);
    }

    static G1 point(BigInteger x, BigInteger y) {
        if (x.signum() == 0 && y.signum() == 0) {
            return G1.INFINITY;
        }
        return G1.fromAffine(Fp.of(x), Fp.of(y));
    }

    /** The reveals posted for the attempt, fetched from IPFS by their CIDs; unreadable ones are left out. */
    private List<Reveal> fetchReveals(BigInteger job, int round, int attempt, int length, int blinding) {
        long max = 64L + 32L * (length + blinding);
        List<Reveal> out = new ArrayList<>();
        for (MarketEvents.Mined<MarketEvent.PartialRevealed> m : marketEvents(MarketEvent.PartialRevealed.class, job)) {
            MarketEvent.PartialRevealed e = m.event();
            if (e.round() != round || e.attempt() != attempt) {
                continue;
            }
            String node = e.node().toLowerCase(Locale.ROOT);
            try {
                Cid cid = Cid.fromBytes(e.cid());
                out.add(Reveal.fromBytes(ipfs.catVerifiedBytes(cid, max)));
            } catch (IOException | RuntimeException ex) {
                LOG.warnf("job %s round %d: the reveal of node %s (tx %s) is unusable: %s", job, round, node,
                        m.transactionHash(), ex.getMessage());
            }
        }
        return out;
    }

    private void openResult(BigInteger job, ModelStore.RoundRow row, AttemptState attempt) {
        if (row.aggregated()) {
            return;
        }
        ChainClient client = chain.client();
        NextModel.Aggregated result = lastAggregate.remove(job + "/" + row.round());
        if (result == null) {
            // after a restart: recompute A from the reveals (deterministic, the same t nodes) and its opening
            ModelStore.JobRow j = store.job(job).orElseThrow();
            JobParams p = params(job);
            int t = p.threshold.intValue();
            int d = p.bucket.intValue();
            float[] current = currentModel(j, row.round());
            VssParameters vss = new VssParameters(t, p.committeeSize.intValue(), current.length, d);
            Srs s = srs.orElseThrow().forLengths(d, vss.blindingLength());
            result = new NextModel(s, vss).aggregate(job, row.round(), row.attempt(), sums(attempt, t),
                    fetchReveals(job, row.round(), row.attempt(), d, vss.blindingLength()), current,
                    BigInteger.valueOf(attempt.sampleSum()));
        }
        ResultBinding.Posted posted = result.posted();
        try {
            TransactionReceipt r = client.market().openResult(job, posted.aggregateHash(), posted.words());
            store.set(job, row.round(), "open_tx", r.getTransactionHash());
            store.set(job, row.round(), "aggregated", true);
            LOG.infof("job %s round %d: opened C_A at z_A (tx %s, block %s)", job, row.round(), r.getTransactionHash(),
                    r.getBlockNumber());
            announce("round.aggregated", job, row.round(), row.attempt(), n -> {
                n.put("tx", r.getTransactionHash());
                n.put("block", r.getBlockNumber().longValue());
                n.put("weightsHash", row.weightsHash());
            });
        } catch (ChainRevertException e) {
            AttemptState now = client.market().attempt(job);
            if (now.phase() == AttemptState.Phase.AGGREGATED || now.phase() == AttemptState.Phase.PAID) {
                store.set(job, row.round(), "aggregated", true);
                LOG.infof("job %s round %d: C_A was already opened by someone else", job, row.round());
            } else {
                throw e;
            }
        }
    }

    private void evaluateAndPost(ModelStore.JobRow job, JobState state, AttemptState attempt, ModelStore.RoundRow row) {
        BigInteger id = job.job();
        int round = row.round();
        ModelSpec spec = ModelSpec.parse(job.spec());
        float[] next = FlatParameters.decode(row.weights(), spec);
        Integer accuracy = row.accuracyPpm();
        List<Integer> groupAccuraciesPpm = row.groupAccuraciesPpm();
        if (accuracy == null) {
            // the owner's sealed set when the manifest names one (refused for good: thrown, logged once by poll)
            ValidationSet set = validations.forJob(job);
            ValidationSet.Measured measured = evaluations.record(() -> set.measure(spec, next));
            accuracy = measured.accuracyPpm();
            groupAccuraciesPpm = measured.groupAccuraciesPpm();
            if (!groupAccuraciesPpm.isEmpty()) {
                store.set(id, round, "group_accuracies", measured.groupsJson());
            }
            store.set(id, round, "accuracy_ppm", accuracy);
            LOG.infof("job %s round %d: w' scores %d ppm (%d of %d samples of the %s validation set)%s", id, round,
                    accuracy, measured.correct(), measured.samples(), set.dir() == null ? "owner's" : "default",
                    groupAccuraciesPpm.isEmpty() ? "" : ", per group " + groupAccuraciesPpm);
        }
        final List<Integer> groups = groupAccuraciesPpm;
        String cid = row.weightsCid();
        if (cid == null) {
            try {
                cid = ipfs.add(row.weights()).toString();
            } catch (IOException e) {
                throw new IllegalStateException("publishing w' to IPFS failed: " + e.getMessage(), e);
            }
            store.set(id, round, "weights_cid", cid);
        }
        final int acc = accuracy;
        final String weightsCid = cid;
        Optional<io.zkpfl.protocol.dp.PrivacySpent> spent = spentAfter(id, round);
        announce("round.evaluated", id, round, row.attempt(), n -> {
            n.put("accuracyPpm", acc);
            n.put("weightsHash", row.weightsHash());
            n.put("weightsCid", weightsCid);
            if (!groups.isEmpty()) {
                groups.forEach(n.putArray("groupAccuraciesPpm")::add);
            }
            spent.ifPresent(s -> n.putObject("privacy").put("epsilon", s.epsilon()).put("delta", s.delta()));
        });
        if (row.resultTx() != null) {
            return;
        }
        List<BigInteger> shares = accuracyShares(id, round, row.attempt(), attempt.included());
        ChainClient client = chain.client();
        try {
            // one figure per group the job signed for (the contract checks the count), none otherwise
            TransactionReceipt r = client.market().postRoundResult(id, Numeric.hexStringToByteArray(row.weightsHash()), acc, shares,
                    groups.stream().map(BigInteger::valueOf).toList());
            store.set(id, round, "result_tx", r.getTransactionHash());
            List<MarketEvent.RewardCredited> credits = MarketEvents.decode(r, MarketEvent.RewardCredited.class);
            BigInteger paid = credits.stream().map(MarketEvent.RewardCredited::amount).reduce(BigInteger.ZERO, BigInteger::add);
            LOG.infof("job %s round %d: posted w' %s with %d ppm (tx %s, block %s): %s paid to %d trainers", id, round,
                    row.weightsHash(), acc, r.getTransactionHash(), r.getBlockNumber(), paid, credits.size());
            announce("payment.made", id, round, row.attempt(), n -> {
                n.put("tx", r.getTransactionHash());
                n.put("block", r.getBlockNumber().longValue());
                n.put("total", paid.toString());
                var list = n.putArray("payments");
                for (var c : credits) {
                    list.addObject().put("account", c.account().toLowerCase(Locale.ROOT)).put("amount", c.amount().toString());
                }
            });
        } catch (ChainRevertException e) {
            Optional<String> paid = marketEvents(MarketEvent.RoundPaid.class, id).stream()
                    .filter(ev -> ev.event().round() == round).map(MarketEvents.Mined::transactionHash).findFirst();
            if (paid.isPresent()) {
                store.set(id, round, "result_tx", paid.get());
                LOG.infof("job %s round %d: the result was already posted (tx %s)", id, round, paid.get());
            } else {
                throw e;
            }
        }
    }

    /**
     * {@code ε} spent after round {@code round} of a DP job: every round before the current one ended after a certified
     * attempt (aggregated or skipped; an attempt that fails before certification does not advance the round), so
     * {@code round + 1} certified rounds are charged (docs/privacy.md). Empty for a job without DP terms, or when the
     * terms cannot be read now (logged; the round is evaluated and paid all the same).
     */
    private Optional<io.zkpfl.protocol.dp.PrivacySpent> spentAfter(BigInteger job, int round) {
        try {
            return privacy.of(job).map(t -> {
                io.zkpfl.protocol.dp.PrivacySpent s = t.after(round + 1L);
                if (announced.putIfAbsent("privacy/" + job + "/" + round, true) == null) {
                    LOG.infof("job %s round %d: differential privacy spent ε = %.4f at δ = %s after %d certified round(s)"
                                    + " (budget ε = %s, %d round(s) fit)", job, round, s.epsilon(),
                            t.privacy().delta().toPlainString(), round + 1, t.privacy().epsilon().toPlainString(),
                            t.roundsWithinBudget());
                }
                return s;
            });
        } catch (RuntimeException e) {
            warnOnce(job + "/privacy", "job " + job + ": its privacy terms cannot be read: " + e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * The included trainers' accuracy shares (ppm, in commit order, summing to 10^6): proportional to their declared
     * samples n_i, the remainder of the integer division going to the earliest committers (docs/adr/0080).
     */
    List<BigInteger> accuracyShares(BigInteger job, int round, int attempt, List<String> included) {
        List<Long> samples = new ArrayList<>();
        for (MarketEvent.RoundCommitted e : chain.client().events().events(MarketEvent.RoundCommitted.class, job, 0)) {
            if (e.round() == round && e.attempt() == attempt && included.stream().anyMatch(e.trainer()::equalsIgnoreCase)) {
                samples.add(e.samples());
            }
        }
        return shares(samples);
    }

    /**
     * Every {@code type} event of {@code job} with its transaction, read straight from the chain (not from the index,
     * which lags by its confirmation depth), in chain order.
     */
    private <E extends MarketEvent> List<MarketEvents.Mined<E>> marketEvents(Class<E> type, BigInteger job) {
        return chain.client().events().mined(type, job, 0);
    }

    /** Largest-remainder split of 10^6 ppm by {@code weights}; ties to the earlier position. */
    static List<BigInteger> shares(List<Long> weights) {
        long total = weights.stream().mapToLong(Long::longValue).sum();
        long[] out = new long[weights.size()];
        long[] rem = new long[weights.size()];
        long given = 0;
        for (int i = 0; i < out.length; i++) {
            long num = weights.get(i) * PPM;
            out[i] = total == 0 ? 0 : num / total;
            rem[i] = total == 0 ? 0 : num % total;
            given += out[i];
        }
        if (total == 0 && out.length > 0) {
            // no declared work: equal split
            for (int i = 0; i < out.length; i++) {
                out[i] = PPM / out.length;
            }
            given = PPM / out.length * out.length;
            Arrays.fill(rem, 1);
        }
        Integer[] order = new Integer[out.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> rem[a] != rem[b] ? Long.compare(rem[b], rem[a]) : Integer.compare(a, b));
        for (int i = 0; given < PPM && out.length > 0; i = (i + 1) % out.length) {
            out[order[i]]++;
            given++;
        }
        return Arrays.stream(out).mapToObj(BigInteger::valueOf).collect(Collectors.toList());
    }
}
