package io.zkpfl.zk.bench;

import io.zkpfl.zk.bn254.Fr;
import io.zkpfl.zk.bn254.G1;
import io.zkpfl.zk.kzg.Kzg;
import io.zkpfl.zk.kzg.Opening;
import io.zkpfl.zk.kzg.Srs;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Benchmark of the hiding KZG commitments ({@code io.zkpfl.zk.kzg}): for D = 2^minPower … 2^maxPower
 * (default 10 … 20) the median wall-clock time of {@code commit} (one MSM of D + 2 terms: a vector of
 * length D and a blinding polynomial of 2 coefficients), {@code open} (two synthetic divisions and an
 * MSM of D − 1 + 1 terms); then {@code verify} of one opening and {@code batchVerify} of 8, which do
 * not depend on D. The SRS (2^maxPower powers, 8 alpha powers) is made from known secrets with a
 * fixed-base table ({@link Srs#insecureFromSecrets}); its construction time is printed too.
 *
 * <p>Run from the repository root (docs/benchmarks.md):
 * {@code ./mvnw -B -q -pl zk-core -am test-compile dependency:build-classpath -Dmdep.includeScope=test
 * -Dmdep.outputFile=target/bench.classpath}, then {@code java -Xmx6g -cp
 * "zk-core/target/test-classes:zk-core/target/classes:$(cat zk-core/target/bench.classpath)"
 * io.zkpfl.zk.bench.KzgBench [minPower maxPower]}
 */
public final class KzgBench {

    private static final SplittableRandom RNG = new SplittableRandom(2027);
    private static final int BLINDING = 2;

    private KzgBench() {
    }

    public static void main(String[] args) {
        int minPower = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int maxPower = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        System.out.printf("cores=%d, maxHeap=%d MiB, java=%s%n", Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20, System.getProperty("java.version"));
        long t0 = System.nanoTime();
        Srs srs = Srs.insecureFromSecrets(Fr.random(RNG), Fr.random(RNG), 1 << maxPower, 8);
        double srsMs = (System.nanoTime() - t0) / 1e6;
        System.out.printf("insecure SRS of 2^%d powers: %.0f ms%n", maxPower, srsMs);

        List<String> rows = new ArrayList<>();
        rows.add("| D | commit | open | runs |");
        rows.add("|---:|---:|---:|---:|");
        for (int p = minPower; p <= maxPower; p++) {
            int d = 1 << p;
            int runs = p <= 14 ? 7 : p <= 17 ? 5 : 3;
            Fr[] v = random(d);
            Fr[] b = random(BLINDING);
            Fr z = Fr.random(RNG);
            Kzg.commit(srs, v, b); // warm-up
            double commit = median(runs, () -> Kzg.commit(srs, v, b));
            double open = median(runs, () -> Kzg.open(srs, v, b, z));
            rows.add(String.format("| 2^%d | %s | %s | %d |", p, ms(commit), ms(open), runs));
            System.out.println(rows.getLast());
        }

        // verification does not depend on D: openings of vectors of 2^minPower
        int d = 1 << minPower;
        List<G1> cs = new ArrayList<>();
        List<Opening> os = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Fr[] v = random(d);
            Fr[] b = random(BLINDING);
            cs.add(Kzg.commit(srs, v, b));
            os.add(Kzg.open(srs, v, b, Fr.random(RNG)));
        }
        for (int i = 0; i < 20; i++) { // warm-up
            Kzg.verify(srs, cs.get(0), os.get(0));
            Kzg.batchVerify(srs, cs, os);
        }
        double verify = median(21, () -> check(Kzg.verify(srs, cs.get(0), os.get(0))));
        double batch = median(21, () -> check(Kzg.batchVerify(srs, cs, os)));
        double eight = median(11, () -> {
            for (int i = 0; i < 8; i++) {
                check(Kzg.verify(srs, cs.get(i), os.get(i)));
            }
            return null;
        });
        rows.add("");
        rows.add("| check (any D) | median | runs |");
        rows.add("|---|---:|---:|");
        rows.add(String.format("| verify, 1 opening | %s | 21 |", ms(verify)));
        rows.add(String.format("| batchVerify, 8 openings | %s | 21 |", ms(batch)));
        rows.add(String.format("| verify × 8, one by one | %s | 11 |", ms(eight)));
        System.out.println();
        rows.forEach(System.out::println);
    }

    private static Boolean check(boolean ok) {
        if (!ok) {
            throw new IllegalStateException("benchmark opening did not verify");
        }
        return Boolean.TRUE;
    }

    private static Fr[] random(int n) {
        Fr[] v = new Fr[n];
        Arrays.setAll(v, i -> Fr.random(RNG));
        return v;
    }

    private static String ms(double nanos) {
        double m = nanos / 1e6;
        return m < 10 ? String.format("%.2f ms", m) : String.format("%.0f ms", m);
    }

    private static double median(int runs, Supplier<?> work) {
        double[] t = new double[runs];
        for (int i = 0; i < runs; i++) {
            long s = System.nanoTime();
            Object r = work.get();
            t[i] = System.nanoTime() - s;
            if (r == null && i < 0) {
                throw new AssertionError();
            }
        }
        Arrays.sort(t);
        return t[runs / 2];
    }
}
