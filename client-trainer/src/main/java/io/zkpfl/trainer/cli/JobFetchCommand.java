package io.zkpfl.trainer.cli;

import io.zkpfl.contracts.JobState;
import com.fasterxml.jackson.databind.JsonNode;
import io.zkpfl.protocol.ipfs.Cid;
import io.zkpfl.protocol.ipfs.KuboClient;
import io.zkpfl.trainer.chain.Endpoints;
import io.zkpfl.trainer.chain.TrainerChain;
import io.zkpfl.trainer.owner.JobProgress;
import io.zkpfl.trainer.owner.ServiceApi;
import io.zkpfl.trainer.round.JobModel;
import io.zkpfl.trainer.round.TrainerException;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code job fetch ID}: the job's final model, checked against the hash the chain holds (docs/owner.md). */
@Command(name = "fetch", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Downloads a job's final model and checks it against the chain.",
        description = {"Finds the job's last round result on chain (the evaluator's RoundPaid: round, accuracy, keccak-256 of "
                + "the weights), gets the weights' IPFS CID from the reward engine (GET /api/v1/jobs/{chainJobId}/model) or "
                + "--cid, downloads them from IPFS (verified against the CID) and writes them only when their keccak-256 is "
                + "the chain's hash. The file is the canonical flat vector, little-endian float32, as --weights takes it.",
            "Exit 4 with one line, and nothing written, on any mismatch."})
final class JobFetchCommand implements Callable<Integer> {

    private static final long MAX_BYTES = 1L << 30;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;
    @Mixin
    Endpoints endpoints;
    @Parameters(paramLabel = "ID", description = "the marketplace's job id")
    long id;
    @Option(names = "--engine", paramLabel = "URL", defaultValue = "${env:ZKPFL_ENGINE}",
            description = "reward engine base URL, which names the model's CID (env ZKPFL_ENGINE)")
    String engine;
    @Option(names = "--cid", paramLabel = "CID", description = "the weights' IPFS CID, when known otherwise (instead of --engine)")
    String cid;
    @Option(names = "--ipfs", paramLabel = "URL", defaultValue = "${env:ZKPFL_IPFS:-http://127.0.0.1:5001}",
            description = "IPFS (Kubo RPC) API URL (env ZKPFL_IPFS; default: ${DEFAULT-VALUE})")
    String ipfs;
    @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "where to write the weights (default: job-ID-model.bin)")
    Path out;
    @Option(names = "--force", description = "overwrite an existing --out file")
    boolean force;

    @Override
    public Integer call() throws Exception {
        boolean hasEngine = engine != null && !engine.isBlank();
        if (!hasEngine && cid == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give --engine URL (or env ZKPFL_ENGINE) or --cid CID");
        }
        Path file = out != null ? out : Path.of("job-" + id + "-model.bin");
        if (Files.exists(file) && !force) {
            throw new IllegalArgumentException(file + " exists; give --force to overwrite it or --out another file");
        }
        PrintWriter o = spec.commandLine().getOut();
        JsonNode view = endpoints.marketplace().job(id);
        BigInteger chainJob = JobModel.chainJobId(view, id);
        try (TrainerChain chain = TrainerChain.connect(endpoints, null)) {
            JobProgress.Round result = JobProgress.lastResult(JobProgress.fromChain(chain, chainJob)).orElseThrow(() ->
                    TrainerException.refused("job " + id + " (chain job " + chainJob + ") has no round result on chain yet"));
            JobState.Status status = chain.guard("jobState", () -> chain.client().market().job(chainJob)).status();
            ServiceApi api = hasEngine ? new ServiceApi("the reward engine", engine) : null;
            String weightsCid = cid;
            if (weightsCid == null) {
                JsonNode m = api.get("/api/v1/jobs/" + chainJob + "/model");
                if (m.path("round").asInt(-1) != result.round()) {
                    throw TrainerException.refused("the reward engine's model of job " + id + " is round " + m.path("round").asText("?")
                            + " but the chain's last result is round " + result.round() + "; nothing was written");
                }
                weightsCid = m.path("weightsCid").asText(null);
                if (weightsCid == null || weightsCid.isBlank()) {
                    throw TrainerException.refused("the reward engine names no CID for job " + id + "'s round " + result.round());
                }
            }
            byte[] bytes = download(weightsCid, api, chainJob);
            String actual = Numeric.toHexString(Hash.sha3(bytes));
            if (!actual.equalsIgnoreCase(result.weightsHash())) {
                throw TrainerException.refused("model hash mismatch: keccak-256 of the weights at " + weightsCid + " is " + actual
                        + " but the chain holds " + result.weightsHash() + " for round " + result.round() + "; nothing was written");
            }
            long d = view.path("parameterCount").asLong(-1);
            if (d > 0 && bytes.length != 4 * d) {
                throw TrainerException.refused("the weights at " + weightsCid + " are " + bytes.length + " bytes but job " + id
                        + "'s model has " + d + " parameters; nothing was written");
            }
            WeightsFile.write(file, bytes);
            o.println(String.format(Locale.ROOT, "job %d (chain job %s, %s): round %d's model, accuracy %.4f, keccak-256 %s, IPFS %s",
                    id, chainJob, status == JobState.Status.COMPLETED ? "completed" : status == JobState.Status.FAILED ? "failed" : "active, a later round may replace it",
                    result.round(), result.accuracyPpm() / 1e6, actual, weightsCid));
            o.println("wrote " + bytes.length + " bytes to " + file);
            o.flush();
        }
        return TrainerCli.OK;
    }

    /** The bytes at {@code weightsCid} from IPFS (checked against the CID), else from the engine's weights download. */
    private byte[] download(String weightsCid, ServiceApi api, BigInteger chainJob) {
        Cid parsed;
        try {
            parsed = Cid.parse(weightsCid.strip());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("'" + weightsCid + "' is not a CID: " + e.getMessage());
        }
        try {
            return KuboClient.create(ipfs).catVerifiedBytes(parsed, MAX_BYTES);
        } catch (IOException | RuntimeException e) {
            if (api == null) {
                throw TrainerException.unavailable("the weights " + weightsCid + " cannot be read from IPFS at " + ipfs + " ("
                        + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")", e);
            }
            // the hash check below holds the engine's bytes to the chain as well
            return api.bytes("/api/v1/jobs/" + chainJob + "/model/weights");
        }
    }
}
