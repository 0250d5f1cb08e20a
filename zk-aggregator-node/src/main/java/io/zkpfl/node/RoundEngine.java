package io.zkpfl.node;

import io.quarkus.scheduler.Scheduled;
import io.zkpfl.contracts.AttemptState;
import io.zkpfl.contracts.ChainClient;
import io.zkpfl.contracts.ChainRevertException;
import io.zkpfl.contracts.JobState;
import io.zkpfl.contracts.generated.JobMarket.JobParams;
import io.zkpfl.protocol.envelope.EnvelopeTag;
import io.zkpfl.protocol.envelope.NodeRoundKey;
import io.zkpfl.protocol.envelope.ShareEnvelope;
import io.zkpfl.protocol.ipfs.Cid;
import io.zkpfl.protocol.ipfs.KuboClient;
import io.zkpfl.protocol.round.EnvelopeManifest;
import io.zkpfl.protocol.round.Reveal;
import io.zkpfl.protocol.vss.ReceivedShare;
import io.zkpfl.protocol.vss.Share;
import io.zkpfl.protocol.vss.ShareCheck;
import io.zkpfl.protocol.vss.VssParameters;
import io.zkpfl.zk.bn254.Fr;
import io.zkpfl.zk.bn254.G1;
import io.zkpfl.zk.kzg.Dleq;
import io.zkpfl.zk.kzg.DleqProof;
import io.zkpfl.zk.kzg.Kzg;
import io.zkpfl.zk.kzg.Opening;
import io.zkpfl.zk.kzg.Srs;
import io.zkpfl.zk.solidity.KzgSolidityVerifier;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * The node's round loop (docs/protocol.md steps 5-8). Each tick reads the chain's new logs, then for every job it
 * serves compares the attempt's phase and deadlines with the chain's time and takes the step that is due: post the
 * round key before D1; after D1 open and check its shares in one batch, complain about inconsistent ones, vote on
 * other nodes' complaints and on missing envelopes; after D2 sum the included shares and open C_k; once certified
 * reveal S_k ‖ b_k on IPFS; move the attempt on with {@code advance} when a deadline passed. Every transaction is
 * recorded as an intent before it is sent and marked done from its receipt or from the chain's own event, so a node
 * killed at any point and restarted neither repeats nor skips one (docs/adr/0071-node-round-loop.md).
 */
@ApplicationScoped
public class RoundEngine {

    private static final Logger LOG = Logger.getLogger(RoundEngine.class);
    private static final long MAX_ENVELOPE = 256L << 20;

    private final Chain chain;
    private final RoundStore store;
    private final ChainFollower follower;
    private final SrsProvider srsProvider;
    private final KuboClient ipfs;
    private final NodeMetrics metrics;
    private final String me;
    private final long graceSeconds;
    private final long missingGraceSeconds;
    private final SecureRandom rng = new SecureRandom();
    private final Map<BigInteger, JobParams> params = new ConcurrentHashMap<>();
    private final Map<String, Share> partials = new ConcurrentHashMap<>();
    private volatile long lastTickMillis;
    private volatile String lastError;

    public RoundEngine(Chain chain, RoundStore store, ChainFollower follower, SrsProvider srsProvider,
                       NodeMetrics metrics, OperatorIdentity identity,
                       @ConfigProperty(name = "zkpfl.ipfs.api-url") String ipfsUrl,
                       @ConfigProperty(name = "zkpfl.chain.advance-grace") Duration grace,
                       @ConfigProperty(name = "zkpfl.intake.missing-grace") Duration missingGrace) {
        this.chain = chain;
        this.store = store;
        this.follower = follower;
        this.srsProvider = srsProvider;
        this.metrics = metrics;
        this.ipfs = new KuboClient(java.net.URI.create(ipfsUrl), Duration.ofSeconds(3), Duration.ofSeconds(30));
        this.me = identity.address();
        this.graceSeconds = grace.toSeconds();
        this.missingGraceSeconds = missingGrace.toSeconds();
    }

    public KuboClient ipfs() {
        return ipfs;
    }

    /** Milliseconds since the last tick that reached the chain. */
    public long sinceLastTickMillis() {
        long t = lastTickMillis;
        return t == 0 ? Long.MAX_VALUE : System.currentTimeMillis() - t;
    }

    public String lastError() {
        return lastError;
    }

    @Scheduled(every = "${zkpfl.chain.poll-interval}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        try {
            follower.catchUp();
        } catch (RuntimeException e) {
            note("following the chain failed: " + e.getMessage());
            return;
        }
        lastTickMillis = System.currentTimeMillis();
        for (RoundStore.JobRow job : store.activeJobs()) {
            try {
                step(job);
            } catch (RuntimeException e) {
                note("job " + job.jobId() + ": " + e);
            }
        }
    }

    private void note(String error) {
        if (!error.equals(lastError)) {
            LOG.warn(error);
        }
        lastError = error;
    }

    private ChainClient client() {
        return chain.client();
    }

    private JobParams params(BigInteger job) {
        return params.computeIfAbsent(job, client()::jobParams);
    }

    /** One attempt as this node sees it. */
    private record Ctx(BigInteger job, int k, int round, int attempt, JobParams p, JobState js, AttemptState a, long now,
                       VssParameters vss, Srs srs) {
        EnvelopeTag tag(int trainer, int node) {
            return new EnvelopeTag(job, round, attempt, trainer, node);
        }

        String key() {
            return job + "/" + round + "/" + attempt;
        }
    }

    void step(RoundStore.JobRow row) {
        BigInteger job = row.jobId();
        JobState js = client().job(job);
        if (js.status() != 1) {
            store.finishJob(job);
            LOG.infof("job %s ended (status %d): its round keys are deleted", job, js.status());
            return;
        }
        JobParams p = params(job);
        AttemptState a = client().attempt(job);
        long now = chain.now();
        boolean roundOver = switch (a.phase()) {
            case AGGREGATED, PAID, SKIPPED -> true;
            default -> false;
        };
        int forgotten = store.forgetRoundKeys(job, js.round(), roundOver);
        if (forgotten > 0) {
            LOG.infof("job %s: round over, the private half of the round key is deleted", job);
        }
        int t = p.threshold.intValue();
        int m = p.committeeSize.intValue();
        int d = p.bucket.intValue();
        VssParameters vss = new VssParameters(t, m, d - m, d);
        Ctx c = new Ctx(job, row.k(), js.round(), js.attempt(), p, js, a, now, vss, srsProvider.srs(d, m + 2));
        switch (a.phase()) {
            case COMMITTING -> {
                if (now <= a.commitDeadline()) {
                    ensureRoundKey(c);
                } else if (now <= a.complaintDeadline()) {
                    checkShares(c);
                    complain(c);
                    voteOnComplaints(c);
                    voteExclusions(c);
                } else if (now <= a.openingDeadline()) {
                    if (includedCount(c) < p.minTrainers.intValue()) {
                        advanceAfter(c, a.complaintDeadline(), "too few trainers after D2");
                    } else {
                        open(c);
                    }
                } else {
                    advanceAfter(c, a.openingDeadline(), "not certified by D3");
                }
            }
            case CERTIFIED -> {
                if (now <= a.openingDeadline() && !a.openedNodes().contains(c.k())) {
                    open(c);
                }
                if (now <= a.revealDeadline()) {
                    reveal(c);
                } else {
                    advanceAfter(c, a.revealDeadline(), "D4 passed without the result opening");
                }
            }
            case AGGREGATED -> {
                if (now > a.resultDeadline()) {
                    advanceAfter(c, a.resultDeadline(), "the evaluator's deadline passed");
                }
            }
            default -> {
            }
        }
    }

    // ------------------------------------------------------------------ step 5: round key

    private void ensureRoundKey(Ctx c) {
        if (done(c.job(), c.round(), -1, "round-key", "")) {
            return;
        }
        if (!store.hasRoundKey(c.job(), c.round())) {
            NodeRoundKey key = NodeRoundKey.generate(rng);
            List<BigInteger> pk = Points.words(key.publicKey());
            store.insertRoundKey(c.job(), c.round(), key.secret().toBigInteger(), pk.get(0), pk.get(1));
        }
        List<BigInteger> pk = store.roundKeyPublic(c.job(), c.round());
        if (send(c.job(), c.round(), -1, "round-key", "", () -> client().postRoundKey(c.job(), pk), "AlreadyCommitted")) {
            metrics.round("key-posted");
        }
    }

    private Optional<NodeRoundKey> roundKey(Ctx c) {
        return store.roundKeySecret(c.job(), c.round()).map(s -> {
            Fr sk = Fr.of(s);
            return new NodeRoundKey(sk, G1.GENERATOR.mul(sk).normalize());
        });
    }

    // ------------------------------------------------------------------ step 6: intake and check

    enum Status { OK, BAD, MISSING }

    /** What this node could make of trainer i's envelope for node {@code node}. */
    record Fetched(Status status, ShareEnvelope envelope, Share share, String why) {
    }

    private Optional<EnvelopeManifest> manifest(Ctx c, RoundStore.CommitmentRow cr) {
        Optional<byte[]> body = store.receivedBody("manifest", c.job(), c.round(), c.attempt(), cr.trainer());
        if (body.isEmpty()) {
            return Optional.empty();
        }
        try {
            EnvelopeManifest mf = EnvelopeManifest.fromBytes(body.get());
            if (!Arrays.equals(mf.digest(), cr.manifest()) || mf.trainer() != cr.trainer()) {
                LOG.warnf("job %s: trainer %d's manifest from Kafka does not match its committed digest; ignored",
                        c.job(), cr.trainer());
                return Optional.empty();
            }
            return Optional.of(mf);
        } catch (RuntimeException e) {
            LOG.warnf("job %s: trainer %d's manifest from Kafka is malformed (%s); ignored", c.job(), cr.trainer(),
                    e.getMessage());
            return Optional.empty();
        }
    }

    /** Envelope bytes for node {@code node}: this node's Kafka copy if it matches the CID, else IPFS. */
    private Optional<byte[]> envelopeBytes(Ctx c, EnvelopeManifest mf, int trainer, int node) {
        Cid cid = mf.envelopes().get(node - 1);
        if (node == c.k()) {
            Optional<byte[]> kafka = store.receivedBody("envelope", c.job(), c.round(), c.attempt(), trainer);
            if (kafka.isPresent() && cid.matches(kafka.get())) {
                return kafka;
            }
        }
        try {
            byte[] bytes = cid.codec() == Cid.RAW ? ipfs.blockGet(cid) : ipfs.catVerifiedBytes(cid, MAX_ENVELOPE);
            if (bytes != null && (cid.codec() != Cid.RAW || cid.matches(bytes))) {
                metrics.received("envelope", "ipfs");
                return Optional.of(bytes);
            }
        } catch (IOException | RuntimeException e) {
            LOG.debugf("IPFS has no envelope %s yet: %s", cid, e.getMessage());
        }
        return Optional.empty();
    }

    private Fetched fetch(Ctx c, RoundStore.CommitmentRow cr, NodeRoundKey key) {
        Optional<EnvelopeManifest> mf = manifest(c, cr);
        if (mf.isEmpty()) {
            return new Fetched(Status.MISSING, null, null, "no manifest matching the committed digest");
        }
        Optional<byte[]> bytes = envelopeBytes(c, mf.get(), cr.trainer(), c.k());
        if (bytes.isEmpty()) {
            return new Fetched(Status.MISSING, null, null, "envelope neither on Kafka nor on IPFS");
        }
        ShareEnvelope env;
        try {
            env = ShareEnvelope.fromBytes(bytes.get());
        } catch (RuntimeException e) {
            return new Fetched(Status.MISSING, null, null, "envelope is malformed");
        }
        try {
            Share share = env.open(key, c.tag(cr.trainer(), c.k()));
            return new Fetched(Status.OK, env, share, null);
        } catch (RuntimeException e) {
            return new Fetched(Status.BAD, env, null, "envelope does not open: " + e.getMessage());
        }
    }

    private void checkShares(Ctx c) {
        if (!done(c.job(), c.round(), -1, "round-key", "")) {
            note("job " + c.job() + ": no round key of this node is on chain for round " + c.round()
                    + "; it cannot check shares");
            return;
        }
        Map<Integer, String> verdicts = store.verdicts(c.job(), c.round(), c.attempt());
        List<RoundStore.CommitmentRow> pending = store.commitments(c.job(), c.round(), c.attempt()).stream()
                .filter(cr -> !verdicts.containsKey(cr.trainer())).toList();
        if (pending.isEmpty()) {
            return;
        }
        Optional<NodeRoundKey> key = roundKey(c);
        if (key.isEmpty()) {
            note("job " + c.job() + ": the round key's private half is gone; shares cannot be opened");
            return;
        }
        boolean patient = c.now() <= c.a().commitDeadline() + missingGraceSeconds;
        List<ReceivedShare> opened = new ArrayList<>();
        Map<Integer, String> outcome = new java.util.LinkedHashMap<>();
        for (RoundStore.CommitmentRow cr : pending) {
            Fetched f = fetch(c, cr, key.get());
            switch (f.status()) {
                case OK -> opened.add(new ReceivedShare(cr.trainer(), Points.points(cr.points()), f.share()));
                case BAD -> outcome.put(cr.trainer(), "bad");
                case MISSING -> {
                    if (patient) {
                        return; // wait for Kafka or IPFS a little longer
                    }
                    LOG.infof("job %s round %d: trainer %d: %s", c.job(), c.round(), cr.trainer(), f.why());
                    outcome.put(cr.trainer(), "missing");
                }
            }
        }
        ShareCheck check = new ShareCheck(c.srs(), c.vss());
        List<Integer> faulty = opened.isEmpty() ? List.of()
                : metrics.time("check", () -> check.faultyTrainers(c.k(), opened, rng));
        for (ReceivedShare r : opened) {
            outcome.put(r.trainer(), faulty.contains(r.trainer()) ? "bad" : "ok");
        }
        outcome.forEach((i, v) -> store.verdict(c.job(), c.round(), c.attempt(), i, v));
        long bad = outcome.values().stream().filter(v -> !v.equals("ok")).count();
        metrics.sharesChecked(outcome.size(), (int) bad);
        LOG.infof("job %s round %d attempt %d: checked %d shares as node %d, %d faulty or missing", c.job(), c.round(),
                c.attempt(), outcome.size(), c.k(), bad);
    }

    private RoundStore.CommitmentRow commitment(Ctx c, int trainer) {
        return store.commitments(c.job(), c.round(), c.attempt()).stream().filter(cr -> cr.trainer() == trainer)
                .findFirst().orElseThrow();
    }

    private RoundStore.CommitmentRow commitment(Ctx c, String address) {
        return store.commitments(c.job(), c.round(), c.attempt()).stream()
                .filter(cr -> cr.address().equalsIgnoreCase(address)).findFirst().orElse(null);
    }

    /** Complains, with the DLEQ-proven shared point, about every trainer whose share for this node is bad. */
    private void complain(Ctx c) {
        for (var v : store.verdicts(c.job(), c.round(), c.attempt()).entrySet()) {
            if (!v.getValue().equals("bad")) {
                continue;
            }
            RoundStore.CommitmentRow cr = commitment(c, v.getKey());
            if (done(c.job(), c.round(), c.attempt(), "complain", cr.address())) {
                continue;
            }
            Optional<NodeRoundKey> key = roundKey(c);
            if (key.isEmpty()) {
                return;
            }
            Fetched f = fetch(c, cr, key.get());
            if (f.envelope() == null) {
                continue;
            }
            G1 e = f.envelope().ephemeral();
            G1 shared = key.get().sharedPoint(e);
            DleqProof proof = Dleq.prove(key.get().secret(), e, rng);
            if (send(c.job(), c.round(), c.attempt(), "complain", cr.address(), () -> client().complainShare(c.job(),
                    cr.address(), Points.words(e), Points.words(shared), proof.c().toBigInteger(),
                    proof.s().toBigInteger()), "AlreadyComplained")) {
                metrics.complaint("filed");
                LOG.infof("job %s round %d: complained about trainer %d's share", c.job(), c.round(), cr.trainer());
            }
        }
    }

    /** Judges other nodes' complaints from the published shared point and votes. */
    private void voteOnComplaints(Ctx c) {
        ShareCheck check = new ShareCheck(c.srs(), c.vss());
        for (RoundStore.ComplaintRow cp : store.complaints(c.job(), c.round(), c.attempt())) {
            if (done(c.job(), c.round(), c.attempt(), "vote-complaint", cp.trainer())) {
                continue;
            }
            RoundStore.CommitmentRow cr = commitment(c, cp.trainer());
            int kc = indexOf(c.js().committee(), cp.node());
            if (cr == null || kc < 1) {
                continue;
            }
            Optional<EnvelopeManifest> mf = manifest(c, cr);
            if (mf.isEmpty()) {
                continue;
            }
            Optional<byte[]> bytes = envelopeBytes(c, mf.get(), cr.trainer(), kc);
            if (bytes.isEmpty()) {
                continue; // cannot judge yet
            }
            boolean upheld;
            try {
                ShareEnvelope env = ShareEnvelope.fromBytes(bytes.get());
                G1 e = Points.point(cp.ephemeral().get(0), cp.ephemeral().get(1));
                if (!e.equals(env.ephemeral())) {
                    upheld = false; // the complaint names another envelope than the trainer's
                } else {
                    Share s = env.openWithSharedPoint(Points.point(cp.shared().get(0), cp.shared().get(1)),
                            c.tag(cr.trainer(), kc));
                    upheld = !check.holds(kc, new ReceivedShare(cr.trainer(), Points.points(cr.points()), s));
                }
            } catch (RuntimeException e) {
                upheld = true; // the envelope does not open with the proven shared point: the trainer's fault
            }
            boolean verdict = upheld;
            if (send(c.job(), c.round(), c.attempt(), "vote-complaint", cp.trainer(), () -> client().voteComplaint(
                    c.job(), cr.address(), verdict, cr.points(), cr.manifest(), cr.samples()), "AlreadyVoted",
                    "NoComplaint")) {
                metrics.complaint(verdict ? "upheld" : "rejected");
                LOG.infof("job %s round %d: voted %s node %d's complaint about trainer %d", c.job(), c.round(),
                        verdict ? "to uphold" : "to reject", kc, cr.trainer());
            }
        }
    }

    private void voteExclusions(Ctx c) {
        for (var v : store.verdicts(c.job(), c.round(), c.attempt()).entrySet()) {
            if (!v.getValue().equals("missing")) {
                continue;
            }
            RoundStore.CommitmentRow cr = commitment(c, v.getKey());
            if (send(c.job(), c.round(), c.attempt(), "vote-exclusion", cr.address(), () -> client().voteExclusion(
                    c.job(), cr.address(), cr.points(), cr.manifest(), cr.samples()), "AlreadyVoted")) {
                metrics.complaint("exclusion");
                LOG.infof("job %s round %d: voted to exclude trainer %d (envelope missing)", c.job(), c.round(),
                        cr.trainer());
            }
        }
    }

    private static int indexOf(List<String> committee, String address) {
        for (int j = 0; j < committee.size(); j++) {
            if (committee.get(j).equalsIgnoreCase(address)) {
                return j + 1;
            }
        }
        return -1;
    }

    // ------------------------------------------------------------------ step 7: partial and opening

    private List<RoundStore.CommitmentRow> included(Ctx c) {
        List<RoundStore.CommitmentRow> all = store.commitments(c.job(), c.round(), c.attempt());
        if (!c.a().included().isEmpty()) {
            return all.stream().filter(cr -> c.a().included().stream().anyMatch(cr.address()::equalsIgnoreCase)).toList();
        }
        List<String> excluded = store.excluded(c.job(), c.round(), c.attempt());
        return all.stream().filter(cr -> excluded.stream().noneMatch(cr.address()::equalsIgnoreCase)).toList();
    }

    private int includedCount(Ctx c) {
        return c.a().included().isEmpty() ? included(c).size() : c.a().included().size();
    }

    /** S_k, b_k over the included trainers, or empty (with the reason logged) when a share is not usable. */
    private Optional<Share> partial(Ctx c) {
        Share cached = partials.get(c.key());
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<NodeRoundKey> key = roundKey(c);
        if (key.isEmpty()) {
            note("job " + c.job() + ": the round key's private half is gone; no partial");
            return Optional.empty();
        }
        List<Share> shares = new ArrayList<>();
        for (RoundStore.CommitmentRow cr : included(c)) {
            Fetched f = fetch(c, cr, key.get());
            if (f.status() != Status.OK) {
                note("job " + c.job() + " round " + c.round() + ": trainer " + cr.trainer()
                        + " is included but its share for this node is not usable (" + f.why() + ")");
                return Optional.empty();
            }
            shares.add(f.share());
        }
        if (shares.isEmpty()) {
            return Optional.empty();
        }
        Share s = Share.sum(shares);
        partials.put(c.key(), s);
        return Optional.of(s);
    }

    private void open(Ctx c) {
        if (c.a().openedNodes().contains(c.k()) || done(c.job(), c.round(), c.attempt(), "opening", "")) {
            return;
        }
        Optional<Share> s = partial(c);
        if (s.isEmpty()) {
            return;
        }
        ChainClient.OpeningPoint at = client().openingPoint(c.job(), c.k());
        G1 mine = Kzg.commit(c.srs(), s.get().values(), s.get().blinding());
        if (!Points.words(mine).equals(List.of(at.x(), at.y()))) {
            note("job " + c.job() + " round " + c.round() + ": this node's partial does not open the contract's C_"
                    + c.k() + " (the included set differs from the shares it summed); no opening posted");
            return;
        }
        Opening o = metrics.time("opening", () -> Kzg.open(c.srs(), s.get().values(), s.get().blinding(),
                Fr.of(at.z())));
        List<BigInteger> words = List.of(KzgSolidityVerifier.openingWords(List.of(o)));
        if (send(c.job(), c.round(), c.attempt(), "opening", "", () -> client().postOpening(c.job(), words),
                "AlreadyOpened")) {
            metrics.round("opened");
            LOG.infof("job %s round %d attempt %d: opened C_%d", c.job(), c.round(), c.attempt(), c.k());
        }
    }

    // ------------------------------------------------------------------ step 8: reveal

    private void reveal(Ctx c) {
        if (!c.a().openedNodes().contains(c.k()) || done(c.job(), c.round(), c.attempt(), "reveal", "")) {
            return;
        }
        Optional<Share> s = partial(c);
        if (s.isEmpty()) {
            return;
        }
        byte[] bytes = new Reveal(c.job(), c.round(), c.attempt(), s.get()).toBytes();
        Cid cid;
        try {
            cid = ipfs.add(new ByteArrayInputStream(bytes), KuboClient.AddOptions.defaults().withCidVersion(1)).cid();
        } catch (IOException e) {
            note("job " + c.job() + ": adding the reveal to IPFS failed: " + e.getMessage());
            return;
        }
        if (send(c.job(), c.round(), c.attempt(), "reveal", "", () -> client().revealPartial(c.job(), cid.toBytes()),
                "AlreadyCommitted")) {
            metrics.round("revealed");
            partials.remove(c.key());
            LOG.infof("job %s round %d attempt %d: revealed S_%d at %s", c.job(), c.round(), c.attempt(), c.k(), cid);
        }
    }

    // ------------------------------------------------------------------ deadlines

    /**
     * Calls {@code advance} once {@code deadline} has passed: node 1 at once, node k after (k − 1) grace periods, so
     * the calls do not race while any live node still moves the attempt on.
     */
    private void advanceAfter(Ctx c, long deadline, String why) {
        if (c.now() <= deadline + (long) (c.k() - 1) * graceSeconds) {
            return;
        }
        try {
            TransactionReceipt r = client().advance(c.job());
            metrics.transaction("advance", "ok");
            LOG.infof("job %s round %d attempt %d: advanced (%s), tx %s", c.job(), c.round(), c.attempt(), why,
                    r.getTransactionHash());
        } catch (ChainRevertException e) {
            if (!e.reason().name().equals("NothingToAdvance")) {
                metrics.transaction("advance", "reverted");
                note("job " + c.job() + ": advance reverted: " + e.reason());
            }
        }
    }

    // ------------------------------------------------------------------ transactions

    private boolean done(BigInteger job, int round, int attempt, String action, String subject) {
        return store.actionState(job, round, attempt, action, subject.toLowerCase()).filter("done"::equals).isPresent();
    }

    /**
     * Sends one transaction at most once: the intent is stored first, the receipt (or a revert that says the chain
     * already has it) marks it done; a node restarted with the intent still open resends only if the chain's logs,
     * read before this, do not show it.
     */
    private boolean send(BigInteger job, int round, int attempt, String action, String subject,
                         Supplier<TransactionReceipt> tx, String... alreadyDone) {
        String who = subject.toLowerCase();
        if (done(job, round, attempt, action, who)) {
            return false;
        }
        store.action(job, round, attempt, action, who, "sending", null);
        try {
            TransactionReceipt r = tx.get();
            store.action(job, round, attempt, action, who, "done", "tx " + r.getTransactionHash());
            metrics.transaction(action, "ok");
            return true;
        } catch (ChainRevertException e) {
            if (Arrays.asList(alreadyDone).contains(e.reason().name())) {
                store.action(job, round, attempt, action, who, "done", "already on chain: " + e.reason().name());
                metrics.transaction(action, "already-done");
                return false;
            }
            store.action(job, round, attempt, action, who, "failed", e.reason().toString());
            metrics.transaction(action, "reverted");
            note("job " + job + ": " + action + " reverted: " + e.reason());
            return false;
        }
    }
}
