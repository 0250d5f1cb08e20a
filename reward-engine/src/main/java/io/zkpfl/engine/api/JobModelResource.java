package io.zkpfl.engine.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zkpfl.contracts.generated.JobMarket.JobParams;
import io.zkpfl.engine.round.ModelStore;
import io.zkpfl.engine.round.RoundLoop;
import io.zkpfl.engine.round.ValidationSource;
import io.zkpfl.protocol.validation.ValidationBundle;
import org.jboss.logging.Logger;
import io.zkpfl.protocol.ipfs.Cid;
import io.zkpfl.protocol.ipfs.KuboClient;
import io.zkpfl.protocol.model.ModelSpec;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * A job's models as this evaluator holds them: the round-0 artefacts (registered by CID and checked against the
 * job's on-chain {@code modelHash}, docs/adr/0080), each round's {@code w'}, and the final model.
 */
@Path("/api/v1/jobs/{job}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "models")
public class JobModelResource {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = Logger.getLogger(JobModelResource.class);
    private static final long MAX_ARTEFACT = 1L << 28;

    /** The CIDs of the marketplace's artefacts of a job (see docs/marketplace-api.md). */
    public record ArtifactCids(String manifestCid, String modelCid, String weightsCid) {
    }

    /** A job's current model: round −1 is the owner's initial model. */
    public record ModelView(String job, int round, String weightsHash, String weightsCid, Integer accuracyPpm,
                            String resultTx, boolean finished) {
    }

    /** One round's result as this evaluator computed and posted it. */
    public record RoundView(int round, int attempt, boolean aggregated, String weightsHash, String weightsCid,
                            Integer accuracyPpm, List<Integer> groupAccuraciesPpm, String usedNodes, String refused,
                            String openTx, String resultTx) {
    }

    private final ModelStore store;
    private final RoundLoop loop;
    private final KuboClient ipfs;
    private final ValidationSource validations;

    public JobModelResource(ModelStore store, RoundLoop loop, ValidationSource validations,
                            @ConfigProperty(name = "zkpfl.ipfs.api-url") String ipfsUrl) {
        this.store = store;
        this.loop = loop;
        this.validations = validations;
        this.ipfs = KuboClient.create(ipfsUrl);
    }

    @POST
    @Path("/artifacts")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Register a job's round-0 model by the CIDs of its manifest, model and weights artefacts",
            description = "The manifest's keccak-256 must be the job's on-chain modelHash, and the model and weights must "
                    + "have the digests the manifest lists.")
    public ModelView register(@PathParam("job") String jobText, ArtifactCids cids) {
        BigInteger job = jobId(jobText);
        if (cids == null || cids.manifestCid() == null || cids.modelCid() == null || cids.weightsCid() == null) {
            throw new ProblemException(400, "Bad Request", "manifestCid, modelCid and weightsCid are all required");
        }
        loop.discover();
        ModelStore.JobRow row = store.job(job).orElseThrow(() ->
                new ProblemException(404, "Not Found", "job " + job + " does not exist on chain"));
        if (!row.mine()) {
            throw new ProblemException(409, "Conflict", "job " + job + " names another evaluator than this engine");
        }
        JobParams p = loop.params(job);
        byte[] manifest = fetch("manifestCid", cids.manifestCid());
        String expected = Numeric.toHexString(p.modelHash);
        String actual = Numeric.toHexString(Hash.sha3(manifest));
        if (!expected.equalsIgnoreCase(actual)) {
            throw new ProblemException(422, "Unprocessable Content", "the manifest's keccak-256 is " + actual
                    + ", but job " + job + " committed to modelHash " + expected);
        }
        JsonNode m;
        try {
            m = JSON.readTree(manifest);
        } catch (IOException e) {
            throw new ProblemException(422, "Unprocessable Content", "the manifest is not JSON: " + e.getMessage());
        }
        byte[] model = fetch("modelCid", cids.modelCid());
        byte[] weights = fetch("weightsCid", cids.weightsCid());
        check("the model specification", m.path("modelSpec").asText(), model);
        check("the initial weights", m.path("initialWeights").path("keccak256").asText(), weights);
        ModelSpec spec;
        try {
            spec = ModelSpec.parse(new String(model, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new ProblemException(422, "Unprocessable Content", "the model specification is invalid: " + e.getMessage());
        }
        if (weights.length != 4L * spec.parameterCount()) {
            throw new ProblemException(422, "Unprocessable Content", "the weights hold " + weights.length
                    + " bytes, the model needs " + 4L * spec.parameterCount());
        }
        if (spec.parameterCount() + p.committeeSize.longValue() > p.bucket.longValue()) {
            throw new ProblemException(422, "Unprocessable Content", "the model's " + spec.parameterCount()
                    + " parameters and " + p.committeeSize + " masks do not fit the job's bucket " + p.bucket);
        }
        Optional<ModelStore.OwnerValidation> validation = ownerValidation(m.path("validation"));
        store.registerModel(job, spec.toJson(), weights, cids.manifestCid(), cids.modelCid(), cids.weightsCid());
        if (validation.isPresent()) {
            store.registerValidation(job, validation.get());
            // fetch, open and check the owner's set now, so a refusal shows (and is logged) before the first round
            ValidationSource.State state = validations.state(store.job(job).orElseThrow());
            if (state.status().equals("refused")) {
                LOG.warnf("job %s: registered round 0; its rounds will not be evaluated: %s", job, state.detail());
            } else {
                LOG.infof("job %s: registered round 0 with the owner's validation set %s (%s)", job,
                        validation.get().cid(), state.status());
            }
        }
        return model(jobText);
    }

    /** The manifest's {@code validation} object, checked as the marketplace checks it (docs/marketplace-api.md). */
    static Optional<ModelStore.OwnerValidation> ownerValidation(JsonNode v) {
        if (v.isMissingNode() || v.isNull()) {
            return Optional.empty();
        }
        String cid = v.path("cid").asText("");
        try {
            Cid.parse(cid);
        } catch (RuntimeException e) {
            throw new ProblemException(422, "Unprocessable Content", "the manifest's validation.cid is not a CID: " + cid);
        }
        String commitment = v.path("commitment").asText("");
        if (!commitment.matches("0x[0-9a-fA-F]{64}")) {
            throw new ProblemException(422, "Unprocessable Content",
                    "the manifest's validation.commitment is not 32 bytes of 0x-hex");
        }
        int groups = v.path("groups").asInt(-1);
        if (!v.path("groups").canConvertToInt() || groups < 0 || groups > ValidationBundle.MAX_GROUPS) {
            throw new ProblemException(422, "Unprocessable Content", "the manifest's validation.groups must be within 0.."
                    + ValidationBundle.MAX_GROUPS);
        }
        return Optional.of(new ModelStore.OwnerValidation(cid, commitment.toLowerCase(java.util.Locale.ROOT), groups));
    }

    @GET
    @Path("/validation")
    @Operation(summary = "The set this job's models are measured on: the default set, or the owner's sealed set and "
            + "whether it is accepted (opens with this evaluator's key, matches the manifest's commitment)")
    public ValidationSource.State validation(@PathParam("job") String jobText) {
        BigInteger job = jobId(jobText);
        ModelStore.JobRow row = known(job);
        if (row.initialWeights() == null) {
            throw new ProblemException(404, "Not Found", "job " + job + "'s artefacts are not registered yet (POST /api/v1/jobs/"
                    + job + "/artifacts)");
        }
        return validations.state(row);
    }

    private void check(String what, String listed, byte[] bytes) {
        String actual = Numeric.toHexString(Hash.sha3(bytes));
        if (!actual.equalsIgnoreCase(listed)) {
            throw new ProblemException(422, "Unprocessable Content", what + " has keccak-256 " + actual
                    + ", the manifest lists " + listed);
        }
    }

    private byte[] fetch(String field, String text) {
        Cid cid;
        try {
            cid = Cid.parse(text);
        } catch (RuntimeException e) {
            throw new ProblemException(400, "Bad Request", field + " is not a CID: " + e.getMessage());
        }
        try {
            return ipfs.catVerifiedBytes(cid, MAX_ARTEFACT);
        } catch (IOException | RuntimeException e) {
            throw new ProblemException(422, "Unprocessable Content", field + " " + text + " cannot be fetched from IPFS: "
                    + e.getMessage());
        }
    }

    @GET
    @Path("/model")
    @Operation(summary = "The job's current (at completion: final) model: its keccak-256, IPFS CID and accuracy")
    public ModelView model(@PathParam("job") String jobText) {
        BigInteger job = jobId(jobText);
        ModelStore.JobRow row = known(job);
        Optional<ModelStore.RoundRow> last = store.latestAggregatedBefore(job, Integer.MAX_VALUE);
        if (last.isPresent()) {
            ModelStore.RoundRow r = last.get();
            return new ModelView(job.toString(), r.round(), r.weightsHash(), r.weightsCid(), r.accuracyPpm(),
                    r.resultTx(), row.finished());
        }
        String hash = row.initialWeights() == null ? null : Numeric.toHexString(Hash.sha3(row.initialWeights()));
        return new ModelView(job.toString(), -1, hash, row.weightsCid(), null, null, row.finished());
    }

    @GET
    @Path("/model/weights")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    @Operation(summary = "Download the job's current model: float32 little-endian weights (FlatParameters)")
    public Response weights(@PathParam("job") String jobText) {
        BigInteger job = jobId(jobText);
        ModelStore.JobRow row = known(job);
        byte[] bytes = store.latestAggregatedBefore(job, Integer.MAX_VALUE).map(ModelStore.RoundRow::weights)
                .orElse(row.initialWeights());
        if (bytes == null) {
            throw new ProblemException(404, "Not Found", "job " + job + " has no registered model yet");
        }
        return Response.ok(bytes, MediaType.APPLICATION_OCTET_STREAM)
                .header("Content-Disposition", "attachment; filename=\"job-" + job + "-weights.bin\"").build();
    }

    @GET
    @Path("/evaluations")
    @Operation(summary = "Each round's result as this evaluator computed and posted it")
    public List<RoundView> evaluations(@PathParam("job") String jobText) {
        BigInteger job = jobId(jobText);
        known(job);
        return store.rounds(job).stream().map(r -> new RoundView(r.round(), r.attempt(), r.aggregated(), r.weightsHash(),
                r.weightsCid(), r.accuracyPpm(), r.groupAccuraciesPpm(), r.usedNodes(), r.rejected(), r.openTx(), r.resultTx())).toList();
    }

    private ModelStore.JobRow known(BigInteger job) {
        return store.job(job).filter(ModelStore.JobRow::mine).orElseThrow(() ->
                new ProblemException(404, "Not Found", "job " + job + " is not evaluated by this engine"));
    }

    static BigInteger jobId(String text) {
        try {
            BigInteger v = new BigInteger(text);
            if (v.signum() <= 0 || v.bitLength() > 256) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new ProblemException(400, "Bad Request", "job must be a positive decimal integer, got '" + text + "'");
        }
    }
}
