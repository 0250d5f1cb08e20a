package io.zkpfl.system.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkpfl.devstack.DevStack;
import io.zkpfl.devstack.DevStackConfig;
import io.zkpfl.devstack.DevStackLogging;
import io.zkpfl.devstack.chain.AnvilOptions;
import io.zkpfl.devstack.chain.JsonRpc;
import io.zkpfl.devstack.demo.DemoJob;
import io.zkpfl.devstack.demo.LocalSystem;
import io.zkpfl.protocol.model.FlatParameters;
import io.zkpfl.protocol.model.ModelSpec;
import io.zkpfl.zk.kzg.DevSrs;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The secure-round benchmark: secure round wall time, cut into phases, beside the plaintext FedAvg round of the same
 * trainers and data in the same run, for a grid of models and trainer counts; and the accuracy of secure rounds beside
 * plaintext FedAvg replayed with the same model, initial weights, split, seeds and rounds. Every party is its own
 * process ({@link LocalSystem}: marketplace, three nodes, the engine, one process per trainer) on the embedded stack.
 * Prints markdown tables (docs/benchmarks.md, "Secure round against plaintext FedAvg"; run it as that section says).
 */
@Command(name = "secure-round-bench", mixinStandardHelpOptions = true,
        header = "Times secure rounds by phase against plaintext FedAvg, and compares their accuracy.",
        description = {"Starts the embedded stack and every zkPFL service as a process, then per configuration MODEL:N posts "
                + "a job, runs N trainer processes for --rounds rounds and prints one row per round. The first mlp "
                + "configuration runs --accuracy-rounds rounds instead and is replayed as plaintext FedAvg with the "
                + "trainer jar's own train/evaluate commands, same initial weights, split, seeds and plan."})
public final class SecureRoundBench implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--grid", split = ",", defaultValue = "mlp:4,logreg:4,cnn:4,mlp:8,mlp:16,logreg:8,cnn:8,logreg:16,cnn:16",
            description = "configurations MODEL:TRAINERS, run in this order (default: ${DEFAULT-VALUE})")
    List<String> grid;

    @Option(names = "--rounds", defaultValue = "2", description = "secure rounds per configuration (default: ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--accuracy-rounds", defaultValue = "5",
            description = "rounds of the accuracy comparison (the first mlp configuration); 0 skips it (default: ${DEFAULT-VALUE})")
    int accuracyRounds;

    @Option(names = "--samples", defaultValue = "5000", description = "training samples per trainer (default: ${DEFAULT-VALUE})")
    int samples;

    @Option(names = "--epochs", defaultValue = "2", description = "local epochs (default: ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--lr", defaultValue = "0.1", description = "learning rate (default: ${DEFAULT-VALUE})")
    String lr;

    @Option(names = "--batch-size", defaultValue = "32", description = "batch size (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--alpha", defaultValue = "0.5", description = "Dirichlet concentration of the split (default: ${DEFAULT-VALUE})")
    double alpha;

    @Option(names = "--split-seed", defaultValue = "42", description = "seed of the split, the demo's (default: ${DEFAULT-VALUE})")
    long splitSeed;

    @Option(names = "--seed", defaultValue = "7000",
            description = "training seeds: trainer i (0-based) in round r uses SEED + 1000*i + r (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--block-time-ms", defaultValue = "1000", description = "Anvil's block interval (default: ${DEFAULT-VALUE}, the demo's)")
    long blockTimeMs;

    @Option(names = "--complaint-window", defaultValue = "10", description = "the job's complaint window in seconds (default: ${DEFAULT-VALUE}, the demo's)")
    int complaintWindow;

    @Option(names = "--config-timeout-minutes", defaultValue = "20", description = "give up a configuration after (default: ${DEFAULT-VALUE})")
    int configTimeout;

    @Option(names = "--data", defaultValue = "/usr/share/datasets/fashion-mnist", description = "Fashion-MNIST IDX files")
    Path data;

    @Option(names = "--srs-dir", description = "dev SRS cache (default: ~/.cache/zkpfl/srs)")
    Path srsDir;

    @Option(names = "--work-dir", description = "logs, keystores, splits, weights (default: a new temp folder)")
    Path workDir;

    @Option(names = "--out", description = "also append the tables to this markdown file (default: WORK/results.md)")
    Path out;

    /** Keeps the averaging's result alive, so the JIT cannot drop the loop being timed. */
    static volatile float sink;

    private Path work;
    private Path results;
    private final Set<Integer> enrolled = new HashSet<>();
    private final List<RoundPhases> allRows = new ArrayList<>();
    private final Map<Long, Instant> blockTimes = new HashMap<>();

    public static void main(String[] args) {
        DevStackLogging.quiet();
        CommandLine cl = new CommandLine(new SecureRoundBench());
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            StringBuilder why = new StringBuilder(e.getMessage() == null ? e.toString() : e.getMessage());
            for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
                why.append(" (caused by ").append(c).append(')');
            }
            line.getErr().println("secure-round-bench: " + why);
            return 1;
        });
        System.exit(cl.execute(args));
    }

    @Override
    public Integer call() throws Exception {
        work = workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("zkpfl-bench");
        results = out != null ? out : work.resolve("results.md");
        LocalSystem.Jars jars = new LocalSystem.Jars(jar("marketplace.jar"), jar("node.jar"), jar("engine.jar"), jar("trainer.jar"));
        Map<String, String> specs = new LinkedHashMap<>();
        int power = 2;
        for (String c : grid) {
            String model = c.split(":")[0];
            String spec = specs.computeIfAbsent(model, m -> specOf(jars, m));
            long d = ModelSpec.parse(spec).parameterCount();
            while ((1L << power) < d + 3) {
                power++;
            }
        }
        Path srs = srsDir != null ? srsDir : Path.of(System.getProperty("user.home"), ".cache", "zkpfl", "srs");
        say("work folder " + work + "; results also in " + results);
        say("dev SRS 2^" + power + " (" + srs + ")");
        Path ptau = DevSrs.ensure(srs, power, this::say);
        note(String.format(Locale.ROOT, "%n### Run of %s UTC%n%nblock time %d ms, complaint window %d s, SRS 2^%d, %d samples/trainer, "
                        + "E=%d, B=%d, lr=%s, Dirichlet(%s) split seed %d, training seeds %d + 1000·i + r, load at start %s%n",
                Instant.now().toString().substring(0, 16).replace('T', ' '), blockTimeMs, complaintWindow, power, samples, epochs,
                batch, lr, alpha, splitSeed, seed, load()));
        say("starting the embedded stack (a block every " + blockTimeMs + " ms)");
        try (DevStack stack = DevStack.start(DevStackConfig.fromEnvironment()
                .withAnvil(AnvilOptions.defaults().withBlockTime(Duration.ofMillis(blockTimeMs))));
             LineStamps stamps = new LineStamps(200)) {
            say("starting the marketplace, three nodes and the engine");
            LocalSystem system = new LocalSystem(stack, ptau, jars, work);
            // Ctrl-C or SIGTERM: stop every child process, then the stack, as the demo does
            Thread stop = new Thread(() -> {
                system.close();
                stack.close();
            }, "bench-stop");
            Runtime.getRuntime().addShutdownHook(stop);
            try {
                system.start(0);
                JsonRpc rpc = new JsonRpc(stack.chain().rpcUrl());
                boolean accuracyDone = accuracyRounds <= 0;
                header();
                for (String c : grid) {
                    String[] parts = c.split(":");
                    String model = parts[0];
                    int n = Integer.parseInt(parts[1]);
                    boolean accuracy = !accuracyDone && model.equals("mlp");
                    accuracyDone |= accuracy;
                    try {
                        runConfig(system, rpc, stamps, model, specs.get(model), n, accuracy ? accuracyRounds : rounds, accuracy);
                    } catch (Exception e) {
                        say("configuration " + c + " failed: " + e.getMessage());
                        note("\n" + c + ": failed: " + e.getMessage() + "\n");
                    }
                }
            } finally {
                system.close();
            }
        }
        return 0;
    }

    private void runConfig(LocalSystem system, JsonRpc rpc, LineStamps stamps, String model, String spec, int n, int r,
                           boolean accuracy) throws Exception {
        String loadBefore = load();
        say(model + " with " + n + " trainers, " + r + " rounds (load " + loadBefore + ")");
        Path split = work.resolve("split-" + n);
        if (!Files.isDirectory(split)) {
            system.trainerOutput("partition", "--data", data.toString(), "--out", split.toString(), "--trainers",
                    Integer.toString(n), "--alpha", Double.toString(alpha), "--seed", Long.toString(splitSeed), "--force");
        }
        long id = system.postJob(job(system.chain(), spec, n, r));
        JsonNode view = system.awaitOnChain(id, Duration.ofMinutes(3));
        String chainJob = view.get("submission").get("chainJobId").asText();
        say("job " + id + " on chain as " + chainJob + "; enrolling " + n + " trainers");
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<?>> joins = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int t = i;
                boolean fresh = !enrolled.contains(t);
                joins.add(pool.submit(() -> {
                    if (fresh) {
                        system.enrolTrainer(t, id);
                    } else {
                        system.runTrainer(t, "join", "--job", Long.toString(id));
                    }
                    return null;
                }));
            }
            for (Future<?> f : joins) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        for (int i = 0; i < n; i++) {
            enrolled.add(i);
        }
        Map<String, Metrics> before = scrape(system);
        List<Process> trainers = new ArrayList<>();
        List<List<Path>> logs = new ArrayList<>();
        List<String[]> commands = new ArrayList<>();
        int[] restarts = new int[n];
        String label = "run-job" + chainJob;
        for (int i = 0; i < n; i++) {
            Path log = system.work().resolve("trainer-" + (i + 1)).resolve(label + ".log");
            stamps.watch(log);
            logs.add(new ArrayList<>(List.of(log)));
            String[] command = {"run", "--job", Long.toString(id), "--rounds", Integer.toString(r), "--data",
                trainerData(split, i).toString(), "--limit", Integer.toString(samples), "--threads", "1", "--seed",
                Long.toString(seed + 1000L * i)};
            commands.add(command);
            trainers.add(system.startTrainer(i, label, command));
        }
        say(n + " trainers running (logs " + system.work().resolve("trainer-N/" + label + ".log") + ")");
        Instant until = Instant.now().plus(Duration.ofMinutes(configTimeout));
        URI engine = system.engine().baseUrl();
        Set<Integer> done = new HashSet<>();
        List<RoundPhases> rows = new ArrayList<>();
        Map<Integer, Long> accuracyPpm = new LinkedHashMap<>();
        double averaging = averagingSeconds(n, ModelSpec.parse(spec).parameterCount());
        Instant allStopped = null;
        while (done.size() < r) {
            if (Instant.now().isAfter(until)) {
                throw new IllegalStateException("only " + done.size() + " of " + r + " rounds within " + configTimeout + " min");
            }
            JsonNode page = system.get(engine.resolve("/api/v1/audit/jobs/" + chainJob + "/rounds?limit=100"));
            for (JsonNode round : page.path("items")) {
                int number = round.get("round").asInt();
                if (done.contains(number) || !round.hasNonNull("result")) {
                    continue;
                }
                Map<String, Metrics> after = scrape(system);
                List<RoundPhases.TrainerRound> trs = new ArrayList<>();
                for (List<Path> own : logs) {
                    List<LineStamps.Stamped> lines = new ArrayList<>();
                    own.forEach(log -> lines.addAll(stamps.lines(log)));
                    RoundPhases.TrainerRound t = RoundPhases.trainer(lines, number);
                    if (t != null) {
                        trs.add(t);
                    }
                }
                List<Instant> checks = new ArrayList<>();
                for (int k = 1; k <= LocalSystem.NODES.size(); k++) {
                    checks.addAll(RoundPhases.nodeChecks(readLines(system.work().resolve("node-" + k + ".log")), chainJob, number,
                            ZoneId.systemDefault()));
                }
                Long keyBlock = null;
                for (JsonNode e : system.get(engine.resolve("/api/v1/audit/events?job=" + chainJob
                        + "&name=RoundKeyPosted&limit=500")).path("items")) {
                    if (e.path("round").asInt(-1) == number) {
                        keyBlock = keyBlock == null ? e.path("block").asLong() : Math.max(keyBlock, e.path("block").asLong());
                    }
                }
                RoundPhases p = RoundPhases.of(round, b -> blockTime(rpc, b), keyBlock, trs, checks);
                done.add(number);
                if (p == null) {
                    continue;
                }
                rows.add(p);
                allRows.add(p);
                accuracyPpm.put(number, p.accuracyPpm());
                row(model, n, p, delta(before, after, "node", "zkpfl_node_check_seconds") / LocalSystem.NODES.size(),
                        delta(before, after, "node", "zkpfl_node_opening_seconds") / LocalSystem.NODES.size(),
                        delta(before, after, "engine", "zkpfl_engine_evaluation_seconds"), averaging);
                before = after;
            }
            for (int i = 0; i < n; i++) {
                Process pr = trainers.get(i);
                // exit 5: a dependency did not answer in time (on a loaded machine, Kafka's 10 s check); a user retries
                if (!pr.isAlive() && pr.exitValue() == 5 && restarts[i] < 3) {
                    restarts[i]++;
                    String retry = label + "-retry" + restarts[i];
                    say("trainer " + (i + 1) + " could not reach a dependency; starting it again (" + retry + ".log)");
                    Path log = system.work().resolve("trainer-" + (i + 1)).resolve(retry + ".log");
                    stamps.watch(log);
                    logs.get(i).add(log);
                    trainers.set(i, system.startTrainer(i, retry, commands.get(i)));
                }
            }
            if (trainers.stream().anyMatch(Process::isAlive)) {
                allStopped = null;
            } else if (allStopped == null) {
                allStopped = Instant.now();
            }
            // a trainer that committed its last round exits 0 while that round is aggregated; give the round 3 minutes
            if (done.size() < r && allStopped != null && Instant.now().isAfter(allStopped.plus(Duration.ofMinutes(3)))
                    && trainers.stream().anyMatch(pr -> pr.exitValue() != 0)) {
                throw new IllegalStateException("trainers stopped with an error; see " + logs.getFirst().getLast());
            }
            Thread.sleep(1_000);
        }
        for (Process p : trainers) {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroy();
            }
        }
        note(String.format(Locale.ROOT, "(%s, %d trainers: load %s before, %s after)%n", model, n, loadBefore, load()));
        if (accuracy) {
            accuracy(system, id, chainJob, model, spec, n, r, split, accuracyPpm);
        }
    }

    /** Plaintext FedAvg with the trainer jar's train/evaluate commands, the secure run's seeds and initial weights. */
    private void accuracy(LocalSystem system, long id, String chainJob, String model, String spec, int n, int r, Path split,
                          Map<Integer, Long> secure) throws Exception {
        say("plaintext FedAvg replay of the " + r + " rounds");
        ModelSpec ms = ModelSpec.parse(spec);
        Path dir = Files.createDirectories(work.resolve("plaintext-job" + chainJob));
        byte[] initial = bytes(system.marketplace().baseUrl().resolve("/api/v1/jobs/" + id + "/artifacts/weights.bin"));
        Path w = dir.resolve("w0.bin");
        Files.write(w, initial);
        // kept before the replay starts, so a replay that fails can be redone from these files alone
        Path secureFinal = dir.resolve("secure-final.bin");
        Files.write(secureFinal, bytes(system.engine().baseUrl().resolve("/api/v1/jobs/" + chainJob + "/model/weights")));
        Files.writeString(dir.resolve("secure-accuracy.txt"), secure.toString());
        Pattern on = Pattern.compile("on (\\d+) samples:");
        Pattern trained = Pattern.compile("trained in ([0-9.]+) s");
        Pattern acc = Pattern.compile("accuracy ([0-9.]+)");
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
                "%n#### Accuracy: secure rounds against plaintext FedAvg (%s, %d trainers, same initial weights, split, seeds)%n%n"
                        + "| round | secure accuracy (engine) | plaintext accuracy | difference (points) | plaintext train max / sum (s) |%n"
                        + "| ---: | ---: | ---: | ---: | ---: |%n", model, n));
        double last = Double.NaN;
        for (int round = 0; round < r; round++) {
            double[] sum = new double[(int) ms.parameterCount()];
            long total = 0;
            double max = 0;
            double all = 0;
            for (int i = 0; i < n; i++) {
                Path wi = dir.resolve("r" + round + "-t" + (i + 1) + ".bin");
                String o = system.trainerOutput("train", "--model", model, "--data", trainerData(split, i).toString(), "--limit",
                        Integer.toString(samples), "--test-limit", "1", "--epochs", Integer.toString(epochs), "--batch-size",
                        Integer.toString(batch), "--lr", lr, "--optimiser", "sgd", "--threads", "1", "--seed",
                        Long.toString(seed + 1000L * i + round), "--init", w.toString(), "--save", wi.toString());
                long ni = Long.parseLong(find(on, o));
                double secs = Double.parseDouble(find(trained, o));
                max = Math.max(max, secs);
                all += secs;
                float[] p = FlatParameters.decode(Files.readAllBytes(wi), ms);
                for (int j = 0; j < p.length; j++) {
                    sum[j] += (double) ni * p[j];
                }
                total += ni;
            }
            float[] next = new float[sum.length];
            for (int j = 0; j < next.length; j++) {
                next[j] = (float) (sum[j] / total);
            }
            w = dir.resolve("w" + (round + 1) + ".bin");
            Files.write(w, FlatParameters.encode(next));
            double plain = Double.parseDouble(find(acc, system.trainerOutput("evaluate", "--model", model, "--weights", w.toString(),
                    "--data", data.toString(), "--threads", "1")));
            Long ppm = secure.get(round);
            double sec = ppm == null ? Double.NaN : ppm / 1e6;
            last = (sec - plain) * 100;
            table.append(String.format(Locale.ROOT, "| %d | %.4f | %.4f | %+.2f | %.1f / %.1f |%n", round, sec, plain, last, max, all));
            say(String.format(Locale.ROOT, "round %d: secure %.4f, plaintext %.4f", round, sec, plain));
        }
        // the secure run's final model, evaluated by the same command, and its distance from the plaintext one
        double secureEval = Double.parseDouble(find(acc, system.trainerOutput("evaluate", "--model", model, "--weights",
                secureFinal.toString(), "--data", data.toString(), "--threads", "1")));
        float[] a = FlatParameters.decode(Files.readAllBytes(secureFinal), ms);
        float[] b = FlatParameters.decode(Files.readAllBytes(w), ms);
        double maxDiff = 0;
        double sq = 0;
        double norm = 0;
        for (int j = 0; j < a.length; j++) {
            maxDiff = Math.max(maxDiff, Math.abs(a[j] - b[j]));
            sq += (double) (a[j] - b[j]) * (a[j] - b[j]);
            norm += (double) b[j] * b[j];
        }
        table.append(String.format(Locale.ROOT, "%nFinal difference %+.2f points. The secure final model (engine's weights) "
                        + "evaluated by the same `evaluate` command: %.4f. Secure vs plaintext final weights: max |Δ| %.3g, "
                        + "relative L2 %.3g.%n", last, secureEval, maxDiff, Math.sqrt(sq / norm)));
        note(table.toString());
    }

    private static Path trainerData(Path split, int i) {
        return split.resolve(String.format(Locale.ROOT, "trainer-%02d", i + 1));
    }

    private ObjectNode job(JsonNode chain, String spec, int n, int r) {
        // an unreachable target, so the job runs its whole round budget
        return DemoJob.of(spec, chain.get("token").asText()).training(epochs, batch, new BigDecimal(lr))
                .target(new BigDecimal("0.99")).rounds(r).trainers(n, n).windows(600, complaintWindow, 300)
                .validFor(7_200).json();
    }

    /** Seconds to average {@code n} updates of {@code d} parameters weighted by samples, as FedAvg does (best of 5). */
    static double averagingSeconds(int n, long d) {
        float[][] updates = new float[n][(int) d];
        java.util.Random random = new java.util.Random(1);
        for (float[] u : updates) {
            for (int j = 0; j < u.length; j++) {
                u[j] = random.nextFloat();
            }
        }
        double best = Double.MAX_VALUE;
        for (int rep = 0; rep < 5; rep++) {
            long t = System.nanoTime();
            double[] sum = new double[(int) d];
            for (int i = 0; i < n; i++) {
                double weight = (i + 1.0) / n;
                for (int j = 0; j < sum.length; j++) {
                    sum[j] += weight * updates[i][j];
                }
            }
            float[] out = new float[(int) d];
            for (int j = 0; j < out.length; j++) {
                out[j] = (float) sum[j];
            }
            sink += out[out.length / 2];
            best = Math.min(best, (System.nanoTime() - t) / 1e9);
        }
        return best;
    }

    private void header() {
        note(String.format(Locale.ROOT, "%n| model | trainers | round | round keys | model recompute + check | train max (mean) | share+commit | deliver "
                + "| nodes: delivery+check (check CPU) | complaint window + openings (opening CPU) | reveals | aggregate "
                + "| evaluate+pay (eval CPU) | **secure round** | plaintext round | secure ÷ plaintext | accuracy |%n"
                + "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |%n"));
    }

    private void row(String model, int n, RoundPhases p, double checkCpu, double openingCpu, double evalCpu, double averaging) {
        double plain = p.trainMax() + averaging;
        note(String.format(Locale.ROOT, "| %s | %d | %d | %.1f | %.1f | %.1f (%.1f) | %.1f | %.1f | %.1f (%.2f) | %.1f (%.2f) | %.1f | %.1f "
                        + "| %.1f (%.2f) | **%.1f** | %.1f | %.1f× | %.4f |%n", model, n, p.round(), p.keys(), p.model(), p.trainMax(),
                p.trainMean(), p.shareCommit(), p.deliver(), p.check(), checkCpu, p.openings(), openingCpu,
                p.reveals(), p.aggregate(), p.evaluate(), evalCpu, p.total(), plain, p.total() / plain, p.accuracyPpm() / 1e6));
    }

    /** Prometheus sums of the nodes' and the engine's timers. */
    private record Metrics(Map<String, Double> values) {
    }

    private Map<String, Metrics> scrape(LocalSystem system) {
        Map<String, Metrics> out = new HashMap<>();
        List<URI> nodes = new ArrayList<>();
        for (int k = 1; k <= LocalSystem.NODES.size(); k++) {
            URI u = nodeUrl(system.work().resolve("node-" + k + ".log"));
            if (u != null) {
                nodes.add(u);
            }
        }
        out.put("node", sum(nodes));
        out.put("engine", sum(List.of(system.engine().baseUrl())));
        return out;
    }

    private static Metrics sum(List<URI> services) {
        Map<String, Double> values = new HashMap<>();
        HttpClient http = HttpClient.newHttpClient();
        for (URI u : services) {
            try {
                String text = http.send(HttpRequest.newBuilder(u.resolve("/q/metrics")).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                for (String line : text.split("\n")) {
                    if (line.startsWith("#") || line.isBlank()) {
                        continue;
                    }
                    int brace = line.indexOf('{');
                    int space = line.lastIndexOf(' ');
                    String name = line.substring(0, brace >= 0 ? brace : line.indexOf(' '));
                    if (name.endsWith("_seconds_sum")) {
                        values.merge(name.substring(0, name.length() - 4), Double.parseDouble(line.substring(space + 1)), Double::sum);
                    }
                }
            } catch (IOException | RuntimeException e) {
                // a service whose metrics cannot be read adds nothing
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return new Metrics(values);
    }

    private static double delta(Map<String, Metrics> before, Map<String, Metrics> after, String who, String name) {
        return after.get(who).values().getOrDefault(name, 0.0) - before.get(who).values().getOrDefault(name, 0.0);
    }

    private static final Pattern LISTENING = Pattern.compile("Listening on: (http://[0-9.]+:\\d+)");

    private static URI nodeUrl(Path log) {
        for (String l : readLines(log)) {
            Matcher m = LISTENING.matcher(l);
            if (m.find()) {
                return URI.create(m.group(1));
            }
        }
        return null;
    }

    private static List<String> readLines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return List.of();
        }
    }

    private Instant blockTime(JsonRpc rpc, long block) {
        return blockTimes.computeIfAbsent(block, b -> {
            try {
                JsonNode n = rpc.call("eth_getBlockByNumber", "[\"0x" + Long.toHexString(b) + "\", false]");
                return Instant.ofEpochSecond(Long.decode(n.get("timestamp").asText()));
            } catch (IOException e) {
                throw new IllegalStateException("block " + b + ": " + e.getMessage(), e);
            }
        });
    }

    private static byte[] bytes(URI uri) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + uri + " answered " + r.statusCode());
        }
        return r.body();
    }

    private static String find(Pattern p, String text) {
        Matcher m = p.matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("no '" + p.pattern() + "' in: " + text.strip());
        }
        return m.group(1);
    }

    private static String specOf(LocalSystem.Jars jars, String model) {
        try {
            Path o = Files.createTempFile("model", ".json");
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                    jars.trainer().toString(), "models", "--show", model).redirectOutput(o.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalArgumentException("no built-in model '" + model + "'");
            }
            String s = Files.readString(o).strip();
            Files.delete(o);
            return s;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Path jar(String property) {
        String p = System.getProperty(property);
        if (p == null) {
            throw new IllegalStateException("-D" + property + "=… is required (the system-tests bench profile sets it)");
        }
        return Path.of(p);
    }

    private static String load() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + "/" + f[1];
        } catch (IOException e) {
            return "?";
        }
    }

    private void say(String line) {
        System.out.println("• " + line);
        System.out.flush();
    }

    private synchronized void note(String text) {
        System.out.print(text);
        System.out.flush();
        try {
            Files.writeString(results, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.err.println("cannot write " + results + ": " + e.getMessage());
        }
    }
}
