package io.zkpfl.trainer.bench;

import io.zkpfl.protocol.model.ModelSpec;
import io.zkpfl.protocol.model.Optimiser;
import io.zkpfl.protocol.model.TrainingPlan;
import io.zkpfl.protocol.model.WeightInitializer;
import io.zkpfl.trainer.data.DatasetFolder;
import io.zkpfl.trainer.data.LabelledImages;
import io.zkpfl.trainer.model.BuiltInModel;
import io.zkpfl.trainer.model.SpecNetwork;
import io.zkpfl.trainer.training.LocalTrainer;
import io.zkpfl.trainer.training.TrainingProgress;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.ToDoubleFunction;

/**
 * Engine benchmark harness (not a test): local SGD training throughput of the built-in models with
 * every engine option side by side, against PyTorch in the same run. Each measurement runs in a
 * fresh child process (a JVM, or {@code torch_bench.py}); options take turns in every round, each
 * round starting with the next option, and the tables give medians over the rounds with the load
 * average seen.
 *
 * <pre>
 * ./mvnw -B -q -pl client-trainer -am test-compile
 * ./mvnw -B -q -pl client-trainer dependency:build-classpath -Dmdep.outputFile=$PWD/client-trainer/target/cp.txt -Dmdep.includeScope=test
 * java -cp client-trainer/target/test-classes:client-trainer/target/classes:protocol/target/classes:zk-core/target/classes:$(cat client-trainer/target/cp.txt) \
 *     io.zkpfl.trainer.bench.EngineBench --rounds 3 --batch 32,128 --threads 1,2
 * </pre>
 *
 * Options: {@code trainer} ({@link SpecNetwork} on libtorch through {@link LocalTrainer}, as the CLI
 * trains: mini-batches built in Java and copied in); {@code djl} (the same libtorch through DJL's
 * {@code Trainer}, {@code SequentialBlock} and {@code Loss}, {@link DjlNetwork}); {@code torch}
 * (PyTorch through {@code src/test/python/torch_bench.py}). A {@code +passive} suffix runs the
 * option with {@code OMP_WAIT_POLICY=PASSIVE}. {@code overhead} in {@code --models} times logreg
 * steps at batch 1. Rates are given per wall-clock second and per CPU-second of the child process.
 * The DL4J options of docs/adr/0045 left with DL4J (docs/adr/0047).
 */
public final class EngineBench {

    private static final String DEFAULT_OPTIONS = "trainer,djl,torch";
    private static final String DEFAULT_SAMPLES = "overhead=1000,logreg=30000,mlp=30000,cnn=3000";
    private static final float LEARNING_RATE = 0.01f;
    private static final String PASSIVE = "+passive";

    private EngineBench() {
    }

    /**
     * {@code [--rounds N] [--options a,b] [--models overhead,mlp,cnn] [--batch 32,128] [--threads 1,2] [--python python3]
     * [--samples overhead=1000,mlp=30000,cnn=3000]}, or a child run.
     */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("child")) {
            child(args[1], args[2].split(","), Integer.parseInt(args[3]), Integer.parseInt(args[4]), budgets(args[5]));
            System.exit(0);
        }
        Map<String, String> a = new LinkedHashMap<>(Map.of("--rounds", "3", "--options", DEFAULT_OPTIONS,
                "--models", "overhead,logreg,mlp,cnn", "--batch", "32,128", "--threads", "1", "--python", "/usr/bin/python3",
                "--samples", DEFAULT_SAMPLES));
        for (int i = 0; i + 1 < args.length; i += 2) {
            a.put(args[i], args[i + 1]);
        }
        driver(Integer.parseInt(a.get("--rounds")), List.of(a.get("--options").split(",")), a.get("--models"),
                Arrays.stream(a.get("--batch").split(",")).mapToInt(Integer::parseInt).toArray(), Arrays.stream(a.get("--threads").split(",")).mapToInt(Integer::parseInt).toArray(),
                a.get("--python"), a.get("--samples"));
    }

    private record Key(String option, String model, int batch, int threads) {
    }

    private record Sample(double samplesPerSecond, double msPerStep, double samplesPerCpuSecond, double load) {
    }

    static void driver(int rounds, List<String> options, String models, int[] batches, int[] threads, String python, String samples)
            throws IOException, InterruptedException {
        Path init = Files.createTempDirectory("engine-bench");
        for (BuiltInModel m : BuiltInModel.values()) {
            writeWeights(init.resolve(m.cliName() + ".f32"), WeightInitializer.initialise(m.spec(), 1));
        }
        Map<Key, List<Sample>> results = new LinkedHashMap<>();
        List<String> runs = new ArrayList<>();
        for (int t : threads) {
            for (int b : batches) {
                for (String o : options) {
                    runs.add(o + "@" + t + "@" + b);
                }
            }
        }
        System.out.printf(Locale.ROOT, "host: %d cores, java %s, %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), new Date());
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < runs.size(); i++) {
                String run = runs.get((i + r) % runs.size());
                String[] parts = run.split("@");
                String option = parts[0];
                int t = Integer.parseInt(parts[1]);
                int batch = Integer.parseInt(parts[2]);
                // the batch-1 overhead measurement runs once per option and thread count, with the first batch size
                String runModels = batch == batches[0] ? models : Arrays.stream(models.split(",")).filter(m -> !m.equals("overhead"))
                        .reduce((x, y) -> x + "," + y).orElse("");
                if (runModels.isEmpty()) {
                    continue;
                }
                List<String> command = baseOption(option).equals("torch")
                        ? List.of(python, torchScript().toString(), "--data", DatasetFolder.FASHION_MNIST.toString(),
                                "--models", runModels, "--batch", Integer.toString(batch), "--threads", Integer.toString(t),
                                "--init", init.toString(), "--samples", samples, "--overhead-steps",
                                Integer.toString(budgets(samples).getOrDefault("overhead", 1000)))
                        : javaCommand(option, runModels, batch, t, samples);
                double loadBefore = loadAverage();
                List<String> lines = runChild(command, t, option.endsWith(PASSIVE));
                double load = (loadBefore + loadAverage()) / 2;
                for (String line : lines) {
                    String[] f = line.split(" ");
                    Key key = new Key(option, f[2], Integer.parseInt(f[3]), Integer.parseInt(f[4]));
                    Sample s = new Sample(Double.parseDouble(f[5]), Double.parseDouble(f[6]), Double.parseDouble(f[7]), load);
                    results.computeIfAbsent(key, k -> new ArrayList<>()).add(s);
                    System.out.printf(Locale.ROOT, "round %d %s %s batch %d threads %d: %.0f samples/s, %.3f ms/step, %.0f samples/CPU-s, load %.1f%n",
                            r + 1, option, key.model, key.batch, key.threads, s.samplesPerSecond, s.msPerStep, s.samplesPerCpuSecond, load);
                }
            }
        }
        report(results, options, threads, rounds);
    }

    private static void report(Map<Key, List<Sample>> results, List<String> options, int[] threads, int rounds) {
        List<String> models = results.keySet().stream().map(Key::model).distinct().toList();
        for (String model : models) {
            boolean overhead = model.equals("overhead");
            System.out.println();
            System.out.println(overhead
                    ? "### Per-step overhead: logreg, batch 1 (median of " + rounds + " rounds)"
                    : "### " + model + ", SGD (median of " + rounds + " rounds)");
            System.out.println(overhead
                    ? "| option | threads | ms per step | steps/s | steps per CPU-s | option ÷ PyTorch, time (wall) | (CPU) | load |"
                    : "| option | batch | threads | samples/s | samples per CPU-s | ms per step | option ÷ PyTorch, time (wall) | (CPU) | load |");
            System.out.println(overhead ? "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
                    : "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
            List<Integer> batches = results.keySet().stream().filter(k -> k.model.equals(model)).map(Key::batch).distinct().sorted().toList();
            for (int t : threads) {
                for (int batch : batches) {
                    List<Sample> torch = results.get(new Key("torch", model, batch, t));
                    for (String option : options) {
                        List<Sample> v = results.get(new Key(option, model, batch, t));
                        if (v == null) {
                            continue;
                        }
                        double rate = median(v, Sample::samplesPerSecond);
                        double cpuRate = median(v, Sample::samplesPerCpuSecond);
                        double ms = median(v, Sample::msPerStep);
                        String wallRatio = torch == null ? "–" : String.format(Locale.ROOT, "%.2f", median(torch, Sample::samplesPerSecond) / rate);
                        String cpuRatio = torch == null ? "–" : String.format(Locale.ROOT, "%.2f", median(torch, Sample::samplesPerCpuSecond) / cpuRate);
                        double lo = v.stream().mapToDouble(Sample::load).min().orElse(0);
                        double hi = v.stream().mapToDouble(Sample::load).max().orElse(0);
                        System.out.println(overhead
                                ? String.format(Locale.ROOT, "| %s | %d | %.3f | %,.0f | %,.0f | %s | %s | %.1f–%.1f |",
                                        option, t, ms, 1000 / ms, cpuRate, wallRatio, cpuRatio, lo, hi)
                                : String.format(Locale.ROOT, "| %s | %d | %d | %,.0f | %,.0f | %.3f | %s | %s | %.1f–%.1f |",
                                        option, batch, t, rate, cpuRate, ms, wallRatio, cpuRatio, lo, hi));
                    }
                }
            }
        }
        if (threads.length > 1) {
            int few = threads[0];
            int many = threads[threads.length - 1];
            System.out.println();
            System.out.println("### Thread scaling: samples/s with " + many + " threads ÷ with " + few + " (wall clock)");
            System.out.println("| option | model | batch | " + few + " thread(s) | " + many + " threads | speed-up |");
            System.out.println("| --- | --- | ---: | ---: | ---: | ---: |");
            for (Map.Entry<Key, List<Sample>> e : results.entrySet()) {
                Key k = e.getKey();
                List<Sample> more = results.get(new Key(k.option, k.model, k.batch, many));
                if (k.threads != few || more == null) {
                    continue;
                }
                double one = median(e.getValue(), Sample::samplesPerSecond);
                double several = median(more, Sample::samplesPerSecond);
                System.out.printf(Locale.ROOT, "| %s | %s | %d | %,.0f | %,.0f | %.2f |%n", k.option, k.model, k.batch, one, several, several / one);
            }
        }
    }

    private static double median(List<Sample> samples, ToDoubleFunction<Sample> field) {
        return median(samples.stream().mapToDouble(field).toArray());
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** The option without its {@code +passive} suffix (which sets {@code OMP_WAIT_POLICY=PASSIVE} for the child). */
    private static String baseOption(String option) {
        return option.endsWith(PASSIVE) ? option.substring(0, option.length() - PASSIVE.length()) : option;
    }

    /** Samples per measurement by model, from {@code model=count,…}. */
    private static Map<String, Integer> budgets(String samples) {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (String kv : samples.split(",")) {
            String[] p = kv.split("=");
            out.put(p[0], Integer.parseInt(p[1]));
        }
        return out;
    }

    private static Path torchScript() {
        for (Path p : List.of(Path.of("client-trainer/src/test/python/torch_bench.py"), Path.of("src/test/python/torch_bench.py"))) {
            if (Files.exists(p)) {
                return p;
            }
        }
        throw new IllegalStateException("run from the repository root or client-trainer: torch_bench.py not found");
    }

    private static List<String> javaCommand(String option, String models, int batch, int threads, String samples) {
        String cp = System.getProperty("java.class.path");
        option = baseOption(option);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=" + threads, "-Dai.djl.pytorch.num_interop_threads=1",
                "-cp", cp, EngineBench.class.getName(), "child", option, models, Integer.toString(batch), Integer.toString(threads), samples));
        return command;
    }

    private static List<String> runChild(List<String> command, int threads, boolean passive) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("OMP_NUM_THREADS", Integer.toString(threads));
        if (passive) {
            pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        }
        Process p = pb.start();
        List<String> results = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("RESULT ")) {
                    results.add(line);
                } else {
                    System.out.println("  " + line);
                }
            }
        }
        if (p.waitFor() != 0) {
            throw new IllegalStateException("child failed (exit " + p.exitValue() + "): " + command.subList(command.size() - 5, command.size()));
        }
        return results;
    }

    private static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    private static void writeWeights(Path file, float[] weights) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(weights.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(weights);
        Files.write(file, buf.array());
    }

    // ---- child side ----

    static void child(String option, String[] models, int batch, int threads, Map<String, Integer> budgets) {
        LabelledImages train = new DatasetFolder(DatasetFolder.FASHION_MNIST).train();
        for (String model : models) {
            boolean overhead = model.equals("overhead");
            BuiltInModel m = BuiltInModel.byName(overhead ? "logreg" : model);
            int b = overhead ? 1 : batch;
            int samples = budgets.get(model);
            double[] timed = switch (baseOption(option)) {
                case "djl" -> djl(m.spec(), train, b, samples);
                case "trainer" -> trainer(m.spec(), train, b, samples);
                default -> throw new IllegalArgumentException("unknown option " + option);
            };
            System.out.printf(Locale.ROOT, "RESULT %s %s %d %d %.1f %.4f %.1f%n", option, model, b, threads, timed[0], timed[1], timed[2]);
        }
    }

    /** {@link SpecNetwork} through {@link LocalTrainer}: warm-up on a quarter of the budget, then {samples/s, ms per step, samples per CPU-s}. */
    private static double[] trainer(ModelSpec spec, LabelledImages train, int batch, int samples) {
        TrainingPlan plan = new TrainingPlan(1, batch, LEARNING_RATE, Optimiser.SGD);
        SpecNetwork net = SpecNetwork.build(spec, plan, 1);
        int steps = (samples + batch - 1) / batch;
        LocalTrainer.train(net, train.head(samples / 4), plan, 1, new TrainingProgress.Silent());
        long cpu = cpuNanos();
        LocalTrainer.TrainingRun run = LocalTrainer.train(net, train.head(samples), plan, 2, new TrainingProgress.Silent());
        if (Double.isNaN(run.lastEpochLoss())) {
            throw new IllegalStateException("training diverged");
        }
        return new double[] {run.samplesPerSecond(), 1000 * run.seconds() / steps, samples / ((cpuNanos() - cpu) / 1e9)};
    }

    private static double[] djl(ModelSpec spec, LabelledImages train, int batch, int samples) {
        try (DjlNetwork net = new DjlNetwork(spec, WeightInitializer.initialise(spec, 1), LEARNING_RATE)) {
            int[] order = shuffled(train.count(), 2);
            for (int from = 0; from < samples / 4; from += batch) {
                net.step(train, order, from, Math.min(samples / 4, from + batch));
            }
            long cpu = cpuNanos();
            long start = System.nanoTime();
            int steps = 0;
            for (int from = 0; from < samples; from += batch, steps++) {
                net.step(train, order, from, Math.min(samples, from + batch));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return new double[] {samples / seconds, 1000 * seconds / steps, samples / ((cpuNanos() - cpu) / 1e9)};
        }
    }

    /** CPU time of this process, all threads (native ones included). */
    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static int[] shuffled(int n, long seed) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Random random = new Random(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
        return order;
    }
}
