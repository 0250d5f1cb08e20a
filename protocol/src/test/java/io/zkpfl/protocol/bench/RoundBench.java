package io.zkpfl.protocol.bench;

import io.zkpfl.protocol.envelope.EnvelopeTag;
import io.zkpfl.protocol.envelope.NodeRoundKey;
import io.zkpfl.protocol.envelope.ShareEnvelope;
import io.zkpfl.protocol.fixedpoint.ClipPolicy;
import io.zkpfl.protocol.fixedpoint.UpdateEncoder;
import io.zkpfl.protocol.vss.BufferedSecureRandom;
import io.zkpfl.protocol.vss.CommitmentSums;
import io.zkpfl.protocol.vss.Dealing;
import io.zkpfl.protocol.vss.ReceivedShare;
import io.zkpfl.protocol.vss.Reconstruction;
import io.zkpfl.protocol.vss.Share;
import io.zkpfl.protocol.vss.ShareCheck;
import io.zkpfl.protocol.vss.VssDealer;
import io.zkpfl.protocol.vss.VssParameters;
import io.zkpfl.zk.bn254.Fr;
import io.zkpfl.zk.bn254.G1;
import io.zkpfl.zk.frontend.Circuit;
import io.zkpfl.zk.frontend.CompiledCircuit;
import io.zkpfl.zk.frontend.Compiler;
import io.zkpfl.zk.groth16.Groth16;
import io.zkpfl.zk.groth16.KeyPair;
import io.zkpfl.zk.kzg.Kzg;
import io.zkpfl.zk.kzg.Opening;
import io.zkpfl.zk.kzg.Srs;
import io.zkpfl.zk.stmt.FingerprintStatement;
import io.zkpfl.zk.stmt.SharesStatement;
import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Per-party time of one v2 round (docs/protocol.md, "What it costs") for D = 2^from … 2^to, m = 3,
 * t = 2, with zk-core's v1 provers (Stmt(D), SharesStatement(D, 3)) beside them in the same run for
 * the sizes up to 2^v1-to.
 *
 * <p>Run from the repository root (see docs/benchmarks.md):
 * <pre>
 * ./mvnw -B -q -pl protocol -am test-compile dependency:build-classpath \
 *     -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
 * java -Xmx6g -cp "protocol/target/test-classes:protocol/target/classes:$(cat protocol/target/bench.classpath)" \
 *     io.zkpfl.protocol.bench.RoundBench --from 10 --to 20 --v1-to 11
 * </pre>
 * {@code --reps} (default 3) repetitions per size up to 2^16, {@code --reps-large} (default 1) above;
 * the median is reported; {@code --v1-reps} (default 1) for the v1 provers, whose set-up is not counted
 * and whose first size is preceded by an uncounted proof (JIT warm-up). {@code --trainers} (default 8) is the number of dealings a node checks. The
 * SRS for 2^to comes from fixed-base tables (insecure, known τ: a benchmark SRS); its build time is
 * printed and not counted. The node's 8 dealings are one dealing scaled by 8 random factors (each a
 * valid dealing of the scaled vector), which costs the same to check as 8 independent ones.
 */
public final class RoundBench {

    private static final int M = 3;
    private static final int T = 2;

    private RoundBench() {
    }

    public static void main(String[] args) throws Exception {
        int from = 10;
        int to = 20;
        int v1To = 11;
        int reps = 3;
        int repsLarge = 1;
        int trainers = 8;
        int v1Reps = 1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--from" -> from = Integer.parseInt(args[++i]);
                case "--to" -> to = Integer.parseInt(args[++i]);
                case "--v1-to" -> v1To = Integer.parseInt(args[++i]);
                case "--reps" -> reps = Integer.parseInt(args[++i]);
                case "--reps-large" -> repsLarge = Integer.parseInt(args[++i]);
                case "--trainers" -> trainers = Integer.parseInt(args[++i]);
                case "--v1-reps" -> v1Reps = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        System.out.printf(Locale.ROOT, "# RoundBench: %d cores, max heap %d MiB, java %s, m = %d, t = %d, node checks %d dealings%n",
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
                System.getProperty("java.version"), M, T, trainers);
        randomnessComparison();
        long t0 = System.nanoTime();
        Srs srs = benchSrs(1 << to, M + 2);
        System.out.printf(Locale.ROOT, "SRS of 2^%d powers from fixed-base tables: %.1f s (not counted)%n", to, secondsSince(t0));
        measure(srs, 1 << Math.min(from, 10), 1, trainers); // warm-up, not reported
        List<String> rows = new ArrayList<>();
        List<String> v1Rows = new ArrayList<>();
        for (int log = from; log <= to; log++) {
            int d = 1 << log;
            double[] r = measure(srs, d, log <= 16 ? reps : repsLarge, trainers);
            rows.add(String.format(Locale.ROOT, "| 2^%d | %.0f | %.0f | %.0f | **%.0f** | %.0f | %.0f | %.0f | **%.0f** | **%.0f** | %.0f / %.0f / %.0f |",
                    log, r[0], r[1], r[2], r[0] + r[1] + r[2], r[3], r[4], r[5], r[3] + r[4] + r[5], r[6], r[7], r[8], r[9]));
            if (log <= v1To) {
                boolean warm = log > from;
                double stmt = v1Prove(new FingerprintStatement(d), d, 1, v1Reps, warm);
                double shares = v1Prove(new SharesStatement(d, M), d, M, v1Reps, warm);
                double trainer = (r[0] + r[1] + r[2]) / 1000;
                v1Rows.add(String.format(Locale.ROOT, "| 2^%d | %.2f | %.2f | %.3f | %.0f× |", log, stmt, shares, trainer,
                        shares / trainer));
            }
        }
        System.out.println();
        System.out.println("| D | trainer: encode ms | deal (t commitments) ms | m envelopes ms | trainer ms | node: open "
                + trainers + " envelopes ms | batched check of " + trainers + " ms | partial + opening ms | node ms | anyone: reveal check ms |"
                + " process CPU ms: trainer / node / anyone |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
        rows.forEach(System.out::println);
        if (!v1Rows.isEmpty()) {
            System.out.println();
            System.out.println("| D | v1 Stmt(D) prove s | v1 SharesStatement(D, 3) prove s (v1 trainer) | v2 trainer s | v1 / v2 trainer |");
            System.out.println("|---|---|---|---|---|");
            v1Rows.forEach(System.out::println);
        }
    }

    /** Median milliseconds: encode, deal, seal m, open n envelopes, batched check, partial + opening, reveal check. */
    private static double[] measure(Srs srs, int d, int reps, int trainers) {
        VssParameters params = new VssParameters(T, M, d - M, d);
        UpdateEncoder encoder = new UpdateEncoder(new ClipPolicy(1e6, 1.0, 1000));
        VssDealer dealer = new VssDealer(srs, params);
        ShareCheck check = new ShareCheck(srs, params);
        SplittableRandom data = new SplittableRandom(d);
        float[] delta = new float[d - M];
        for (int j = 0; j < delta.length; j++) {
            delta[j] = (float) (data.nextDouble() - 0.5);
        }
        BufferedSecureRandom rng = new BufferedSecureRandom();
        List<NodeRoundKey> keys = new ArrayList<>();
        for (int k = 1; k <= M; k++) {
            keys.add(NodeRoundKey.generate(rng));
        }
        BigInteger job = BigInteger.ONE;
        double[][] samples = new double[10][reps];
        for (int rep = 0; rep < reps; rep++) {
            long cpu0 = cpuNanos();
            long t0 = System.nanoTime();
            Fr[] u = encoder.encode(delta, 500);
            samples[0][rep] = msSince(t0);
            t0 = System.nanoTime();
            Dealing dealing = dealer.deal(u, rng);
            samples[1][rep] = msSince(t0);
            t0 = System.nanoTime();
            for (int k = 1; k <= M; k++) {
                ShareEnvelope.seal(keys.get(k - 1).publicKey(), new EnvelopeTag(job, 1, 0, 0, k), dealing.shareFor(k), rng)
                        .toBytes();
            }
            samples[2][rep] = msSince(t0);
            samples[7][rep] = (cpuNanos() - cpu0) / 1e6;

            List<byte[]> envelopes = new ArrayList<>();
            List<List<G1>> commitments = new ArrayList<>();
            for (int i = 0; i < trainers; i++) {
                Fr c = Fr.random(rng);
                Share s = dealing.shareFor(1);
                Share scaled = new Share(1, scale(s.values(), c), scale(s.blinding(), c));
                commitments.add(List.of(dealing.commitments().get(0).mul(c).normalize(),
                        dealing.commitments().get(1).mul(c).normalize()));
                envelopes.add(ShareEnvelope.seal(keys.get(0).publicKey(), new EnvelopeTag(job, 1, 0, i, 1), scaled, rng).toBytes());
            }
            cpu0 = cpuNanos();
            t0 = System.nanoTime();
            List<ReceivedShare> received = new ArrayList<>();
            for (int i = 0; i < trainers; i++) {
                Share s = ShareEnvelope.fromBytes(envelopes.get(i)).open(keys.get(0), new EnvelopeTag(job, 1, 0, i, 1));
                received.add(new ReceivedShare(i, commitments.get(i), s));
            }
            samples[3][rep] = msSince(t0);
            t0 = System.nanoTime();
            if (!check.faultyTrainers(1, received, rng).isEmpty()) {
                throw new IllegalStateException("honest shares refused");
            }
            samples[4][rep] = msSince(t0);
            t0 = System.nanoTime();
            List<Share> mine = new ArrayList<>();
            received.forEach(r -> mine.add(r.share()));
            Share partial = Share.sum(mine);
            Opening opening = Kzg.open(srs, partial.values(), partial.blinding(), Fr.random(rng));
            samples[5][rep] = msSince(t0);
            samples[8][rep] = (cpuNanos() - cpu0) / 1e6;

            CommitmentSums sums = CommitmentSums.of(commitments);
            if (!Kzg.verify(srs, sums.forNode(1), opening)) {
                throw new IllegalStateException("opening refused");
            }
            Reconstruction anyone = new Reconstruction(srs, params, sums);
            cpu0 = cpuNanos();
            t0 = System.nanoTime();
            if (!anyone.revealMatches(partial)) {
                throw new IllegalStateException("reveal refused");
            }
            samples[6][rep] = msSince(t0);
            samples[9][rep] = (cpuNanos() - cpu0) / 1e6;
        }
        double[] med = new double[10];
        for (int c = 0; c < 10; c++) {
            med[c] = median(samples[c]);
        }
        System.out.printf(Locale.ROOT, "D = %d: trainer %.0f ms (encode %.0f, deal %.0f, envelopes %.0f), node %.0f ms, reveal check %.0f ms;"
                + " process CPU: trainer %.0f ms, node %.0f ms, reveal check %.0f ms (load average %.1f)%n",
                d, med[0] + med[1] + med[2], med[0], med[1], med[2], med[3] + med[4] + med[5], med[6], med[7], med[8], med[9],
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        return med;
    }

    /** Median seconds of witness + Groth16 proving of a v1 statement with random shares (set-up not counted). */
    private static double v1Prove(Circuit circuit, int d, int shares, int reps, boolean warm) {
        CompiledCircuit cc = Compiler.compile(circuit);
        SecureRandom rnd = new SecureRandom();
        KeyPair keys = Groth16.setup(cc.r1cs(), rnd);
        SplittableRandom data = new SplittableRandom(d);
        Fr[][] s = new Fr[shares][d];
        Fr[] salts = new Fr[shares];
        for (int k = 0; k < shares; k++) {
            salts[k] = Fr.random(data);
            for (int j = 0; j < d; j++) {
                s[k][j] = Fr.random(data);
            }
        }
        Supplier<Fr[]> witness = () -> circuit instanceof SharesStatement st
                ? cc.solve(st.witness(Fr.random(data), salts, s, Fr.random(data))).values()
                : cc.solve(((FingerprintStatement) circuit).witness(Fr.random(data), salts[0], s[0], Fr.random(data))).values();
        if (!warm) {
            Groth16.prove(keys.provingKey(), cc.r1cs(), witness.get(), rnd); // JIT warm-up, not counted
        }
        double[] times = new double[reps];
        for (int r = 0; r < reps; r++) {
            long t0 = System.nanoTime();
            Groth16.prove(keys.provingKey(), cc.r1cs(), witness.get(), rnd);
            times[r] = secondsSince(t0);
        }
        double med = median(times);
        System.out.printf(Locale.ROOT, "v1 %s: witness + prove %.2f s (%d constraints)%n", circuit, med, cc.r1cs().numConstraints());
        return med;
    }

    /** The cost of drawing 2^16 field elements from a SecureRandom directly and through the buffer. */
    private static void randomnessComparison() {
        int n = 1 << 16;
        SecureRandom direct = new SecureRandom();
        BufferedSecureRandom buffered = new BufferedSecureRandom();
        for (int w = 0; w < 4; w++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                Fr.random(direct);
            }
            double a = msSince(t0);
            t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                Fr.random(buffered);
            }
            double b = msSince(t0);
            if (w == 3) {
                System.out.printf(Locale.ROOT, "2^16 random Fr: SecureRandom %.0f ms, BufferedSecureRandom %.0f ms (%.1f× faster)%n",
                        a, b, a / b);
            }
        }
    }

    /** A benchmark SRS with known τ and α (insecure). */
    static Srs benchSrs(int length, int blinding) {
        SplittableRandom r = new SplittableRandom(42);
        return Srs.insecureFromSecrets(Fr.random(r), Fr.random(r), length, blinding);
    }

    private static Fr[] scale(Fr[] v, Fr c) {
        Fr[] out = new Fr[v.length];
        Arrays.parallelSetAll(out, j -> v[j].mul(c));
        return out;
    }

    private static long cpuNanos() {
        return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static double msSince(long t0) {
        return (System.nanoTime() - t0) / 1e6;
    }

    private static double secondsSince(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
