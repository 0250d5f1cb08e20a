package io.zkpfl.trainer.round;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zkpfl.protocol.ipfs.Cid;
import io.zkpfl.protocol.ipfs.KuboClient;
import io.zkpfl.protocol.model.FlatParameters;
import io.zkpfl.protocol.model.ModelSpec;
import io.zkpfl.protocol.model.Optimiser;
import io.zkpfl.protocol.model.TrainingPlan;
import io.zkpfl.trainer.chain.Marketplace;
import java.io.IOException;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import org.web3j.crypto.Hash;

/**
 * A job's model as the chain commits to it in round 0 (docs/marketplace-api.md, "What the service derives"): the
 * marketplace's {@code manifest.json}, whose keccak-256 must equal the on-chain {@code modelHash}; {@code model.json},
 * whose keccak the manifest names; {@code weights.bin}, whose keccak and length the manifest names. The training plan
 * is the manifest's, so it is what the owner signed.
 *
 * @param marketplaceId the marketplace's id of the job
 * @param chainJobId    the job's id on chain
 */
public record JobModel(long marketplaceId, BigInteger chainJobId, byte[] manifest, ModelSpec spec, TrainingPlan plan,
                       float[] initialWeights) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_BYTES = 1L << 30;

    /** The listing of job {@code id} from the marketplace (its chain id; refuses a job that is not on chain). */
    public static BigInteger chainJobId(JsonNode view, long id) {
        String chainId = view.path("submission").path("chainJobId").asText(null);
        if (chainId == null || chainId.isBlank()) {
            throw TrainerException.refused("job " + id + " is not on chain (submission "
                    + view.path("submission").path("state").asText("unknown") + ")");
        }
        return new BigInteger(chainId);
    }

    /**
     * Fetches the artefacts of job {@code id} (from IPFS by CID, else from the marketplace) and checks them against
     * {@code onChainModelHash}.
     *
     * @throws TrainerException (refused) on a model hash mismatch
     */
    public static JobModel fetch(Marketplace marketplace, KuboClient ipfs, long id, JsonNode view, byte[] onChainModelHash) {
        BigInteger chainJobId = chainJobId(view, id);
        JsonNode artifacts = view.path("artifacts");
        byte[] manifest = artifact(marketplace, ipfs, artifacts, "manifest.json");
        if (!Arrays.equals(Hash.sha3(manifest), onChainModelHash)) {
            throw TrainerException.refused("model hash mismatch: keccak-256 of job " + id + "'s manifest.json is "
                    + hex(Hash.sha3(manifest)) + " but the chain's modelHash is " + hex(onChainModelHash));
        }
        JsonNode m;
        try {
            m = JSON.readTree(manifest);
        } catch (IOException e) {
            throw TrainerException.refused("job " + id + "'s manifest.json is not JSON");
        }
        byte[] modelJson = artifact(marketplace, ipfs, artifacts, "model.json");
        requireHash("model.json", modelJson, m.path("modelSpec").asText());
        byte[] weights = artifact(marketplace, ipfs, artifacts, "weights.bin");
        JsonNode w = m.path("initialWeights");
        requireHash("weights.bin", weights, w.path("keccak256").asText());
        ModelSpec spec = ModelSpec.parse(new String(modelJson, java.nio.charset.StandardCharsets.UTF_8));
        long d = m.path("parameterCount").asLong(-1);
        if (d != spec.parameterCount() || w.path("bytes").asLong(-1) != 4L * d || weights.length != 4L * d) {
            throw TrainerException.refused("model hash mismatch: the manifest's parameterCount " + d + " and "
                    + weights.length + " weight bytes do not fit model.json's " + spec.parameterCount() + " parameters");
        }
        JsonNode t = m.path("training");
        TrainingPlan plan = new TrainingPlan(t.path("localEpochs").asInt(), t.path("batchSize").asInt(),
                Double.parseDouble(t.path("learningRate").asText("0")),
                Optimiser.valueOf(t.path("optimiser").asText("sgd").toUpperCase(Locale.ROOT)));
        return new JobModel(id, chainJobId, manifest, spec, plan, FlatParameters.decode(weights, spec));
    }

    private static void requireHash(String name, byte[] bytes, String expectedHex) {
        String actual = hex(Hash.sha3(bytes));
        if (!actual.equalsIgnoreCase(expectedHex)) {
            throw TrainerException.refused("model hash mismatch: keccak-256 of " + name + " is " + actual
                    + " but the manifest names " + expectedHex);
        }
    }

    private static byte[] artifact(Marketplace marketplace, KuboClient ipfs, JsonNode artifacts, String name) {
        JsonNode a = artifacts.path(name);
        if (a.isMissingNode()) {
            throw TrainerException.refused("the marketplace lists no " + name + " for this job");
        }
        String cid = a.path("cid").asText(null);
        if (cid != null && ipfs != null) {
            try {
                return ipfs.catVerifiedBytes(Cid.parse(cid), MAX_BYTES);
            } catch (IOException | RuntimeException e) {
                // fall back to the marketplace, which checks the CID while streaming; the hashes are checked here anyway
            }
        }
        return marketplace.bytes(a.path("href").asText());
    }

    static String hex(byte[] b) {
        return "0x" + HexFormat.of().formatHex(b);
    }
}
