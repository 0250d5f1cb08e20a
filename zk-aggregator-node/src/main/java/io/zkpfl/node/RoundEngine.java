package io.zkpfl.node;

import io.quarkus.scheduler.Scheduled;
import io.zkpfl.contracts.AttemptState;
import io.zkpfl.contracts.ChainClient;
import io.zkpfl.contracts.MarketClient;
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
 * other nodes' complaints and on missing envelopes; with nothing to complain about, open C_k at once and hand the
 * signed opening to the Raft leader, which certifies before D2 once it holds the whole committee's
 * (docs/adr/0110-early-certification.md); otherwise after D2 sum the included shares and open C_k; once certified
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
    private final CommitteeRaft raft;
    private final String me;
    private final long graceSeconds;
    private final long missingGraceSeconds;
    private final boolean publishResult;
    private final SecureRandom rng = new SecureRandom();
    private final Map<BigInteger, JobParams> params = new ConcurrentHashMap<>();
    /** S_k, b_k by attempt and the trainers summed ("job/round/attempt|[i, ...]"). */
    private final Map<String, Share> partials = new ConcurrentHashMap<>();
    /** This node's opening words by attempt and C_k ("job/round/attempt/x of C_k"). */
    private final Map<String, List<BigInteger>> openingWords = new ConcurrentHashMap<>();
    /** When this node handed its opening of an attempt's C_k to the Raft log (wall clock, ms), same keys. */
    private final Map<String, Long> handedOver = new ConcurrentHashMap<>();
    /** Openings handed over before D2 whose batch wait has not been restarted at D2 yet, same keys. */
    private final java.util.Set<String> handedEarly = ConcurrentHashMap.newKeySet();
    /** When the Raft log last refused an opening offered before D2 (wall clock, ms), same keys. */
    private final Map<String, Long> earlyRefused = new ConcurrentHashMap<>();
    /** When the leader first held an opening of an attempt that is not on chain yet (wall clock, ms). */
    private final Map<String, Long> firstPending = new ConcurrentHashMap<>();
    /** When this node handed its reveal of an attempt to the Raft log (wall clock, ms), by attempt key. */
    private final Map<String, Long> revealHandedOver = new ConcurrentHashMap<>();
    /** When the leader first held a reveal of an attempt that is not on chain yet (wall clock, ms). */
    private final Map<String, Long> firstRevealPending = new ConcurrentHashMap<>();
    private final OperatorIdentity identity;
    private final long chainId;
    private final long batchWaitMillis;
    private volatile long lastTickMillis;
    private volatile String lastError;

    public RoundEngine(Chain chain, RoundStore store, ChainFollower follower, SrsProvider srsProvider,
                       NodeMetrics metrics, OperatorIdentity identity, CommitteeRaft raft,
                       @ConfigProperty(name = "zkpfl.ipfs.api-url") String ipfsUrl,
                       @ConfigProperty(name = "zkpfl.chain.advance-grace") Duration grace,
                       @ConfigProperty(name = "zkpfl.intake.missing-grace") Duration missingGrace,
                       @ConfigProperty(name = "zkpfl.node.publish-result", defaultValue = "true") boolean publishResult,
                       @ConfigProperty(name = "zkpfl.chain.id") long chainId,
                       @ConfigProperty(name = "zkpfl.raft.batch-wait") Duration batchWait) {
        this.publishResult = publishResult;
        this.identity = identity;
        this.chainId = chainId;
        this.batchWaitMillis = batchWait.toMillis();
        this.chain = chain;
        this.store = store;
        this.follower = follower;
        this.srsProvider = srsProvider;
        this.metrics = metrics;
        this.raft = raft;
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
        return params.computeIfAbsent(job, client().market()::jobParams);
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
        JobState js = client().market().job(job);
        if (js.status() != JobState.Status.ACTIVE) {
            // the job's stake lock counts against this node's capacity until it is released
            if (send(job, js.round(), -1, "release", "", () -> client().market().release(job), "NotParticipant")) {
                LOG.infof("job %s ended: this node's stake lock is released", job);
            }
            store.finishJob(job);
            LOG.infof("job %s ended (status %s): its round keys are deleted", job, js.status());
            return;
        }
        JobParams p = params(job);
        if (raft.enabled()) {
            try {
                raft.join(job, js.committee());
            } catch (RuntimeException e) {
                note("job " + job + ": Raft: " + e.getMessage()); // the committee order still decides
            }
        }
        AttemptState a = client().market().attempt(job);
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
                    openEarly(c);
                    batchOpenings(c);
                } else if (now <= a.openingDeadline()) {
                    if (includedCount(c) < p.minTrainers.intValue()) {
                        advanceAfter(c, a.complaintDeadline(), "too few trainers after D2");
                    } else {
                        open(c);
                        batchOpenings(c);
                    }
                } else {
                    advanceAfter(c, a.openingDeadline(), "not certified by D3");
                }
            }
            case CERTIFIED -> {
                if (now <= a.openingDeadline() && !a.openedNodes().contains(c.k())) {
                    open(c);
                }
                if (now <= a.openingDeadline()) {
                    batchOpenings(c);
                }
                if (now <= a.revealDeadline()) {
                    reveal(c);
                    batchReveals(c);
                    if (now > a.openingDeadline() && a.revealCount() >= t && publishResult
                            && now > a.openingDeadline() + turn(c)) {
                        publishResult(c);
                    }
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
        if (send(c.job(), c.round(), -1, "round-key", "", () -> client().market().postRoundKey(c.job(), pk), "AlreadyCommitted")) {
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

    /** Trainer i's manifest: the copy from Kafka whose digest is the one it committed on chain. */
    private Optional<EnvelopeManifest> manifest(Ctx c, RoundStore.CommitmentRow cr) {
        List<byte[]> copies = store.receivedBodies("manifest", c.job(), c.round(), c.attempt(), cr.trainer());
        for (byte[] body : copies) {
            try {
                EnvelopeManifest mf = EnvelopeManifest.fromBytes(body);
                if (Arrays.equals(mf.digest(), cr.manifest()) && mf.trainer() == cr.trainer()) {
                    return Optional.of(mf);
                }
            } catch (RuntimeException e) {
                // a malformed copy: another may be the committed one
            }
        }
        if (!copies.isEmpty()) {
            LOG.debugf("job %s: none of the %d manifests received for trainer %d matches its committed digest",
                    c.job(), copies.size(), cr.trainer());
        }
        return Optional.empty();
    }

    /**
     * Envelope bytes for node {@code node}: this node's Kafka copy if the manifest's CID names it, else IPFS by that
     * CID: one raw block for an envelope up to 256 KiB, above it Kubo's dag-pb tree, read and checked block by block
     * (docs/adr/0098-envelope-cids-for-any-size.md).
     */
    private Optional<byte[]> envelopeBytes(Ctx c, EnvelopeManifest mf, int trainer, int node) {
        Cid cid = mf.envelopes().get(node - 1);
        if (node == c.k()) {
            for (byte[] kafka : store.receivedBodies("envelope", c.job(), c.round(), c.attempt(), trainer)) {
                if (cid.namesFile(kafka)) {
                    return Optional.of(kafka);
                }
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
            if (send(c.job(), c.round(), c.attempt(), "complain", cr.address(), () -> client().market().complainShare(c.job(),
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
            if (send(c.job(), c.round(), c.attempt(), "vote-complaint", cp.trainer(), () -> client().market().voteComplaint(
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
            if (send(c.job(), c.round(), c.attempt(), "vote-exclusion", cr.address(), () -> client().market().voteExclusion(
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
        List<RoundStore.CommitmentRow> summed = included(c);
        String cacheKey = c.key() + "|" + summed.stream().map(RoundStore.CommitmentRow::trainer).toList();
        Share cached = partials.get(cacheKey);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<NodeRoundKey> key = roundKey(c);
        if (key.isEmpty()) {
            note("job " + c.job() + ": the round key's private half is gone; no partial");
            return Optional.empty();
        }
        List<Share> shares = new ArrayList<>();
        for (RoundStore.CommitmentRow cr : summed) {
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
        partials.put(cacheKey, s);
        return Optional.of(s);
    }

    private void open(Ctx c) {
        if (c.a().openedNodes().contains(c.k()) || done(c.job(), c.round(), c.attempt(), "opening", "")) {
            return;
        }
        Optional<Signable> o = opening(c);
        if (o.isEmpty()) {
            return;
        }
        if (handedEarly.remove(o.get().key())) {
            // handed over before D2 without an early certification: the batch wait starts now
            handedOver.put(o.get().key(), System.currentTimeMillis());
        }
        if (handToLeader(c, o.get().key(), o.get().words())) {
            return;
        }
        List<BigInteger> posted = o.get().words();
        if (send(c.job(), c.round(), c.attempt(), "opening", "", () -> client().market().postOpening(c.job(), posted),
                "AlreadyOpened")) {
            metrics.round("opened");
            LOG.infof("job %s round %d attempt %d: opened C_%d", c.job(), c.round(), c.attempt(), c.k());
        }
    }

    /** This node's opening words of the contract's current C_k, and their key ("job/round/attempt/x of C_k"). */
    private record Signable(String key, List<BigInteger> words) {
    }

    /**
     * Opens the contract's current C_k with S_k, b_k of the trainers included so far, or empty (with the reason
     * noted) when the partial is not at hand or does not commit to C_k. Cached by C_k, so a C_k that changes before
     * D2 (an exclusion) gets a fresh opening.
     */
    private Optional<Signable> opening(Ctx c) {
        MarketClient.OpeningPoint at = client().market().openingPoint(c.job(), c.k());
        String key = c.key() + "/" + at.x().toString(16);
        List<BigInteger> words = openingWords.get(key);
        if (words == null) {
            Optional<Share> s = partial(c);
            if (s.isEmpty()) {
                return Optional.empty();
            }
            G1 mine = Kzg.commit(c.srs(), s.get().values(), s.get().blinding());
            if (!Points.words(mine).equals(List.of(at.x(), at.y()))) {
                note("job " + c.job() + " round " + c.round() + ": this node's partial does not open the contract's C_"
                        + c.k() + " (the included set differs from the shares it summed); no opening posted");
                return Optional.empty();
            }
            Opening o = metrics.time("opening", () -> Kzg.open(c.srs(), s.get().values(), s.get().blinding(),
                    Fr.of(at.z())));
            words = List.of(KzgSolidityVerifier.openingWords(List.of(o)));
            openingWords.keySet().removeIf(k -> k.startsWith(c.key() + "/"));
            openingWords.put(key, words);
        }
        return Optional.of(new Signable(key, words));
    }

    /**
     * Early certification, this node's part (docs/adr/0110-early-certification.md): during the complaint window, once
     * it has checked every committed trainer's share and found nothing to complain about, and nobody has complained,
     * voted or been excluded, it opens C_k over the whole committed set and hands the signed opening to the Raft
     * leader at once. It never posts alone before D2 (the contract takes only the whole committee's batch then); a
     * node that complains or votes never signs here.
     */
    private void openEarly(Ctx c) {
        if (!raft.enabled() || !c.a().openedNodes().isEmpty() || !undisputed(c)) {
            return;
        }
        Optional<Signable> o = opening(c);
        if (o.isEmpty() || handedOver.containsKey(o.get().key())) {
            return;
        }
        Long failedAt = earlyRefused.get(o.get().key());
        if (failedAt != null && System.currentTimeMillis() - failedAt < batchWaitMillis) {
            return; // the log did not take it a moment ago (no leader yet): do not hold up the loop every tick
        }
        if (!submit(c, o.get().words())) {
            earlyRefused.put(o.get().key(), System.currentTimeMillis());
        } else {
            handedOver.put(o.get().key(), System.currentTimeMillis());
            handedEarly.add(o.get().key());
            metrics.round("opening-signed-early");
            LOG.infof("job %s round %d attempt %d: nothing to complain about; opening of C_%d handed to the Raft leader"
                    + " before D2", c.job(), c.round(), c.attempt(), c.k());
        }
    }

    /**
     * Whether, as far as this node knows, the attempt can be certified before D2: commits are closed, this node
     * holds every committed trainer's commitment and judged every share good, and no complaint, exclusion or vote
     * of its own is on record.
     */
    private boolean undisputed(Ctx c) {
        if (c.now() <= c.a().commitDeadline() || c.a().committed().isEmpty()) {
            return false;
        }
        List<RoundStore.CommitmentRow> committed = store.commitments(c.job(), c.round(), c.attempt());
        if (committed.size() != c.a().committed().size()) {
            return false; // the chain's logs are not all read yet
        }
        Map<Integer, String> verdicts = store.verdicts(c.job(), c.round(), c.attempt());
        for (RoundStore.CommitmentRow cr : committed) {
            if (!"ok".equals(verdicts.get(cr.trainer()))) {
                return false;
            }
        }
        return store.complaints(c.job(), c.round(), c.attempt()).isEmpty()
                && store.excluded(c.job(), c.round(), c.attempt()).isEmpty()
                && !store.hasDisputeAction(c.job(), c.round(), c.attempt());
    }

    /**
     * With Raft on, hands this node's signed opening to the committee's log for the leader to batch, and reports
     * whether to leave the posting to it: yes until two batch waits have passed since the hand-over without the
     * opening on chain; no when Raft is off or its log does not take the opening (no leader), so the node posts it
     * itself (docs/adr/0099-openings-batched-by-the-raft-leader.md).
     */
    private boolean handToLeader(Ctx c, String key, List<BigInteger> words) {
        if (!raft.enabled()) {
            return false;
        }
        Long since = handedOver.get(key);
        if (since == null) {
            if (!submit(c, words)) {
                note("job " + c.job() + " round " + c.round() + ": the Raft log did not take this node's opening;"
                        + " posting it alone");
                return false;
            }
            handedOver.put(key, System.currentTimeMillis());
            LOG.infof("job %s round %d attempt %d: opening of C_%d handed to the Raft leader", c.job(), c.round(),
                    c.attempt(), c.k());
            return true;
        }
        if (System.currentTimeMillis() - since < 2 * batchWaitMillis) {
            return true;
        }
        LOG.infof("job %s round %d attempt %d: the leader did not post the opening of C_%d; posting it alone",
                c.job(), c.round(), c.attempt(), c.k());
        return false;
    }

    /** Signs this node's opening words for postOpenings and appends them to the job's Raft log. */
    private boolean submit(Ctx c, List<BigInteger> words) {
        byte[] signature = MarketClient.signOpening(identity.credentials(), client().addresses().market(), chainId,
                c.job(), c.round(), c.attempt(), c.k(), words);
        return raft.submit(new CommitteeRaft.SignedOpening(c.job(), c.round(), c.attempt(), c.k(), words, signature));
    }

    /**
     * The Raft leader's step 7: posts the committee's signed openings from the Raft log that are not on chain yet in
     * one {@code postOpenings} transaction, once every node that has not opened has handed its opening over or a
     * batch wait has passed since the first one arrived. Each entry is checked first (sign-off by committee member
     * k, the contract's point z_k, a valid opening of C_k), so one bad entry cannot sink the batch. Before D2 only
     * the whole committee's openings go, at once and once per attempt, and only while the attempt is undisputed
     * (early certification, docs/adr/0110-early-certification.md).
     */
    private void batchOpenings(Ctx c) {
        if (!raft.enabled() || !raft.isLeader(c.job())) {
            return;
        }
        boolean early = c.now() <= c.a().complaintDeadline();
        if (early && (c.a().phase() != AttemptState.Phase.COMMITTING || !c.a().openedNodes().isEmpty()
                || !undisputed(c))) {
            return;
        }
        raft.forgetOpenings(c.job(), c.key());
        List<Integer> opened = c.a().openedNodes();
        List<CommitteeRaft.SignedOpening> pending = raft.openings(c.key()).values().stream()
                .filter(o -> !opened.contains(o.k())).sorted(java.util.Comparator.comparingInt(
                        CommitteeRaft.SignedOpening::k)).toList();
        if (pending.isEmpty()) {
            return;
        }
        int m = c.js().committee().size();
        if (early) {
            if (pending.size() < m) {
                return;
            }
        } else {
            long first = firstPending.computeIfAbsent(c.key(), x -> System.currentTimeMillis());
            if (opened.size() + pending.size() < m && System.currentTimeMillis() - first < batchWaitMillis) {
                return;
            }
        }
        List<BigInteger> ks = new ArrayList<>();
        List<BigInteger> words = new ArrayList<>();
        List<byte[]> signatures = new ArrayList<>();
        for (CommitteeRaft.SignedOpening o : pending) {
            if (validOpening(c, o)) {
                ks.add(BigInteger.valueOf(o.k()));
                words.addAll(o.words());
                signatures.add(o.signature());
            } else if (early) {
                return; // an opening of an older C_k, or a bad one: no early batch without every node's
            } else {
                LOG.warnf("job %s round %d: the Raft log's opening for node %d does not verify; left out of the batch",
                        c.job(), c.round(), o.k());
            }
        }
        if (ks.isEmpty() || early && ks.size() < m) {
            return;
        }
        String subject = ks.stream().map(BigInteger::toString).collect(java.util.stream.Collectors.joining(","));
        if (early) {
            // one try per attempt: a refusal (a complaint raced the batch) leaves the rest to the path after D2
            if (store.actionState(c.job(), c.round(), c.attempt(), "openings-early", subject).isPresent()) {
                return;
            }
            if (send(c.job(), c.round(), c.attempt(), "openings-early", subject, () -> client().market().postOpenings(c.job(),
                    ks, words, signatures))) {
                metrics.earlyCertification();
                LOG.infof("job %s round %d attempt %d: posted the whole committee's openings before D2 (%d s early);"
                        + " certified, complaint window closed", c.job(), c.round(), c.attempt(),
                        c.a().complaintDeadline() - c.now());
            }
            return;
        }
        if (send(c.job(), c.round(), c.attempt(), "openings", subject, () -> client().market().postOpenings(c.job(), ks, words,
                signatures))) {
            metrics.round("openings-batched");
            LOG.infof("job %s round %d attempt %d: posted the openings of nodes %s in one transaction", c.job(),
                    c.round(), c.attempt(), subject);
        }
    }

    private boolean validOpening(Ctx c, CommitteeRaft.SignedOpening o) {
        try {
            if (o.k() < 1 || o.k() > c.js().committee().size() || !o.job().equals(c.job()) || o.round() != c.round()
                    || o.attempt() != c.attempt()) {
                return false;
            }
            String signer = OpeningSignatures.signer(client().addresses().market(), chainId, c.job(), c.round(),
                    c.attempt(), o.k(), o.words(), o.signature());
            if (!signer.equalsIgnoreCase(c.js().committee().get(o.k() - 1))) {
                return false;
            }
            MarketClient.OpeningPoint at = client().market().openingPoint(c.job(), o.k());
            List<BigInteger> w = o.words();
            if (!w.get(0).equals(at.z())) {
                return false;
            }
            Opening opening = new Opening(Fr.of(w.get(0)), Fr.of(w.get(1)), Fr.of(w.get(2)), Points.point(w.get(3),
                    w.get(4)));
            return Kzg.verify(c.srs(), Points.point(at.x(), at.y()), opening);
        } catch (RuntimeException e) {
            return false;
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
        // the key for the job's next round rides along (on chain before that round opens, no transaction of its
        // own); the job's last round has none. With Raft on, the leader posts the committee's reveals in one
        // transaction (docs/adr/0113-round-storage.md); this node posts its own only if the leader does not.
        List<BigInteger> nextKey = nextRoundKey(c);
        List<BigInteger> keyWords = nextKey.isEmpty() ? List.of(BigInteger.ZERO, BigInteger.ZERO) : nextKey;
        byte[] signature = MarketClient.signReveal(identity.credentials(), client().addresses().market(), chainId,
                c.job(), c.round(), c.attempt(), c.k(), cid.toBytes(), keyWords);
        if (handRevealToLeader(c, new CommitteeRaft.SignedReveal(c.job(), c.round(), c.attempt(), c.k(), cid.toBytes(),
                keyWords, signature))) {
            return;
        }
        if (send(c.job(), c.round(), c.attempt(), "reveal", "", () -> nextKey.isEmpty()
                ? client().market().revealPartial(c.job(), cid.toBytes())
                : client().market().revealPartials(c.job(), List.of(BigInteger.valueOf(c.k())), List.of(cid.toBytes()), keyWords,
                        List.of(signature)), "AlreadyCommitted")) {
            metrics.round("revealed");
            partials.keySet().removeIf(key -> key.startsWith(c.key() + "|"));
            LOG.infof("job %s round %d attempt %d: revealed S_%d at %s", c.job(), c.round(), c.attempt(), c.k(), cid);
        }
    }

    /**
     * With Raft on, hands this node's signed reveal to the committee's log for the leader to batch; yes (leave it to
     * the leader) until two batch waits have passed since the hand-over, no when Raft is off or the log does not
     * take it, so the node posts its reveal itself.
     */
    private boolean handRevealToLeader(Ctx c, CommitteeRaft.SignedReveal reveal) {
        if (!raft.enabled()) {
            return false;
        }
        Long since = revealHandedOver.get(c.key());
        if (since == null) {
            if (!raft.submit(reveal)) {
                note("job " + c.job() + " round " + c.round() + ": the Raft log did not take this node's reveal;"
                        + " posting it alone");
                return false;
            }
            revealHandedOver.put(c.key(), System.currentTimeMillis());
            LOG.infof("job %s round %d attempt %d: reveal of S_%d handed to the Raft leader", c.job(), c.round(),
                    c.attempt(), c.k());
            return true;
        }
        if (System.currentTimeMillis() - since < 2 * batchWaitMillis) {
            return true;
        }
        LOG.infof("job %s round %d attempt %d: the leader did not post the reveal of S_%d; posting it alone", c.job(),
                c.round(), c.attempt(), c.k());
        return false;
    }

    /**
     * The Raft leader's step 8: posts the committee's signed reveals from the Raft log that are not on chain yet in
     * one {@code revealPartials} transaction, once every node that opened has handed its reveal over or a batch wait
     * has passed since the first one arrived. Each entry's sign-off is checked first, so one bad entry cannot sink
     * the batch.
     */
    private void batchReveals(Ctx c) {
        if (!raft.enabled() || !raft.isLeader(c.job())) {
            return;
        }
        List<String> committee = c.js().committee();
        java.util.Set<String> onChain = store.reveals(c.job(), c.round(), c.attempt()).keySet();
        List<CommitteeRaft.SignedReveal> pending = raft.reveals(c.key()).values().stream()
                .filter(r -> r.k() >= 1 && r.k() <= committee.size()
                        && onChain.stream().noneMatch(committee.get(r.k() - 1)::equalsIgnoreCase))
                .sorted(java.util.Comparator.comparingInt(CommitteeRaft.SignedReveal::k)).toList();
        if (pending.isEmpty()) {
            return;
        }
        long first = firstRevealPending.computeIfAbsent(c.key(), x -> System.currentTimeMillis());
        int expected = c.a().openedNodes().size();
        if (onChain.size() + pending.size() < expected && System.currentTimeMillis() - first < batchWaitMillis) {
            return;
        }
        boolean last = c.round() + 1 >= c.p().maxRounds.intValue();
        List<BigInteger> ks = new ArrayList<>();
        List<byte[]> cids = new ArrayList<>();
        List<BigInteger> keys = new ArrayList<>();
        List<byte[]> signatures = new ArrayList<>();
        for (CommitteeRaft.SignedReveal r : pending) {
            boolean keyed = r.nextKey().stream().anyMatch(w -> w.signum() != 0);
            if (!r.job().equals(c.job()) || r.round() != c.round() || r.attempt() != c.attempt() || (last && keyed)
                    || !OpeningSignatures.signedReveal(committee.get(r.k() - 1), client().addresses().market(), chainId, r)) {
                LOG.warnf("job %s round %d: the Raft log's reveal for node %d does not check; left out of the batch",
                        c.job(), c.round(), r.k());
                continue;
            }
            ks.add(BigInteger.valueOf(r.k()));
            cids.add(r.cid());
            keys.addAll(r.nextKey());
            signatures.add(r.signature());
        }
        if (ks.isEmpty()) {
            return;
        }
        String subject = ks.stream().map(BigInteger::toString).collect(java.util.stream.Collectors.joining(","));
        if (send(c.job(), c.round(), c.attempt(), "reveals", subject, () -> client().market().revealPartials(c.job(), ks, cids,
                keys, signatures))) {
            metrics.round("reveals-batched");
            LOG.infof("job %s round %d attempt %d: posted the reveals of nodes %s in one transaction", c.job(),
                    c.round(), c.attempt(), subject);
        }
    }

    /** This node's public key for the job's next round (made and stored now if need be), or empty in its last round. */
    private List<BigInteger> nextRoundKey(Ctx c) {
        int next = c.round() + 1;
        if (next >= c.p().maxRounds.intValue()) {
            return List.of();
        }
        if (!store.hasRoundKey(c.job(), next)) {
            NodeRoundKey key = NodeRoundKey.generate(rng);
            List<BigInteger> pk = Points.words(key.publicKey());
            store.insertRoundKey(c.job(), next, key.secret().toBigInteger(), pk.get(0), pk.get(1));
        }
        return store.roundKeyPublic(c.job(), next);
    }

    // ------------------------------------------------------------------ step 8: the result A

    /**
     * Combines t reveals that open their C_k into A (docs/protocol.md step 8) and posts the opening of C_A at z_A,
     * which fixes the round's result and releases the nodes' pay. Node 1 does it first after D3, node k after
     * (k − 1) grace periods; the reveals are read from IPFS by the CIDs posted on chain, so any node can do it.
     */
    private void publishResult(Ctx c) {
        if (done(c.job(), c.round(), c.attempt(), "result", "")) {
            return;
        }
        io.zkpfl.protocol.vss.CommitmentSums sums = new io.zkpfl.protocol.vss.CommitmentSums(Points.points(c.a().sums()));
        io.zkpfl.protocol.vss.Reconstruction rec = new io.zkpfl.protocol.vss.Reconstruction(c.srs(), c.vss(), sums);
        List<Share> valid = new ArrayList<>();
        for (var e : store.reveals(c.job(), c.round(), c.attempt()).entrySet()) {
            int k = indexOf(c.js().committee(), e.getKey());
            try {
                Reveal r = Reveal.fromBytes(ipfs.catVerifiedBytes(Cid.fromBytes(e.getValue()),
                        32L * (c.vss().length() + c.vss().blindingLength()) + 1024));
                if (r.jobId().equals(c.job()) && r.round() == c.round() && r.attempt() == c.attempt()
                        && r.partial().node() == k && rec.revealMatches(r.partial())) {
                    valid.add(r.partial());
                } else {
                    LOG.warnf("job %s round %d: node %d's reveal does not open its C_k; skipped", c.job(), c.round(), k);
                }
            } catch (IOException | RuntimeException ex) {
                LOG.debugf("job %s: reveal of node %d not readable yet: %s", c.job(), k, ex.getMessage());
            }
            if (valid.size() == c.vss().threshold()) {
                break;
            }
        }
        if (valid.size() < c.vss().threshold()) {
            return;
        }
        Share a = rec.combine(valid);
        // the opening point is bound to keccak(A ‖ b_A) (ADR 0108)
        io.zkpfl.protocol.round.ResultBinding.Posted posted =
                io.zkpfl.protocol.round.ResultBinding.open(c.srs(), a, sums.aggregate(), c.attempt());
        if (send(c.job(), c.round(), c.attempt(), "result", "",
                () -> client().market().openResult(c.job(), posted.aggregateHash(), posted.words()),
                "WrongPhase")) {
            metrics.round("result-published");
            LOG.infof("job %s round %d attempt %d: published the opening of C_A from %d reveals", c.job(), c.round(),
                    c.attempt(), valid.size());
        }
    }

    // ------------------------------------------------------------------ deadlines

    /**
     * How long after a deadline this node makes a call anyone may make: the Raft leader at once and every other node
     * k grace periods later; without Raft node 1 at once and node k after k − 1 grace periods (ADR 0071, 0072).
     */
    private long turn(Ctx c) {
        if (raft.enabled()) {
            return raft.isLeader(c.job()) ? 0 : (long) c.k() * graceSeconds;
        }
        return (long) (c.k() - 1) * graceSeconds;
    }

    /** Calls {@code advance} once {@code deadline} has passed and it is this node's {@link #turn}. */
    private void advanceAfter(Ctx c, long deadline, String why) {
        if (c.now() <= deadline + turn(c)) {
            return;
        }
        try {
            TransactionReceipt r = client().market().advance(c.job());
            metrics.transaction("advance", "ok");
            LOG.infof("job %s round %d attempt %d: advanced (%s), tx %s", c.job(), c.round(), c.attempt(), why,
                    r.getTransactionHash());
        } catch (ChainRevertException e) {
            if (!List.of("NothingToAdvance", "JobNotActive").contains(e.reason().name())
                    && !e.reason().toString().contains("0x9c760115")) { // JobNotActive, when gas estimation hides it
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
