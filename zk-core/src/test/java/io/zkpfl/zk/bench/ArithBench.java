package io.zkpfl.zk.bench;

import io.zkpfl.zk.bn254.Domain;
import io.zkpfl.zk.bn254.Fp;
import io.zkpfl.zk.bn254.Fp12;
import io.zkpfl.zk.bn254.Fr;
import io.zkpfl.zk.bn254.G1;
import io.zkpfl.zk.bn254.G2;
import io.zkpfl.zk.bn254.MsmG1;
import io.zkpfl.zk.bn254.MsmG2;
import io.zkpfl.zk.bn254.Pairing;
import io.zkpfl.zk.bn254.ReferencePairing;
import io.zkpfl.zk.groth16.Groth16;
import io.zkpfl.zk.groth16.KeyPair;
import io.zkpfl.zk.groth16.PreparedVerifyingKey;
import io.zkpfl.zk.groth16.Proof;
import io.zkpfl.zk.groth16.VerifyingKey;
import io.zkpfl.zk.marshal.BinaryFormat;
import io.zkpfl.zk.mpcsetup.Phase2;
import io.zkpfl.zk.mpcsetup.Phase2Transcript;
import io.zkpfl.zk.r1cs.LinearCombination;
import io.zkpfl.zk.r1cs.R1cs;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Benchmark harness for zk-core's BN254 arithmetic and Groth16 backend: prints a Markdown table
 * of median wall-clock times. Arguments pick the cases (default: all):
 * {@code field msm16 msm20 msmg2 ntt16 ntt20 pairing verify prove14 prove16}; not in the default
 * set: {@code ceremony14 ceremony16} (one phase-2 contribution and its verification) and
 * {@code quotient16 quotient20} (the prover's quotient: seven NTTs on packed limbs).
 *
 * <p>Run from the repository root, nothing installed into ~/.m2 (docs/benchmarks.md):
 * {@code ./mvnw -B -q -pl zk-core -am test-compile dependency:build-classpath -Dmdep.includeScope=test
 * -Dmdep.outputFile=target/bench.classpath}, then {@code java -Xmx8g -cp
 * "zk-core/target/test-classes:zk-core/target/classes:$(cat zk-core/target/bench.classpath)"
 * io.zkpfl.zk.bench.ArithBench [msm16 ntt16 ...]}
 */
public final class ArithBench {

    private static final SplittableRandom RNG = new SplittableRandom(2026);
    private static final List<String> ROWS = new ArrayList<>();

    private ArithBench() {
    }

    public static void main(String[] args) {
        List<String> cases = args.length == 0
                ? List.of("field", "msm16", "msm20", "msmg2", "ntt16", "ntt20", "pairing", "verify", "prove16")
                : Arrays.asList(args);
        System.out.printf("cores=%d, maxHeap=%d MiB, java=%s%n", Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20, System.getProperty("java.version"));
        ROWS.add("| case | size | median | runs |");
        ROWS.add("|---|---|---|---|");
        for (String c : cases) {
            switch (c) {
                case "field" -> field();
                case "msm16" -> msmG1(16, 5);
                case "msm20" -> msmG1(20, 3);
                case "msmg2" -> msmG2(16, 3);
                case "ntt16" -> ntt(16, 7);
                case "ntt20" -> ntt(20, 3);
                case "quotient16" -> quotient(16, 9);
                case "quotient20" -> quotient(20, 3);
                case "pairing" -> pairing();
                case "verify" -> verify();
                case "prove14" -> prove(14);
                case "prove16" -> prove(16);
                case "ceremony14" -> ceremony(14);
                case "ceremony16" -> ceremony(16);
                default -> throw new IllegalArgumentException("unknown case " + c);
            }
        }
        System.out.println();
        ROWS.forEach(System.out::println);
    }

    private static void field() {
        Fr a = Fr.random(RNG);
        Fr b = Fr.random(RNG);
        int n = 5_000_000;
        double ns = median(7, () -> {
            Fr x = a;
            long t = System.nanoTime();
            for (int i = 0; i < n; i++) {
                x = x.mul(b);
            }
            long dt = System.nanoTime() - t;
            blackhole(x);
            return (double) dt / n;
        });
        row("Fr mul (dependent chain)", "1", String.format("%.1f ns", ns), 7);
        Fp pa = Fp.random(RNG);
        Fp pb = Fp.random(RNG);
        ns = median(7, () -> {
            Fp x = pa;
            long t = System.nanoTime();
            for (int i = 0; i < n; i++) {
                x = x.mul(pb);
            }
            long dt = System.nanoTime() - t;
            blackhole(x);
            return (double) dt / n;
        });
        row("Fp mul (dependent chain)", "1", String.format("%.1f ns", ns), 7);
        G1 p = G1.GENERATOR.mul(Fr.random(RNG));
        G1 q = G1.GENERATOR.mul(Fr.random(RNG)).normalize();
        int m = 1_000_000;
        ns = median(5, () -> {
            G1 x = p;
            Fp qx = q.affineX();
            Fp qy = q.affineY();
            long t = System.nanoTime();
            for (int i = 0; i < m; i++) {
                x = x.addAffine(qx, qy);
            }
            long dt = System.nanoTime() - t;
            blackhole(x);
            return (double) dt / m;
        });
        row("G1 mixed add (Jacobian + affine)", "1", String.format("%.0f ns", ns), 5);
    }

    private static G1[] g1Bases(int n) {
        G1[] bases = new G1[n];
        G1 step = G1.GENERATOR.mul(Fr.random(RNG));
        G1 acc = step;
        for (int i = 0; i < n; i++) {
            bases[i] = acc;
            acc = acc.add(step);
        }
        return MsmG1.normalizeAll(bases);
    }

    private static Fr[] scalars(int n) {
        Fr[] s = new Fr[n];
        for (int i = 0; i < n; i++) {
            s[i] = Fr.random(RNG);
        }
        return s;
    }

    private static void msmG1(int log, int runs) {
        int n = 1 << log;
        G1[] bases = g1Bases(n);
        Fr[] s = scalars(n);
        MsmG1.msm(Arrays.copyOf(bases, 1 << 12), Arrays.copyOf(s, 1 << 12));
        double ms = median(runs, () -> timeMs(() -> MsmG1.msm(bases, s)));
        row("MSM G1", "2^" + log, String.format("%.0f ms", ms), runs);
    }

    private static void msmG2(int log, int runs) {
        int n = 1 << log;
        G2[] bases = new G2[n];
        G2 step = G2.GENERATOR.mul(Fr.random(RNG));
        G2 acc = step;
        for (int i = 0; i < n; i++) {
            bases[i] = acc;
            acc = acc.add(step);
        }
        G2[] norm = MsmG2.normalizeAll(bases);
        Fr[] s = scalars(n);
        double ms = median(runs, () -> timeMs(() -> MsmG2.msm(norm, s)));
        row("MSM G2", "2^" + log, String.format("%.0f ms", ms), runs);
    }

    private static void ntt(int log, int runs) {
        Domain d = Domain.atLeast(1 << log);
        Fr[] a = scalars(1 << log);
        d.fft(a.clone());
        double ms = median(runs, () -> {
            Fr[] x = a.clone();
            return timeMs(() -> {
                d.fft(x);
                return x;
            });
        });
        row("NTT (forward)", "2^" + log, String.format("%.0f ms", ms), runs);
    }

    /** {@code Domain.quotientByVanishing}: 3 inverse NTTs, 3 coset NTTs, 1 inverse coset NTT on limbs. */
    private static void quotient(int log, int runs) {
        int n = 1 << log;
        Domain d = Domain.atLeast(n);
        Fr[] a = scalars(n);
        Fr[] b = scalars(n);
        Fr[] c = new Fr[n];
        for (int i = 0; i < n; i++) {
            c[i] = a[i].mul(b[i]);
        }
        d.quotientByVanishing(a, b, c);
        double ms = median(runs, () -> timeMs(() -> d.quotientByVanishing(a, b, c)));
        row("quotient (7 NTTs on limbs)", "2^" + log, String.format("%.0f ms", ms), runs);
    }

    /** Runs {@code f} for about {@code ms} milliseconds so the JIT reaches its steady state. */
    private static void warmUp(Runnable f, long ms) {
        long end = System.nanoTime() + ms * 1_000_000;
        while (System.nanoTime() < end) {
            f.run();
        }
    }

    private static void pairing() {
        G1 p = G1.GENERATOR.mul(Fr.random(RNG));
        G2 q = G2.GENERATOR.mul(Fr.random(RNG));
        Fp12 f = Pairing.millerLoop(p, q);
        warmUp(() -> Pairing.pair(p, q), 4000);
        warmUp(() -> ReferencePairing.pair(p, q), 4000);
        // interleaved rounds, so that load changes on a shared machine hit every row alike
        double[][] ms = interleavedMedians(41, List.of(
                () -> Pairing.pair(p, q),
                () -> Pairing.millerLoop(p, q),
                () -> Pairing.finalExponentiation(f),
                () -> ReferencePairing.pair(p, q)));
        row("pairing e(P, Q)", "1", wallCpu(ms[0]), 41);
        row("  Miller loop only", "1", wallCpu(ms[1]), 41);
        row("  final exponentiation only", "1", wallCpu(ms[2]), 41);
        row("pairing, reference implementation (textbook loop)", "1", wallCpu(ms[3]), 41);
    }

    /**
     * Median wall-clock and thread-CPU milliseconds of each case over {@code rounds} rounds that run
     * every case once, in turn. CPU time is not inflated by preemption on a loaded machine.
     */
    private static double[][] interleavedMedians(int rounds, List<Supplier<?>> cases) {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        double[][] wall = new double[cases.size()][rounds];
        double[][] cpu = new double[cases.size()][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int c = 0; c < cases.size(); c++) {
                long c0 = mx.getCurrentThreadCpuTime();
                long w0 = System.nanoTime();
                blackhole(cases.get(c).get());
                wall[c][r] = (System.nanoTime() - w0) / 1e6;
                cpu[c][r] = (mx.getCurrentThreadCpuTime() - c0) / 1e6;
            }
        }
        double[][] out = new double[cases.size()][2];
        for (int c = 0; c < out.length; c++) {
            Arrays.sort(wall[c]);
            Arrays.sort(cpu[c]);
            out[c][0] = wall[c][rounds / 2];
            out[c][1] = cpu[c][rounds / 2];
        }
        return out;
    }

    private static String wallCpu(double[] m) {
        return String.format("%.2f ms (CPU %.2f ms)", m[0], m[1]);
    }

    /** A chain of squarings with 3 public inputs: y_{i+1} = y_i², n constraints. */
    private static R1cs chain(int n) {
        R1cs.Builder b = R1cs.builder(0, 3).privateInputs(1);
        b.add(LinearCombination.term(1, Fr.ONE), LinearCombination.term(2, Fr.ONE), LinearCombination.term(5, Fr.ONE));
        for (int i = 1; i < n; i++) {
            b.add(LinearCombination.term(4 + i, Fr.ONE), LinearCombination.term(4 + i, Fr.ONE),
                    LinearCombination.term(5 + i, Fr.ONE));
        }
        return b.build(5 + n);
    }

    private static Fr[] chainWitness(int n) {
        Fr[] w = new Fr[5 + n];
        w[0] = Fr.ONE;
        w[1] = Fr.of(3);
        w[2] = Fr.of(5);
        w[3] = Fr.of(7);
        w[4] = Fr.of(11);
        w[5] = w[1].mul(w[2]);
        for (int i = 1; i < n; i++) {
            w[5 + i] = w[4 + i].square();
        }
        return w;
    }

    private static void verify() {
        R1cs r = chain(8);
        KeyPair k = Groth16.setup(r, RNG);
        Fr[] w = chainWitness(8);
        Proof p = Groth16.prove(k.provingKey(), r, w, RNG);
        Fr[] pub = Arrays.copyOfRange(w, 1, 4);
        VerifyingKey vk = k.verifyingKey();
        // the reference verifier: [r]B = O, naive IC sum, 4-pair reference pairing check
        Supplier<Boolean> reference = () -> {
            if (!p.b().mul(Fr.MODULUS).isInfinity()) {
                throw new IllegalStateException("B not in G2");
            }
            G1 vkx = vk.ic(0);
            for (int i = 0; i < pub.length; i++) {
                vkx = vkx.add(vk.ic(i + 1).mul(pub[i]));
            }
            return ReferencePairing.check(new G1[] {p.a().neg(), vk.alpha1(), vkx, p.c()},
                    new G2[] {p.b(), vk.beta2(), vk.gamma2(), vk.delta2()});
        };
        if (!reference.get() || !Groth16.verify(vk, pub, p)) {
            throw new IllegalStateException("benchmark proof does not verify");
        }
        warmUp(() -> Groth16.verify(vk, pub, p), 5000);
        warmUp(reference::get, 5000);
        double[][] ms = interleavedMedians(41, List.of(
                () -> Groth16.verify(vk, pub, p),
                () -> PreparedVerifyingKey.of(vk),
                () -> p.b().isInSubgroup(),
                () -> p.b().mul(Fr.MODULUS).isInfinity(),
                reference));
        row("Groth16 verify (3 public inputs)", "1", wallCpu(ms[0]), 41);
        row("  verifying-key preparation (once per key)", "1", wallCpu(ms[1]), 41);
        row("  G2 subgroup check of B (psi test)", "1", wallCpu(ms[2]), 41);
        row("  G2 subgroup check of B by [r]B (reference)", "1", wallCpu(ms[3]), 41);
        row("Groth16 verify, reference path", "1", wallCpu(ms[4]), 41);
    }

    private static void prove(int log) {
        int n = (1 << log) - 8;
        R1cs r = chain(n);
        long t = System.nanoTime();
        KeyPair k = Groth16.setup(r, RNG);
        double setupMs = (System.nanoTime() - t) / 1e6;
        row("Groth16 setup (squaring chain)", n + " constraints", String.format("%.0f ms", setupMs), 1);
        Fr[] w = chainWitness(n);
        Groth16.prove(k.provingKey(), r, w, RNG);
        double ms = median(3, () -> timeMs(() -> Groth16.prove(k.provingKey(), r, w, RNG)));
        row("Groth16 prove (squaring chain)", n + " constraints", String.format("%.0f ms", ms), 3);
    }

    /** Phase-2 ceremony at 2^log − 8 constraints: one contribution, then verifying the transcript. */
    private static void ceremony(int log) {
        int n = (1 << log) - 8;
        KeyPair k = Groth16.setup(chain(n), RNG);
        String size = n + " constraints";
        byte[] pk = BinaryFormat.encode(k.provingKey());
        double decode = timeMs(() -> BinaryFormat.decodeProvingKey(pk));
        row("proving key decode incl. G2 subgroup checks (" + (pk.length >> 20) + " MiB)", size,
                String.format("%.0f ms", decode), 1);
        Phase2Transcript[] t = {Phase2Transcript.start(k)};
        double contribute = timeMs(() -> t[0] = Phase2.contribute(k, t[0], new java.security.SecureRandom()));
        row("phase-2 contribute (L, H divided by s)", size, String.format("%.0f ms", contribute), 1);
        double verify = timeMs(() -> Phase2.verify(k, t[0]));
        row("phase-2 verify, 1 contribution", size, String.format("%.0f ms", verify), 1);
        double encode = timeMs(() -> Phase2Transcript.decode(t[0].encode()));
        row("phase-2 transcript encode + decode (" + (t[0].encode().length >> 20) + " MiB)", size,
                String.format("%.0f ms", encode), 1);
    }

    private static double timeMs(Supplier<?> f) {
        long t = System.nanoTime();
        blackhole(f.get());
        return (System.nanoTime() - t) / 1e6;
    }

    private static double median(int runs, Supplier<Double> f) {
        double[] v = new double[runs];
        for (int i = 0; i < runs; i++) {
            v[i] = f.get();
        }
        Arrays.sort(v);
        return v[runs / 2];
    }

    private static volatile Object sink;

    private static void blackhole(Object o) {
        sink = o;
    }

    private static void row(String what, String size, String value, int runs) {
        String line = "| " + what + " | " + size + " | " + value + " | " + runs + " |";
        ROWS.add(line);
        System.out.println(line);
    }
}
