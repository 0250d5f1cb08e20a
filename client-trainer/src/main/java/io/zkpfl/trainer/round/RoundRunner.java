package io.zkpfl.trainer.round;

import io.zkpfl.contracts.AttemptState;
import io.zkpfl.contracts.JobState;
import io.zkpfl.contracts.MarketEvent;
import io.zkpfl.contracts.generated.JobMarket;
import io.zkpfl.protocol.envelope.EnvelopeTag;
import io.zkpfl.protocol.envelope.ShareEnvelope;
import io.zkpfl.protocol.fixedpoint.ClipPolicy;
import io.zkpfl.protocol.fixedpoint.UpdateEncoder;
import io.zkpfl.protocol.ipfs.Cid;
import io.zkpfl.protocol.ipfs.KuboClient;
import io.zkpfl.protocol.round.EnvelopeManifest;
import io.zkpfl.protocol.round.RoundTopics;
import io.zkpfl.protocol.vss.BufferedSecureRandom;
import io.zkpfl.protocol.vss.Dealing;
import io.zkpfl.protocol.vss.VssDealer;
import io.zkpfl.protocol.vss.VssParameters;
import io.zkpfl.trainer.chain.TrainerChain;
import io.zkpfl.trainer.data.LabelledImages;
import io.zkpfl.zk.bn254.G1;
import io.zkpfl.zk.kzg.Srs;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * The trainer's rounds (docs/protocol.md, steps 1–5; docs/adr/0067): for each round it waits for the job's current
 * attempt to open and for every committee node's round key (RoundKeyPosted, sent from the node's own address), checks
 * the model against the chain, trains, clips and encodes {@code Δ = w_i − w}, deals it with a CSPRNG, seals one
 * envelope per node, keeps manifest and envelopes on disk and on IPFS, commits on chain and publishes to Kafka. It
 * stops when the job ends or after {@code rounds} rounds. A restart after the commit publishes the kept messages again
 * and never commits twice.
 */
public final class RoundRunner {

    /** What a run needs. */
    public record Settings(int rounds, long pollMillis, Path stateDir, Long seed, int keyWaitSeconds) {
    }

    private final TrainerChain chain;
    private final KuboClient ipfs;
    private final ShareDelivery delivery;
    private final JobModel job;
    private final Srs srs;
    private final VssParameters params;
    private final ClipPolicy clip;
    private final LabelledImages data;
    private final Settings settings;
    private final PrintWriter out;
    private final ModelHistory history;
    private final BigInteger jobId;
    private final BufferedSecureRandom rng = new BufferedSecureRandom(new SecureRandom());
    /** The job's DP noise, or null for a job without privacy terms. */
    private final UpdateNoise noise;

    private RoundRunner(TrainerChain chain, KuboClient ipfs, ShareDelivery delivery, JobModel job, Srs srs,
                        VssParameters params, ClipPolicy clip, LabelledImages data, Settings settings, PrintWriter out,
                        byte[] initialModelHash, UpdateNoise noise) {
        this.chain = chain;
        this.ipfs = ipfs;
        this.delivery = delivery;
        this.job = job;
        this.srs = srs;
        this.params = params;
        this.clip = clip;
        this.data = data;
        this.settings = settings;
        this.out = out;
        this.jobId = job.chainJobId();
        this.history = new ModelHistory(jobId, job.initialWeights(), initialModelHash);
        this.noise = noise;
    }

    /**
     * Checks the job and the trainer's place in it, loads the SRS, connects to Kafka, and runs the rounds.
     *
     * @return the number of rounds this trainer committed to (or found itself committed to)
     */
    public static int run(TrainerChain chain, KuboClient ipfs, String kafka, Path srsFile, JobModel job,
                          LabelledImages trainingData, Settings settings, PrintWriter out) {
        BigInteger jobId = job.chainJobId();
        JobMarket.JobParams p = chain.guard("jobParams", () -> chain.client().market().jobParams(jobId));
        JobState state = chain.guard("jobState", () -> chain.client().market().job(jobId));
        requireActive(state, jobId);
        if (index(state, chain.address()) == 0) {
            throw TrainerException.refused("not joined: " + chain.address() + " is not a trainer of job " + job.marketplaceId()
                    + "; run 'client-trainer join --job " + job.marketplaceId() + "' first");
        }
        int t = p.threshold.intValue();
        int m = p.committeeSize.intValue();
        long d = job.spec().parameterCount();
        VssParameters params = RoundShape.params(t, m, d, p.bucket.longValue());
        ClipPolicy clip = RoundShape.clip(p.clipQ16, p.maxSamples.longValue(), d);
        UpdateNoise noise = UpdateNoise.terms(job.manifest())
                .map(terms -> UpdateNoise.of(terms, clip, p.minTrainers.intValue(), new SecureRandom()))
                .orElse(null);
        LabelledImages data = trainingData.count() > clip.maxSamples() ? trainingData.head(clip.maxSamples()) : trainingData;
        Srs srs = loadSrs(srsFile, params);
        try {
            ipfs.version();
        } catch (IOException | RuntimeException e) {
            throw TrainerException.unavailable("IPFS at " + ipfs.baseUrl() + " cannot be reached (" + e.getMessage() + ")", e);
        }
        try (ShareDelivery delivery = ShareDelivery.connect(kafka)) {
            out.println(String.format(Locale.ROOT, "job %d (chain job %s): d = %d, D = %d, t = %d of m = %d, B = %s, "
                    + "N_max = %d; %d local samples", job.marketplaceId(), jobId, d, params.length(), t, m,
                    clip.coordinateClip(), clip.maxSamples(), data.count()));
            if (noise != null) {
                out.println(noise.describe());
            }
            out.flush();
            return new RoundRunner(chain, ipfs, delivery, job, srs, params, clip, data, settings, out, p.modelHash, noise)
                    .loop();
        }
    }

    private static Srs loadSrs(Path file, VssParameters params) {
        if (file == null) {
            throw new IllegalArgumentException("no SRS: give --srs FILE.ptau (or set ZKPFL_SRS) with the platform's powers of tau");
        }
        if (!java.nio.file.Files.isRegularFile(file)) {
            throw new IllegalArgumentException("SRS file " + file + " does not exist");
        }
        try {
            return Srs.fromPtau(file, params.length(), params.blindingLength());
        } catch (IOException e) {
            throw new UncheckedIOException("SRS file " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static void requireActive(JobState state, BigInteger jobId) {
        if (state.status() != JobState.Status.ACTIVE) {
            String s = switch (state.status()) {
                case NONE -> "does not exist";
                case COMPLETED -> "has completed";
                case FAILED -> "has failed";
                case ACTIVE -> "is active";
            };
            throw TrainerException.refused("job " + jobId + " is closed: it " + s + " on chain");
        }
    }

    static int index(JobState state, String address) {
        for (int i = 0; i < state.trainers().size(); i++) {
            if (state.trainers().get(i).equalsIgnoreCase(address)) {
                return i + 1;
            }
        }
        return 0;
    }

    private int loop() {
        // rounds, not attempts: a round whose attempt failed and restarted counts once
        int done = 0;
        long countedRound = -1;
        String last = null;
        while (done < settings.rounds()) {
            JobState state = chain.guard("jobState", () -> chain.client().market().job(jobId));
            if (state.status() != JobState.Status.ACTIVE) {
                out.println("job " + jobId + " has ended on chain (status " + (state.status() == JobState.Status.COMPLETED ? "completed" : "failed")
                        + ") after " + done + " round(s) here");
                out.flush();
                return done;
            }
            String slot = state.round() + "/" + state.attempt();
            if (slot.equals(last)) {
                sleep();
                continue;
            }
            AttemptState attempt = chain.guard("attemptState", () -> chain.client().market().attempt(jobId));
            RoundSpool spool = new RoundSpool(settings.stateDir(), chain.chainId(), chain.addresses().market(),
                    chain.address(), jobId, state.round(), state.attempt());
            if (attempt.committed().stream().anyMatch(chain.address()::equalsIgnoreCase)) {
                republish(spool, state);
                if (state.round() != countedRound) {
                    done++;
                    countedRound = state.round();
                }
                last = slot;
                continue;
            }
            long now = chain.now();
            if (attempt.phase() != AttemptState.Phase.COMMITTING || now > attempt.commitDeadline()) {
                if (!slot.equals(waitingFor)) {
                    out.println("round " + state.round() + " attempt " + state.attempt() + " is past its commit window; "
                            + "waiting for the next one");
                    out.flush();
                    waitingFor = slot;
                }
                sleep();
                continue;
            }
            List<G1> keys = roundKeys(state, attempt.commitDeadline());
            if (keys == null) {
                last = slot;
                continue;
            }
            commit(state, attempt, keys, spool);
            if (state.round() != countedRound) {
                done++;
                countedRound = state.round();
            }
            last = slot;
        }
        return done;
    }

    private String waitingFor;

    /** Every node's key for the round, or null when the commit window closes first. */
    private List<G1> roundKeys(JobState state, long commitDeadline) {
        int m = params.committeeSize();
        boolean told = false;
        long waitUntil = System.currentTimeMillis() + settings.keyWaitSeconds() * 1000L;
        while (true) {
            G1[] keys = new G1[m];
            int found = 0;
            for (var e : chain.events(MarketEvent.RoundKeyPosted.class, jobId, 0)) {
                int k = e.k();
                if (e.round() != state.round() || k < 1 || k > m || keys[k - 1] != null) {
                    continue;
                }
                if (!state.committee().get(k - 1).equalsIgnoreCase(e.node())) {
                    continue; // the contract lets only node k post slot k; anything else is not its key
                }
                keys[k - 1] = ChainWords.point(e.x(), e.y());
                found++;
            }
            if (found == m) {
                return Arrays.asList(keys);
            }
            if (chain.now() > commitDeadline || System.currentTimeMillis() > waitUntil) {
                out.println("round " + state.round() + " attempt " + state.attempt() + ": only " + found + " of " + m
                        + " committee keys were posted before the commit window closed; skipping it");
                out.flush();
                return null;
            }
            if (!told) {
                out.println("round " + state.round() + " attempt " + state.attempt() + ": waiting for the committee's round"
                        + " keys (" + found + " of " + m + " posted)");
                out.flush();
                told = true;
            }
            sleep();
        }
    }

    private void commit(JobState state, AttemptState attempt, List<G1> keys, RoundSpool spool) {
        int round = state.round();
        int att = state.attempt();
        int i = index(state, chain.address());
        float[] w = history.current(Arrays.copyOf(org.web3j.utils.Numeric.hexStringToByteArray(state.model()), 32),
                chain, ipfs, srs, params, out);
        out.println("round " + round + " attempt " + att + ": model checked against the chain ("
                + state.model() + "); training as trainer " + i);
        out.flush();
        long seed = settings.seed() != null ? settings.seed() + round : new SecureRandom().nextLong();
        float[] trained = LocalUpdate.train(job.spec(), job.plan(), w, data, seed, out);
        float[] delta = new float[w.length];
        for (int j = 0; j < w.length; j++) {
            delta[j] = trained[j] - w[j];
        }
        int samples = data.count();
        Dealing dealing = new VssDealer(srs, params).deal(encode(clip, noise, delta, samples), rng);
        if (noise != null) {
            out.println(String.format(Locale.ROOT, "round %d attempt %d: clipped to L2 norm %.6g and added this trainer's"
                    + " noise share (σ_i = %.1f integer units per coordinate) before dealing", round, att,
                    noise.clip().l2Clip(), noise.shareSigma()));
        }
        Map<String, byte[]> envelopes = new LinkedHashMap<>();
        List<Cid> cids = new ArrayList<>();
        for (int k = 1; k <= params.committeeSize(); k++) {
            EnvelopeTag tag = new EnvelopeTag(jobId, round, att, i, k);
            byte[] env = ShareEnvelope.seal(keys.get(k - 1), tag, dealing.shareFor(k), rng).toBytes();
            envelopes.put(RoundTopics.envelopeKey(jobId, round, att, i, k), env);
            cids.add(Cid.ofFile(env)); // what IPFS names it: one raw block up to 256 KiB, a chunked file above
        }
        EnvelopeManifest manifest = new EnvelopeManifest(jobId, round, att, i, samples, dealing.commitments(), cids);
        byte[] manifestBytes = manifest.toBytes();
        String manifestKey = RoundTopics.manifestKey(jobId, round, att, i);
        spool.save(manifestKey, manifestBytes, envelopes);
        pinToIpfs(envelopes, manifestBytes);
        TransactionReceipt receipt = chain.send("commitRound", () -> chain.client().market().commitRound(jobId,
                ChainWords.words(dealing.commitments()), manifest.digest(), samples));
        out.println("round " + round + " attempt " + att + ": committed " + params.threshold() + " commitments, n_i = "
                + samples + ", manifest " + JobModel.hex(manifest.digest()) + " (tx " + receipt.getTransactionHash() + ")");
        out.flush();
        delivery.publish(envelopes, manifestKey, manifestBytes);
        spool.markPublished();
        out.println("round " + round + " attempt " + att + ": " + envelopes.size() + " envelopes and the manifest delivered"
                + " through Kafka and IPFS");
        out.flush();
    }

    /**
     * What the trainer deals for {@code Δ}: the clipped, {@code n_i}-weighted fixed-point encoding, plus its share of
     * the job's noise when the job has privacy terms ({@code noise} not null; its clip then applies).
     */
    static io.zkpfl.zk.bn254.Fr[] encode(ClipPolicy clip, UpdateNoise noise, float[] delta, int samples) {
        return noise == null ? new UpdateEncoder(clip).encode(delta, samples) : noise.encode(delta, samples);
    }

    private void pinToIpfs(Map<String, byte[]> envelopes, byte[] manifest) {
        try {
            for (byte[] env : envelopes.values()) {
                Cid cid = ipfs.add(new java.io.ByteArrayInputStream(env),
                        io.zkpfl.protocol.ipfs.KuboClient.AddOptions.defaults().withCidVersion(1)).cid();
                if (!cid.equals(Cid.ofFile(env))) {
                    out.println("warning: IPFS stored an envelope as " + cid + ", not as the manifest names it ("
                            + Cid.ofFile(env) + "); nodes find it by Kafka only");
                }
            }
            ipfs.add(new java.io.ByteArrayInputStream(manifest), io.zkpfl.protocol.ipfs.KuboClient.AddOptions.defaults()
                    .withCidVersion(1));
        } catch (IOException | RuntimeException e) {
            throw TrainerException.unavailable("IPFS at " + ipfs.baseUrl() + " did not take the envelopes (" + e.getMessage()
                    + "); nothing was committed", e);
        }
    }

    private void republish(RoundSpool spool, JobState state) {
        String where = "round " + state.round() + " attempt " + state.attempt();
        var manifest = spool.manifest();
        if (manifest.isEmpty()) {
            out.println(where + ": already committed, but no kept envelopes in " + spool.dir() + "; nothing to resend");
        } else if (spool.published()) {
            out.println(where + ": already committed and delivered; not committing again");
        } else {
            try {
                delivery.publish(spool.envelopes(), spool.manifestKey(), manifest.get());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            spool.markPublished();
            out.println(where + ": already committed; the kept envelopes and manifest were delivered again");
        }
        out.flush();
    }

    private void sleep() {
        try {
            Thread.sleep(settings.pollMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }
}
