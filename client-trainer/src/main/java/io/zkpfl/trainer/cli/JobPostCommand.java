package io.zkpfl.trainer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkpfl.protocol.model.ModelSpec;
import io.zkpfl.trainer.chain.Endpoints;
import io.zkpfl.trainer.chain.TrainerChain;
import io.zkpfl.trainer.model.BuiltInModel;
import io.zkpfl.trainer.owner.JobDraft;
import io.zkpfl.trainer.owner.ServiceApi;
import io.zkpfl.trainer.owner.ValidationUpload;
import io.zkpfl.protocol.ipfs.KuboClient;
import io.zkpfl.trainer.round.TrainerException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
import org.web3j.crypto.Credentials;
import org.web3j.utils.Numeric;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code job post}: signs a job with the owner's key, approves its fee and posts it (docs/owner.md). */
@Command(name = "post", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Posts a training job signed by the owner's keystore.",
        description = {"Asks the marketplace for the job's EIP-712 typed data (POST /api/v1/jobs/typed-data), checks it carries "
                + "exactly these terms, signs it with the keystore's key and posts the job (POST /api/v1/jobs). The fee is "
                + "escrowed by the JobMarket when the job is created on chain: when the owner's allowance for the market is "
                + "below the fee, it is approved first. Then waits until the job is on chain and prints its ids.",
            "Defaults are the demo's: an MLP, 2 local epochs of batch 32 at learning rate 0.1 (sgd), committee 3/2, "
                + "2 to 16 trainers, a 1000-token fee."})
final class JobPostCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;
    @Mixin
    WalletOptions wallet;
    @Mixin
    Endpoints endpoints;

    @Option(names = "--model", paramLabel = "NAME|FILE", defaultValue = "mlp",
            description = "built-in model (logreg, mlp, cnn; see 'models') or a model specification JSON file "
                    + "(docs/model-spec.md) (default: ${DEFAULT-VALUE})")
    String model;
    @Option(names = "--weights", paramLabel = "FILE",
            description = "initial weights: little-endian float32, 4 bytes per parameter (default: the marketplace "
                    + "initialises them from the spec, seeded by the nonce)")
    Path weights;
    @Option(names = "--target", paramLabel = "ACCURACY", required = true,
            description = "target accuracy in (0, 1], at most 6 decimals: the job completes when a round reaches it")
    BigDecimal target;
    @Option(names = "--rounds", paramLabel = "N", defaultValue = "15", description = "round budget, 1 to 1000 (default: ${DEFAULT-VALUE})")
    int rounds;
    @Option(names = "--fee", paramLabel = "TOKENS", defaultValue = "1000",
            description = "fee escrowed for the trainers and nodes, in tokens (default: ${DEFAULT-VALUE})")
    String fee;
    @Option(names = "--fee-token", paramLabel = "ADDRESS", description = "ERC-20 of the fee (default: the platform token)")
    String feeToken;
    @Option(names = "--committee", paramLabel = "SIZE/THRESHOLD", defaultValue = "3/2",
            description = "zk-node committee size m and threshold t, t >= 2, m >= 2t - 1 (default: ${DEFAULT-VALUE})")
    String committee;
    @Option(names = "--trainers", paramLabel = "MIN/MAX", defaultValue = "2/16",
            description = "trainers a round needs at least and takes at most (default: ${DEFAULT-VALUE})")
    String trainers;
    @Option(names = "--epochs", paramLabel = "N", defaultValue = "2", description = "local epochs per round (default: ${DEFAULT-VALUE})")
    int epochs;
    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "32", description = "local batch size (default: ${DEFAULT-VALUE})")
    int batchSize;
    @Option(names = "--learning-rate", paramLabel = "RATE", defaultValue = "0.1", description = "local learning rate (default: ${DEFAULT-VALUE})")
    BigDecimal learningRate;
    @Option(names = "--optimiser", paramLabel = "NAME", defaultValue = "sgd", description = "local optimiser (default: ${DEFAULT-VALUE})")
    String optimiser;
    @Option(names = "--max-samples", paramLabel = "N", defaultValue = "60000",
            description = "most samples a trainer may declare per round (default: ${DEFAULT-VALUE})")
    long maxSamples;
    @Option(names = "--alpha", paramLabel = "FRACTION", defaultValue = "0.5",
            description = "weight of samples (vs accuracy share) in a trainer's pay, in [0, 1] (default: ${DEFAULT-VALUE})")
    BigDecimal alpha;
    @Option(names = "--window", paramLabel = "NAME=SECONDS",
            description = "a round window: commit (600), complaint (10), partial (120), proof (300), reveal (120); repeatable")
    Map<String, Long> windows;
    @Option(names = "--evaluator", paramLabel = "ADDRESS", description = "the job's evaluator (default: the marketplace's)")
    String evaluator;
    @Option(names = "--epsilon", paramLabel = "E", description = "differential privacy: total epsilon over all rounds (with --delta, "
            + "--noise-multiplier, --l2-clip; docs/privacy.md)")
    BigDecimal epsilon;
    @Option(names = "--delta", paramLabel = "D", description = "differential privacy: total delta, e.g. 1e-5")
    BigDecimal delta;
    @Option(names = "--noise-multiplier", paramLabel = "Z", description = "differential privacy: noise multiplier")
    BigDecimal noiseMultiplier;
    @Option(names = "--l2-clip", paramLabel = "C", description = "differential privacy: L2 clip of each update")
    BigDecimal l2Clip;
    @Option(names = "--nonce", paramLabel = "N", description = "the job's nonce, once per owner (default: the time in milliseconds)")
    BigInteger nonce;
    @Option(names = "--valid-for", paramLabel = "SECONDS", defaultValue = "3600",
            description = "how long the signature is valid (default: ${DEFAULT-VALUE})")
    long validFor;
    @Option(names = "--engine", paramLabel = "URL", defaultValue = "${env:ZKPFL_ENGINE}",
            description = "reward engine (the job's evaluator) to hand the round-0 artefacts to once on chain (env ZKPFL_ENGINE)")
    String engine;
    @Option(names = "--validation", paramLabel = "DIR",
            description = "the owner's validation set, sealed to the evaluator: a folder with t10k-images-idx3-ubyte(.gz) "
                    + "and t10k-labels-idx1-ubyte(.gz), and with --groups an optional t10k-groups-idx1-ubyte(.gz) of group "
                    + "ids (default: the evaluator's public set). Needs --engine, whose key must be signed by the evaluator")
    Path validation;
    @Option(names = "--groups", paramLabel = "N",
            description = "with --validation: report accuracy per group too, 1 to 64 groups (ids from the groups file, "
                    + "else the labels)")
    Integer groups;
    @Option(names = "--validation-key-file", paramLabel = "FILE",
            description = "where to keep the set's bundleHash and content key for disclosure (0600; default: "
                    + "~/.zkpfl/validation/<owner>-<nonce>.json)")
    Path validationKeyFile;
    @Option(names = "--ipfs", paramLabel = "URL", defaultValue = "${env:ZKPFL_IPFS:-http://127.0.0.1:5001}",
            description = "IPFS (Kubo RPC API) the sealed validation set is added to (env ZKPFL_IPFS, default: ${DEFAULT-VALUE})")
    String ipfs;
    @Option(names = "--no-wait", description = "return once the marketplace stored the job, before it is on chain")
    boolean noWait;
    @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "180",
            description = "how long to wait for the job to reach the chain (default: ${DEFAULT-VALUE})")
    long waitSeconds;

    @Override
    public Integer call() throws Exception {
        ModelSpec modelSpec = spec();
        byte[] weightBytes = null;
        if (weights != null) {
            WeightsFile.read(weights, modelSpec);
            weightBytes = Files.readAllBytes(weights);
        }
        JobDraft.Committee c = usage(() -> JobDraft.Committee.parse(committee));
        JobDraft.Trainers t = usage(() -> JobDraft.Trainers.parse(trainers));
        Map<String, Long> w = usage(() -> JobDraft.windows(windows));
        checkFraction("--target", target, false);
        checkFraction("--alpha", alpha, true);
        if (rounds < 1 || rounds > 1000) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--rounds must be 1 to 1000, got " + rounds);
        }
        BigInteger feeUnits = usage(() -> Tokens.parse(fee));
        JobDraft.Privacy privacy = privacy();
        ValidationUpload owned = validationSet();
        Credentials key = wallet.unlock();
        PrintWriter out = spec.commandLine().getOut();
        ServiceApi marketplace = new ServiceApi("the marketplace", endpoints.marketplace);
        try (TrainerChain chain = TrainerChain.connect(endpoints, key)) {
            String token = feeToken != null ? feeToken : chain.addresses().token();
            String market = chain.addresses().market();
            long now = chain.now();
            JobDraft draft = new JobDraft(key.getAddress(), modelSpec, weightBytes,
                    new JobDraft.Training(epochs, batchSize, learningRate, optimiser), target, rounds, token, feeUnits, c, t,
                    maxSamples, alpha, w, evaluator, nonce != null ? nonce : BigInteger.valueOf(System.currentTimeMillis()),
                    Math.max(now, Instant.now().getEpochSecond()) + validFor, privacy);
            ObjectNode job = draft.toJson();
            ValidationUpload.Uploaded uploaded = null;
            String evaluatorAddress = evaluator != null ? evaluator
                    : marketplace.get("/api/v1/chain").path("defaultEvaluator").asText();
            if (owned != null) {
                var pk = ValidationUpload.evaluatorKey(new ServiceApi("the reward engine", engine), chain.chainId(),
                        evaluatorAddress);
                Path keyFile = validationKeyFile != null ? validationKeyFile : Path.of(System.getProperty("user.home"),
                        ".zkpfl", "validation", key.getAddress().toLowerCase(java.util.Locale.ROOT) + "-" + draft.nonce()
                                + ".json");
                uploaded = owned.seal(pk, KuboClient.create(ipfs), keyFile);
                uploaded.toJson(job);
                out.println("sealed the validation set (" + owned.bundle().count() + " samples"
                        + (uploaded.groups() > 0 ? ", " + uploaded.groups() + " groups" : "") + ") to evaluator "
                        + evaluatorAddress.toLowerCase(java.util.Locale.ROOT) + " as " + uploaded.cid() + "; its key for "
                        + "disclosure is in " + uploaded.keyFile() + " (keep it private)");
                out.flush();
            }
            byte[] commitment = uploaded == null ? new byte[32] : uploaded.commitment();
            // the fee and, when the owner evaluates itself or brings its own set, the bond (ADR 0100)
            escrowable(chain, token, market, feeUnits.add(draft.evaluatorBond(evaluatorAddress, commitment)), out);
            JsonNode typed = marketplace.post("/api/v1/jobs/typed-data", job);
            byte[] digest = draft.checkTypedData(typed, chain.chainId(), market, commitment,
                    uploaded == null ? 0 : uploaded.groups());
            if (uploaded != null) {
                checkValidation(typed.path("manifest"), uploaded);
            }
            job.put("signature", Numeric.toHexString(JobDraft.sign(digest, key)));
            JsonNode posted = marketplace.post("/api/v1/jobs", job);
            long id = posted.path("id").asLong();
            out.println("posted job " + id + " as " + key.getAddress() + ": " + modelSpec.parameterCount() + " parameters, target "
                    + target.stripTrailingZeros().toPlainString() + ", at most " + rounds + " rounds, fee " + Tokens.format(feeUnits)
                    + ", committee " + c.size() + "/" + c.threshold() + ", trainers " + t.min() + "-" + t.max()
                    + " (digest " + Numeric.toHexString(digest) + ")");
            out.flush();
            if (noWait) {
                out.println("job " + id + ": not waiting for the chain; 'job watch " + id + "' follows it");
                out.flush();
                return TrainerCli.OK;
            }
            JsonNode view = awaitOnChain(id);
            JsonNode s = view.path("submission");
            String chainJob = s.path("chainJobId").asText();
            if (engine != null && !engine.isBlank()) {
                JsonNode a = view.path("artifacts");
                new ServiceApi("the reward engine", engine).post("/api/v1/jobs/" + chainJob + "/artifacts",
                        job.objectNode().put("manifestCid", a.path("manifest.json").path("cid").asText())
                                .put("modelCid", a.path("model.json").path("cid").asText())
                                .put("weightsCid", a.path("weights.bin").path("cid").asText()));
                out.println("the reward engine at " + engine + " holds the job's round-0 model");
            }
            out.println("job " + id + " is on chain " + chain.chainId() + " as job " + chainJob + " (tx "
                    + s.path("txHash").asText("?") + ", block " + s.path("block").asText("?") + ")");
            out.flush();
        }
        return TrainerCli.OK;
    }

    /** Refuses a fee the owner cannot pay; approves the market for it when the allowance is short. */
    private static void escrowable(TrainerChain chain, String token, String market, BigInteger fee, PrintWriter out) {
        String owner = chain.address();
        BigInteger balance = chain.guard("balanceOf", () -> chain.client().token().balanceOf(token, owner));
        if (balance.compareTo(fee) < 0) {
            throw TrainerException.refused("not enough tokens: " + owner + " holds " + Tokens.format(balance) + " of " + token
                    + " but the fee (and bond) is " + Tokens.format(fee));
        }
        BigInteger allowance = chain.guard("allowance", () -> chain.client().token().allowance(token, owner, market));
        if (allowance.compareTo(fee) < 0) {
            chain.send("approve", () -> chain.client().token().approve(token, market, fee));
            out.println("approved the JobMarket " + market + " for " + Tokens.format(fee) + " tokens (fee and bond)");
            out.flush();
        }
    }

    private JsonNode awaitOnChain(long id) throws InterruptedException {
        Instant until = Instant.now().plus(Duration.ofSeconds(waitSeconds));
        while (true) {
            JsonNode view = endpoints.marketplace().job(id);
            JsonNode s = view.path("submission");
            String state = s.path("state").asText();
            if ("ON_CHAIN".equals(state)) {
                return view;
            }
            if ("FAILED".equals(state)) {
                throw TrainerException.refused("job " + id + " did not reach the chain: " + s.path("error").asText("no reason given"));
            }
            if (Instant.now().isAfter(until)) {
                throw TrainerException.unavailable("job " + id + " is stored but not on chain after " + waitSeconds + " s (submission "
                        + state + "); 'job watch " + id + "' follows it", null);
            }
            Thread.sleep(500);
        }
    }

    private ModelSpec spec() {
        Path file = Path.of(model);
        if (model.contains("/") || model.endsWith(".json") || Files.isRegularFile(file)) {
            return ModelOptions.readSpec(file);
        }
        try {
            return BuiltInModel.byName(model).spec();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--model: unknown model '" + model + "'; built-in models are "
                    + BuiltInModel.names() + ", or give a specification JSON file");
        }
    }

    /** The owner's validation set, read and checked before any key is unlocked; null without --validation. */
    private ValidationUpload validationSet() {
        if (validation == null) {
            if (groups != null || validationKeyFile != null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--groups and --validation-key-file need --validation");
            }
            return null;
        }
        if (groups != null && (groups < 1 || groups > 64)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--groups must be 1 to 64, got " + groups);
        }
        if (engine == null || engine.isBlank()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--validation needs --engine URL (or ZKPFL_ENGINE): "
                    + "the set is sealed to the key the evaluator's engine serves");
        }
        if (validationKeyFile != null && Files.exists(validationKeyFile)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--validation-key-file " + validationKeyFile
                    + " already exists; it is never overwritten");
        }
        return ValidationUpload.read(validation, groups == null ? 0 : groups);
    }

    /** The manifest the owner signs must carry exactly the sealed set's CID, commitment and groups. */
    private static void checkValidation(JsonNode manifest, ValidationUpload.Uploaded uploaded) {
        JsonNode v = manifest.path("validation");
        if (!v.path("cid").asText().equals(uploaded.cid())
                || !v.path("commitment").asText().equalsIgnoreCase(Numeric.toHexString(uploaded.commitment()))
                || v.path("groups").asInt(-1) != uploaded.groups()) {
            throw TrainerException.refused("the marketplace's manifest does not name the sealed validation set (it names "
                    + (v.isMissingNode() ? "none" : v.toString()) + "); nothing was signed");
        }
    }

    private JobDraft.Privacy privacy() {
        int given = (epsilon != null ? 1 : 0) + (delta != null ? 1 : 0) + (noiseMultiplier != null ? 1 : 0) + (l2Clip != null ? 1 : 0);
        if (given == 0) {
            return null;
        }
        if (given < 4) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "differential privacy needs all of --epsilon, --delta, --noise-multiplier and --l2-clip");
        }
        return new JobDraft.Privacy(epsilon, delta, noiseMultiplier, l2Clip);
    }

    private void checkFraction(String option, BigDecimal v, boolean zeroAllowed) {
        if (v.signum() < 0 || (!zeroAllowed && v.signum() == 0) || v.compareTo(BigDecimal.ONE) > 0 || v.stripTrailingZeros().scale() > 6) {
            throw new CommandLine.ParameterException(spec.commandLine(), option + " must be in " + (zeroAllowed ? "[0, 1]" : "(0, 1]")
                    + " with at most 6 decimals, got " + v.toPlainString());
        }
    }

    private <T> T usage(java.util.function.Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
