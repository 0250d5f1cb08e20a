package io.zkpfl.zk.bench;

import io.zkpfl.zk.bn254.Fr;
import io.zkpfl.zk.frontend.Assignment;
import io.zkpfl.zk.frontend.CompiledCircuit;
import io.zkpfl.zk.frontend.Compiler;
import io.zkpfl.zk.frontend.Witness;
import io.zkpfl.zk.groth16.Groth16;
import io.zkpfl.zk.groth16.KeyPair;
import io.zkpfl.zk.groth16.Proof;
import io.zkpfl.zk.r1cs.NodeTool;
import io.zkpfl.zk.r1cs.R1cs;
import io.zkpfl.zk.r1cs.R1csFile;
import io.zkpfl.zk.r1cs.WtnsFile;
import io.zkpfl.zk.stmt.FingerprintStatement;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Benchmark harness for Stmt(D): constraint count, compile, witness, set-up, proving and
 * verification time and peak heap of zk-core, side by side with snarkjs 0.7.6 proving the same
 * {@code .r1cs} with the same witness ({@code .wtns}) in the same run.
 *
 * <p>Run from the repository root (see docs/benchmarks.md; nothing is installed into ~/.m2):
 * <pre>
 * ./mvnw -B -q -pl zk-core -am test-compile dependency:build-classpath \
 *     -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
 * java -Xmx8g -Dzkpfl.node.timeout.minutes=60 \
 *     -cp "zk-core/target/test-classes:zk-core/target/classes:$(cat zk-core/target/bench.classpath)" \
 *     io.zkpfl.zk.bench.StmtBench --from 10 --to 12 --snarkjs-to 10 --reps 3 --reps-large 1
 * </pre>
 * {@code --reps-large} sets the repetitions for sizes without the snarkjs comparison;
 * {@code --warmup} (default 1) the unmeasured proving runs before them, so that the figures are
 * those of a running node whose JIT has compiled the prover (snarkjs starts a fresh process for
 * every proof, which is how it is used).
 * snarkjs needs a prepared powers-of-tau file of power ≥ log2(constraints + 5); it is made once
 * (single contribution) and cached under {@code zk-core/target/snarkjs-ptau/}; its creation time
 * is printed but is not part of the comparison.
 */
public final class StmtBench {

    private StmtBench() {
    }

    public static void main(String[] args) throws Exception {
        int from = 10;
        int to = 12;
        int snarkjsTo = 10;
        int reps = 3;
        int repsLarge = -1;
        int warmup = 1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--from" -> from = Integer.parseInt(args[++i]);
                case "--to" -> to = Integer.parseInt(args[++i]);
                case "--snarkjs-to" -> snarkjsTo = Integer.parseInt(args[++i]);
                case "--reps" -> reps = Integer.parseInt(args[++i]);
                case "--reps-large" -> repsLarge = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        System.out.printf(Locale.ROOT, "# StmtBench: %d cores, max heap %d MiB, java %s%n",
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
                System.getProperty("java.version"));
        List<String> rows = new ArrayList<>();
        for (int log = from; log <= to; log++) {
            boolean withSnarkjs = log <= snarkjsTo;
            rows.add(run(1 << log, withSnarkjs || repsLarge < 0 ? reps : repsLarge, warmup, withSnarkjs));
        }
        System.out.println();
        System.out.println("| D | constraints | per element | compile s | witness s | setup s | prove s (median) | prove CPU s (median) | prove peak heap MiB | verify ms | snarkjs setup s | snarkjs prove s (median) | snarkjs peak RSS MiB | speed-up |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        rows.forEach(System.out::println);
    }

    private static String run(int d, int reps, int warmup, boolean withSnarkjs) throws Exception {
        System.out.printf(Locale.ROOT, "## D = %d%n", d);
        long t0 = System.nanoTime();
        FingerprintStatement st = new FingerprintStatement(d);
        CompiledCircuit cc = Compiler.compile(st);
        double compile = secondsSince(t0);
        R1cs r = cc.r1cs();
        System.out.printf(Locale.ROOT, "compiled: %d constraints (%.2f/element), %d wires, nnz A/B/C %d/%d/%d in %.2f s%n",
                r.numConstraints(), r.numConstraints() / (double) d, r.numWires(), r.nonZeros(R1cs.Matrix.A),
                r.nonZeros(R1cs.Matrix.B), r.nonZeros(R1cs.Matrix.C), compile);

        SplittableRandom rnd = new SplittableRandom(d);
        Fr[] s = new Fr[d];
        for (int i = 0; i < d; i++) {
            s[i] = Fr.random(rnd);
        }
        t0 = System.nanoTime();
        Assignment a = st.witness(Fr.random(rnd), Fr.random(rnd), s, Fr.random(rnd));
        Witness w = cc.solve(a);
        double witness = secondsSince(t0);
        System.out.printf(Locale.ROOT, "witness (native H_D and φ, then solve): %.2f s%n", witness);

        t0 = System.nanoTime();
        KeyPair keys = Groth16.setup(r, new SecureRandom());
        double setup = secondsSince(t0);
        System.out.printf(Locale.ROOT, "setup: %.2f s%n", setup);

        double[] prove = new double[reps];
        double[] proveCpu = new double[reps];
        long peak = 0;
        Proof proof = null;
        Fr[] values = w.values();
        for (int k = 0; k < warmup; k++) {
            long tw = System.nanoTime();
            Groth16.prove(keys.provingKey(), r, values, new SecureRandom());
            System.out.printf(Locale.ROOT, "warm-up prove #%d: %.2f s (not counted)%n", k + 1, secondsSince(tw));
        }
        for (int k = 0; k < reps; k++) {
            System.gc();
            resetPeaks();
            t0 = System.nanoTime();
            long cpu0 = processCpuNanos();
            StringBuilder phases = new StringBuilder();
            proof = Groth16.prove(keys.provingKey(), r, values, new SecureRandom(),
                    (phase, nanos) -> phases.append(String.format(Locale.ROOT, " %s %.0f ms,", phase, nanos / 1e6)));
            prove[k] = secondsSince(t0);
            proveCpu[k] = (processCpuNanos() - cpu0) / 1e9;
            System.out.printf(Locale.ROOT, "  phases:%s%n", phases.substring(0, phases.length() - 1));
            peak = Math.max(peak, heapPeak());
            System.out.printf(Locale.ROOT, "prove #%d: %.2f s (process CPU %.2f s, load average %.1f)%n", k + 1, prove[k],
                    proveCpu[k], ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
        double[] verify = new double[Math.max(reps, 5)];
        for (int k = 0; k < verify.length; k++) {
            t0 = System.nanoTime();
            if (!Groth16.verify(keys.verifyingKey(), w.publicInputs(), proof)) {
                throw new IllegalStateException("zk-core proof did not verify");
            }
            verify[k] = secondsSince(t0) * 1000;
        }
        String snark = "| – | – | – | – |";
        if (withSnarkjs) {
            snark = snarkjs(r, values, reps, median(prove));
        }
        return String.format(Locale.ROOT, "| %d | %d | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %d | %.1f %s",
                d, r.numConstraints(), r.numConstraints() / (double) d, compile, witness, setup, median(prove),
                median(proveCpu),
                peak >> 20, median(verify), snark);
    }

    private static String snarkjs(R1cs r, Fr[] witness, int reps, double ours) throws IOException {
        Path dir = Files.createTempDirectory("stmtbench");
        try {
            R1csFile.write(r, dir.resolve("s.r1cs"));
            WtnsFile.write(witness, dir.resolve("s.wtns"));
            int power = 32 - Integer.numberOfLeadingZeros(r.numConstraints() + r.numPublic());
            long t0 = System.nanoTime();
            Path ptau = NodeTool.preparedPtau(power);
            System.out.printf(Locale.ROOT, "snarkjs powers of tau 2^%d: %.0f s (one-off, cached; 0 when it was)%n", power, secondsSince(t0));
            t0 = System.nanoTime();
            NodeTool.snarkjsChecked(dir, "groth16", "setup", "s.r1cs", ptau.toString(), "s.zkey");
            double setup = secondsSince(t0);
            System.out.printf(Locale.ROOT, "snarkjs groth16 setup: %.2f s%n", setup);
            NodeTool.snarkjsChecked(dir, "zkey", "export", "verificationkey", "s.zkey", "vk.json");
            double[] prove = new double[reps];
            long rss = 0;
            for (int k = 0; k < reps; k++) {
                t0 = System.nanoTime();
                long[] hwm = timed(dir, "groth16", "prove", "s.zkey", "s.wtns", "proof.json", "public.json");
                prove[k] = secondsSince(t0);
                rss = Math.max(rss, hwm[0]);
                System.out.printf(Locale.ROOT, "snarkjs prove #%d: %.2f s, peak RSS %d MiB%n", k + 1, prove[k], hwm[0] >> 10);
            }
            NodeTool.snarkjsChecked(dir, "groth16", "verify", "vk.json", "public.json", "proof.json");
            return String.format(Locale.ROOT, "| %.2f | %.2f | %d | %.1f× |", setup, median(prove), rss >> 10,
                    median(prove) / ours);
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    /** Runs snarkjs under /usr/bin/time -f %M; returns {peak RSS in KiB}. */
    private static long[] timed(Path dir, String... args) {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/time", "-f", "MAXRSS %M", "node",
                NodeTool.repoRoot().resolve("node_modules/snarkjs/build/cli.cjs").toString()));
        cmd.addAll(Arrays.asList(args));
        NodeTool.Result res = NodeTool.runAny(cmd, dir, "");
        if (res.exitCode() != 0) {
            throw new IllegalStateException("snarkjs failed: " + res.stdout() + res.stderr());
        }
        String err = res.stderr();
        int at = err.lastIndexOf("MAXRSS ");
        return new long[] {at < 0 ? 0 : Long.parseLong(err.substring(at + 7).trim().split("\\s+")[0])};
    }



    /** CPU time of the whole JVM (all threads), less sensitive than wall time to other load. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    private static long heapPeak() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    private static double median(double[] xs) {
        double[] c = xs.clone();
        Arrays.sort(c);
        return c.length % 2 == 1 ? c[c.length / 2] : (c[c.length / 2 - 1] + c[c.length / 2]) / 2;
    }

    private static double secondsSince(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
