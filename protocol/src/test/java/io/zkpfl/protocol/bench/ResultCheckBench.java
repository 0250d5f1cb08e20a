package io.zkpfl.protocol.bench;

import io.zkpfl.protocol.round.NextModel;
import io.zkpfl.protocol.round.ResultBinding;
import io.zkpfl.protocol.round.Reveal;
import io.zkpfl.protocol.vss.CommitmentSums;
import io.zkpfl.protocol.vss.Dealing;
import io.zkpfl.protocol.vss.VssDealer;
import io.zkpfl.protocol.vss.VssParameters;
import io.zkpfl.zk.bn254.Fr;
import io.zkpfl.zk.kzg.Srs;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * The result step of a round, old check against new (docs/adr/0108), at several D in one run, printed as a Markdown
 * table of medians:
 * <ul>
 *   <li>trainer, old: {@code t} reveals each checked against {@code C_k} with an MSM, {@code A} against {@code C_A}
 *   with another ({@code NextModel.compute} without a claim, given exactly {@code t} reveals);</li>
 *   <li>trainer, new: Lagrange combination, {@code keccak(A ‖ b_A)}, the point and {@code A(z)} against the chain's
 *   ResultOpened ({@code NextModel.compute} with the claim);</li>
 *   <li>engine, old: the old trainer check, then the opening of {@code C_A} (one more MSM);</li>
 *   <li>engine, new: combination, hash, the opening and its pairing check ({@code NextModel.aggregate}).</li>
 * </ul>
 * Each includes {@code ModelStep} (the same in both). Every result is checked (the same {@code w'} hash on all four
 * paths), so a broken path fails the run instead of timing nothing.
 *
 * <p>Run from the repository root (see docs/benchmarks.md):
 * <pre>
 * ./mvnw -B -o -q -pl protocol -am test-compile dependency:build-classpath \
 *     -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
 * java -Xmx6g -cp "protocol/target/test-classes:protocol/target/classes:$(cat protocol/target/bench.classpath)" \
 *     io.zkpfl.protocol.bench.ResultCheckBench --logs 13,15,16 --m 3 --t 2 --reps 3
 * </pre>
 * The SRS comes from fixed-base tables with a known τ (a benchmark SRS); its build is not counted. The reveals are
 * the partials of one dealing (a sum of dealings has the same shape and cost).
 */
public final class ResultCheckBench {

    private ResultCheckBench() {
    }

    public static void main(String[] args) {
        int[] logs = {13, 15, 16};
        int m = 3;
        int t = 2;
        int reps = 3;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--logs" -> logs = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--m" -> m = Integer.parseInt(args[++i]);
                case "--t" -> t = Integer.parseInt(args[++i]);
                case "--reps" -> reps = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (--logs 13,15,16 --m 3 --t 2 --reps 3)");
            }
        }
        int max = 1 << Arrays.stream(logs).max().orElseThrow();
        long t0 = System.nanoTime();
        Srs srs = RoundBench.benchSrs(max, m + 2);
        System.out.printf(Locale.ROOT, "SRS of %d powers: %.1f s (not counted); m = %d, t = %d, %d cores, median of %d%n",
                max, (System.nanoTime() - t0) / 1e9, m, t, Runtime.getRuntime().availableProcessors(), reps);
        measure(srs, 1 << 10, m, t, 1); // warm-up, not reported
        System.out.println();
        System.out.println("| D | trainer old (t+1 MSMs) | trainer new (combine, hash, A(z)) | ratio"
                + " | engine old (t+2 MSMs) | engine new (combine, hash, open, pairing) | ratio |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- |");
        for (int log : logs) {
            double[] r = measure(srs, 1 << log, m, t, reps);
            System.out.printf(Locale.ROOT, "| 2^%d | %.0f ms | %.0f ms | %.1f× | %.0f ms | %.0f ms | %.1f× |%n", log,
                    r[0], r[1], r[0] / r[1], r[2], r[3], r[2] / r[3]);
        }
    }

    private static double[] measure(Srs srs, int d, int m, int t, int reps) {
        SplittableRandom rng = new SplittableRandom(d);
        int modelLength = d - m;
        VssParameters params = new VssParameters(t, m, modelLength, d);
        Fr[] update = new Fr[modelLength];
        for (int j = 0; j < modelLength; j++) {
            update[j] = Fr.of(rng.nextLong(-(1L << 20), 1L << 20));
        }
        Dealing dealing = new VssDealer(srs, params).deal(update, rng);
        CommitmentSums sums = CommitmentSums.of(List.of(dealing.commitments()));
        BigInteger job = BigInteger.ONE;
        List<Reveal> reveals = new ArrayList<>();
        for (int k = 1; k <= t; k++) {
            reveals.add(new Reveal(job, 0, 0, dealing.shareFor(k)));
        }
        float[] current = new float[modelLength];
        BigInteger samples = BigInteger.valueOf(100);
        NextModel next = new NextModel(srs, params);

        NextModel.Aggregated engineNew = next.aggregate(job, 0, 0, sums, reveals, current, samples);
        ResultBinding.Claim claim = new ResultBinding.Claim(engineNew.posted().aggregateHash(),
                engineNew.posted().opening().z(), engineNew.posted().opening().y());
        byte[] expected = engineNew.result().weightsHash();

        double[][] samplesMs = new double[4][reps];
        for (int rep = 0; rep < reps; rep++) {
            samplesMs[0][rep] = time(() -> next.compute(job, 0, 0, sums, reveals, current, samples), "per-reveal",
                    expected);
            samplesMs[1][rep] = time(() -> next.compute(job, 0, 0, sums, reveals, current, samples, claim),
                    "result-opened", expected);
            samplesMs[2][rep] = time(() -> {
                NextModel.Result r = next.compute(job, 0, 0, sums, reveals, current, samples);
                if (!ResultBinding.open(srs, r.aggregate(), sums.aggregate(), 0).opening().y()
                        .equals(claim.y())) {
                    throw new IllegalStateException("the old engine path opened another value");
                }
                return r;
            }, "per-reveal", expected);
            samplesMs[3][rep] = time(() -> {
                NextModel.Aggregated a = next.aggregate(job, 0, 0, sums, reveals, current, samples);
                return a.result();
            }, "opening", expected);
        }
        double[] med = new double[4];
        for (int c = 0; c < 4; c++) {
            double[] s = samplesMs[c].clone();
            Arrays.sort(s);
            med[c] = s[s.length / 2];
        }
        return med;
    }

    private static double time(Supplier<NextModel.Result> run, String check, byte[] expected) {
        long t0 = System.nanoTime();
        NextModel.Result r = run.get();
        double ms = (System.nanoTime() - t0) / 1e6;
        if (!check.equals(r.check()) || !Arrays.equals(expected, r.weightsHash())) {
            throw new IllegalStateException("path " + check + " gave " + r.check() + " and another w'");
        }
        return ms;
    }
}
