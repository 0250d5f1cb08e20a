package io.zkpfl.engine.round;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zkpfl.engine.chain.EngineChain;
import io.zkpfl.protocol.dp.JobPrivacy;
import io.zkpfl.protocol.dp.PrivacySpent;
import io.zkpfl.protocol.ipfs.Cid;
import io.zkpfl.protocol.ipfs.KuboClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.web3j.crypto.Hash;

/**
 * A job's differential-privacy terms (docs/privacy.md) as the owner signed them: the {@code privacy} object of the
 * manifest registered with this engine (its keccak-256 is the on-chain {@code modelHash}), with the chain's
 * {@code N_max} and the manifest's parameter count, which fix the per-round mechanism the accountant charges. Known
 * only for jobs whose artefacts were registered here ({@code POST /api/v1/jobs/{job}/artifacts}).
 */
@ApplicationScoped
public class PrivacyTerms {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_MANIFEST = 1 << 20;

    /** The terms with what they are applied to. */
    public record Terms(JobPrivacy privacy, long maxSamples, long dimension) {

        /** {@code ε} at the job's {@code δ} after {@code certifiedRounds} charged rounds (0 before the first). */
        public PrivacySpent after(long certifiedRounds) {
            return certifiedRounds == 0 ? new PrivacySpent(0, privacy.delta().doubleValue(), Double.NaN)
                    : privacy.spentAfter(certifiedRounds, maxSamples, dimension);
        }

        /** How many certified rounds fit the budget. */
        public long roundsWithinBudget() {
            return privacy.roundsWithinBudget(maxSamples, dimension);
        }
    }

    private final ModelStore store;
    private final EngineChain chain;
    private final KuboClient ipfs;
    private final Map<BigInteger, Optional<Terms>> cache = new ConcurrentHashMap<>();

    public PrivacyTerms(ModelStore store, EngineChain chain, @ConfigProperty(name = "zkpfl.ipfs.api-url") String ipfsUrl) {
        this.store = store;
        this.chain = chain;
        this.ipfs = KuboClient.create(ipfsUrl);
    }

    /**
     * The terms of {@code job}: empty for a job without DP, and for a job whose manifest this engine does not hold
     * (not cached then, so a later registration is seen).
     *
     * @throws IllegalStateException when the registered manifest cannot be fetched or no longer matches the chain
     */
    public Optional<Terms> of(BigInteger job) {
        Optional<Terms> known = cache.get(job);
        if (known != null) {
            return known;
        }
        Optional<ModelStore.JobRow> row = store.job(job);
        if (row.isEmpty() || row.get().manifestCid() == null) {
            return Optional.empty();
        }
        byte[] manifest;
        try {
            manifest = ipfs.catVerifiedBytes(Cid.parse(row.get().manifestCid()), MAX_MANIFEST);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("job " + job + "'s manifest " + row.get().manifestCid()
                    + " cannot be fetched from IPFS: " + e.getMessage(), e);
        }
        var params = chain.client().market().jobParams(job);
        if (!Arrays.equals(Hash.sha3(manifest), params.modelHash)) {
            throw new IllegalStateException("job " + job + "'s registered manifest does not hash to its on-chain modelHash");
        }
        Optional<Terms> terms = parse(manifest, params.maxSamples.longValueExact());
        cache.put(job, terms);
        return terms;
    }

    /** The terms in a manifest's bytes, for a job with {@code N_max = maxSamples}. */
    static Optional<Terms> parse(byte[] manifest, long maxSamples) {
        JsonNode m;
        try {
            m = JSON.readTree(manifest);
        } catch (IOException e) {
            throw new IllegalStateException("the manifest is not JSON", e);
        }
        JsonNode p = m.get("privacy");
        if (p == null || p.isNull()) {
            return Optional.empty();
        }
        return Optional.of(new Terms(JobPrivacy.fromJson(p), maxSamples, m.path("parameterCount").asLong()));
    }
}
