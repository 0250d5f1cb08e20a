package io.zkpfl.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zkpfl.contracts.generated.JobMarket.JobParams;
import io.zkpfl.engine.round.ValidationSet;
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
import io.zkpfl.zk.bn254.G1;
import io.zkpfl.zk.kzg.Srs;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import io.zkpfl.protocol.validation.SealedBundle;
import io.zkpfl.protocol.validation.ValidationBundle;
import io.zkpfl.protocol.validation.ValidationDisclosure;
import io.zkpfl.protocol.validation.ValidationRejectedException;
import java.util.concurrent.Callable;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Recomputes every round's model of a job from the chain and IPFS alone (the trainers' commitments in RoundCommitted,
 * the reveals' CIDs in PartialRevealed, Σn in RoundAggregated) and every posted accuracy from the disclosed validation
 * set, and reports each mismatch with the posted figure's transaction (docs/audit-api.md, "Replay").
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Recomputes a job's models from chain and IPFS and its accuracies from the validation set.%n"
                + "Exit status 0 when every posted figure is reproduced, 1 on a mismatch (each on its own line), 2 when the%n"
                + "owner's sealed validation set cannot be opened (no or a wrong disclosure).")
public final class ReplayCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    ChainOptions chain;

    @Option(names = "--job", required = true, description = "the job id")
    BigInteger job;

    @Option(names = "--ipfs-api-url", defaultValue = "http://127.0.0.1:5001", description = "Kubo RPC API (default: ${DEFAULT-VALUE})")
    String ipfsUrl;

    @Option(names = "--srs", required = true, description = "the platform's .ptau file")
    Path srsFile;

    @Option(names = "--validation-dir", defaultValue = "/usr/share/datasets/fashion-mnist",
            description = "the disclosed validation set: IDX files, test split t10k (default: ${DEFAULT-VALUE})")
    Path validationDir;

    @Option(names = "--manifest-cid", required = true, description = "CID of the job's manifest.json (keccak = modelHash)")
    String manifestCid;

    @Option(names = "--model-cid", required = true, description = "CID of the job's model.json")
    String modelCid;

    @Option(names = "--weights-cid", required = true, description = "CID of the job's initial weights.bin")
    String weightsCid;

    @Option(names = "--validation-key", paramLabel = "FILE",
            description = "the owner's validation key file (`job post --validation` wrote it): replays over the owner's "
                    + "sealed set, named by the manifest, with its disclosed content key")
    Path validationKey;

    @Option(names = "--disclosed", paramLabel = "BUNDLEHASH:CONTENTKEY",
            description = "the owner's disclosed bundleHash and contentKey (0x-hex, 32 bytes each), instead of --validation-key")
    String disclosed;

    @Option(names = "--audit-url", paramLabel = "URL",
            description = "the engine's audit API: its per-group accuracies are checked too (optional)")
    String auditUrl;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        KuboClient ipfs = KuboClient.create(ipfsUrl);
        try (ChainReader r = chain.reader()) {
            List<String> problems = new ArrayList<>();
            JobParams p = r.client.market().jobParams(job);
            byte[] manifest = ipfs.catVerifiedBytes(Cid.parse(manifestCid), 1 << 20);
            if (!Numeric.toHexString(Hash.sha3(manifest)).equalsIgnoreCase(Numeric.toHexString(p.modelHash))) {
                out.println("MISMATCH the manifest's keccak-256 is not job " + job + "'s modelHash");
                return 1;
            }
            JsonNode m = JSON.readTree(manifest);
            byte[] model = ipfs.catVerifiedBytes(Cid.parse(modelCid), 1 << 24);
            byte[] weights = ipfs.catVerifiedBytes(Cid.parse(weightsCid), 1L << 28);
            if (!Numeric.toHexString(Hash.sha3(model)).equalsIgnoreCase(m.path("modelSpec").asText())
                    || !Numeric.toHexString(Hash.sha3(weights)).equalsIgnoreCase(m.path("initialWeights").path("keccak256").asText())) {
                out.println("MISMATCH the model or weights are not the ones the manifest lists");
                return 1;
            }
            ModelSpec modelSpec = ModelSpec.parse(new String(model, java.nio.charset.StandardCharsets.UTF_8));
            float[] current = FlatParameters.decode(weights, modelSpec);
            int t = p.threshold.intValue();
            int d = p.bucket.intValue();
            VssParameters vss = new VssParameters(t, p.committeeSize.intValue(), current.length, d);
            Srs srs = Srs.fromPtau(srsFile, d, vss.blindingLength());
            ValidationSet validation;
            JsonNode owned = m.path("validation");
            if (owned.isMissingNode() || owned.isNull()) {
                validation = new ValidationSet(validationDir);
            } else {
                Optional<ValidationSet> set = ownerSet(ipfs, owned, out);
                if (set.isEmpty()) {
                    return 2;
                }
                validation = set.get();
            }
            Map<Integer, List<Integer>> publishedGroups = auditUrl == null ? Map.of() : publishedGroups();
            for (ChainReader.Event agg : r.of(job, "RoundAggregated")) {
                int round = agg.round();
                int attempt = agg.attempt();
                List<String> excluded = r.of(job, "TrainerExcluded").stream()
                        .filter(e -> e.round() == round && e.attempt() == attempt)
                        .map(e -> e.args().get("trainer").asText()).toList();
                List<List<G1>> commitments = new ArrayList<>();
                for (ChainReader.Event c : r.of(job, "RoundCommitted")) {
                    if (c.round() != round || c.attempt() != attempt || excluded.contains(c.args().get("trainer").asText())) {
                        continue;
                    }
                    List<G1> points = new ArrayList<>();
                    JsonNode words = c.args().get("points");
                    for (int l = 0; l < t; l++) {
                        points.add(G1.fromAffine(Fp.of(new BigInteger(words.get(2 * l).asText())),
                                Fp.of(new BigInteger(words.get(2 * l + 1).asText()))));
                    }
                    commitments.add(points);
                }
                List<Reveal> reveals = new ArrayList<>();
                for (ChainReader.Event rv : r.of(job, "PartialRevealed")) {
                    if (rv.round() != round || rv.attempt() != attempt) {
                        continue;
                    }
                    try {
                        Cid cid = Cid.fromBytes(Numeric.hexStringToByteArray(rv.args().get("cid").asText()));
                        reveals.add(Reveal.fromBytes(ipfs.catVerifiedBytes(cid, 64L + 32L * (d + vss.blindingLength()))));
                    } catch (IOException | RuntimeException e) {
                        out.printf("round %d: the reveal of node %s is unusable (%s)%n", round,
                                rv.args().get("node").asText(), e.getMessage());
                    }
                }
                // A checked by its hash and A(z) = y against the attempt's ResultOpened; per reveal only if that fails
                ResultBinding.Claim claim = r.of(job, "ResultOpened").stream()
                        .filter(e -> e.round() == round && e.attempt() == attempt).findFirst()
                        .map(e -> ResultBinding.Claim.of(Numeric.hexStringToByteArray(e.args().get("aggregateHash").asText()),
                                new BigInteger(e.args().get("z").asText()), new BigInteger(e.args().get("y").asText())))
                        .orElse(null);
                NextModel.Result result = new NextModel(srs, vss).compute(job, round, attempt,
                        CommitmentSums.of(commitments), reveals, current, BigInteger.valueOf(agg.args().get("sampleSum").asLong()),
                        claim);
                current = result.weights();
                String hash = Numeric.toHexString(result.weightsHash());
                var paid = r.of(job, "RoundPaid").stream().filter(e -> e.round() == round).findFirst();
                if (paid.isEmpty()) {
                    out.printf("round %d: w' %s (no result posted)%n", round, hash);
                    continue;
                }
                String posted = paid.get().args().get("model").asText();
                long postedAccuracy = paid.get().args().get("accuracy").asLong();
                boolean evaluated = r.input(paid.get().tx()).startsWith(ReconcileCommand.POST_ROUND_RESULT);
                if (!evaluated) {
                    out.printf("round %d: w' %s; no evaluation posted (paid by time share, tx %s)%n", round, hash,
                            paid.get().tx());
                    continue;
                }
                if (!posted.equalsIgnoreCase(hash)) {
                    problems.add("round " + round + ": the evaluator posted w' " + posted + ", the reveals give " + hash
                            + " (tx " + paid.get().tx() + ")");
                }
                ValidationSet.Measured figures = validation.measure(modelSpec, current);
                long measured = figures.accuracyPpm();
                if (measured != postedAccuracy) {
                    problems.add("round " + round + ": the evaluator posted accuracy " + postedAccuracy + " ppm, the "
                            + "validation set gives " + measured + " ppm (tx " + paid.get().tx() + ")");
                }
                List<Integer> groups = figures.groupAccuraciesPpm();
                List<Integer> published = publishedGroups.get(round);
                if (published != null && !published.equals(groups)) {
                    problems.add("round " + round + ": the evaluator published per-group accuracies " + published
                            + " ppm, the validation set gives " + groups + " ppm");
                }
                out.printf("round %d: w' %s, accuracy %d ppm (posted %d ppm, tx %s)%s%n", round, hash, measured,
                        postedAccuracy, paid.get().tx(), groups.isEmpty() ? "" : "; per group " + groups + " ppm"
                                + (published == null ? "" : " (published " + published + ")"));
            }
            problems.forEach(x -> out.println("MISMATCH " + x));
            out.println(problems.isEmpty() ? "replayed: every posted model and accuracy is reproduced"
                    : problems.size() + " mismatch(es)");
            return problems.isEmpty() ? 0 : 1;
        }
    }

    /** The owner's set named by the manifest, opened with the disclosed key; empty (with one line said) when it cannot be. */
    private Optional<ValidationSet> ownerSet(KuboClient ipfs, JsonNode owned, PrintWriter out) throws IOException {
        byte[] bundleHash;
        byte[] contentKey;
        if (validationKey != null) {
            ValidationDisclosure d = ValidationDisclosure.read(validationKey);
            bundleHash = d.bundleHash();
            contentKey = d.contentKey();
        } else if (disclosed != null) {
            String[] parts = disclosed.split(":");
            if (parts.length != 2 || !parts[0].matches("0x[0-9a-fA-F]{64}") || !parts[1].matches("0x[0-9a-fA-F]{64}")) {
                out.println("--disclosed must be BUNDLEHASH:CONTENTKEY, each 32 bytes of 0x-hex");
                return Optional.empty();
            }
            bundleHash = Numeric.hexStringToByteArray(parts[0]);
            contentKey = Numeric.hexStringToByteArray(parts[1]);
        } else {
            out.println("job " + job + "'s validation set is sealed to its evaluator: pass the owner's disclosure with "
                    + "--validation-key FILE or --disclosed BUNDLEHASH:CONTENTKEY");
            return Optional.empty();
        }
        byte[] sealed = ipfs.catVerifiedBytes(Cid.parse(owned.path("cid").asText()), SealedBundle.MAX_BYTES);
        byte[] commitment = Numeric.hexStringToByteArray(owned.path("commitment").asText());
        try {
            ValidationBundle bundle = SealedBundle.openDisclosed(sealed, contentKey, commitment, owned.path("groups").asInt());
            if (!java.util.Arrays.equals(bundle.hash(), bundleHash)) {
                out.println("MISMATCH the disclosed bundleHash is not keccak-256 of the decrypted set");
                return Optional.empty();
            }
            out.printf("the owner's validation set %s: %d samples, %d groups, matches the job's commitment%n",
                    owned.path("cid").asText(), bundle.count(), bundle.groupCount());
            return Optional.of(ValidationSet.of(bundle));
        } catch (ValidationRejectedException e) {
            out.println("MISMATCH " + e.getMessage());
            return Optional.empty();
        }
    }

    /** Each round's per-group accuracies as the engine's audit API publishes them. */
    private Map<Integer, List<Integer>> publishedGroups() throws IOException {
        Map<Integer, List<Integer>> out = new HashMap<>();
        HttpClient http = HttpClient.newHttpClient();
        String after = "";
        do {
            URI uri = URI.create(auditUrl.replaceAll("/+$", "") + "/api/v1/audit/jobs/" + job + "/rounds?limit=500&after="
                    + after);
            HttpResponse<String> r;
            try {
                r = http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
            if (r.statusCode() != 200) {
                throw new IOException("the audit API answered " + r.statusCode() + " to " + uri);
            }
            JsonNode page = JSON.readTree(r.body());
            for (JsonNode round : page.path("items")) {
                JsonNode g = round.path("result").path("groupAccuraciesPpm");
                if (g.isArray() && !g.isEmpty()) {
                    List<Integer> figures = new ArrayList<>();
                    g.forEach(x -> figures.add(x.asInt()));
                    out.put(round.path("round").asInt(), figures);
                }
            }
            after = page.path("next").isTextual() ? page.path("next").asText() : null;
        } while (after != null);
        return out;
    }
}
