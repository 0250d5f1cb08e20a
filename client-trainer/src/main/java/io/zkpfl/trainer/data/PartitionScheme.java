package io.zkpfl.trainer.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * How a data set is split among trainers. Every sample goes to exactly one trainer; the split is a
 * pure function of the labels, the number of trainers and the seed.
 */
public sealed interface PartitionScheme permits PartitionScheme.Iid, PartitionScheme.Dirichlet {

    /**
     * Assigns sample indices to trainers.
     *
     * @return one ascending index array per trainer; together they cover every sample once
     * @throws DatasetException when there are fewer samples than trainers
     */
    int[][] split(LabelledImages data, int trainers, long seed);

    /** Short human-readable name, e.g. {@code iid} or {@code dirichlet(0.5)}. */
    String describe();

    /** Shuffled, then cut into equal shares (sizes differ by at most one). */
    record Iid() implements PartitionScheme {
        @Override
        public int[][] split(LabelledImages data, int trainers, long seed) {
            requireEnough(data, trainers);
            int[] order = shuffled(data.count(), new Random(seed));
            int[][] out = new int[trainers][];
            int n = data.count();
            for (int t = 0; t < trainers; t++) {
                int from = (int) ((long) n * t / trainers);
                int to = (int) ((long) n * (t + 1) / trainers);
                out[t] = Arrays.copyOfRange(order, from, to);
                Arrays.sort(out[t]);
            }
            return out;
        }

        @Override
        public String describe() {
            return "iid";
        }
    }

    /**
     * Non-IID by label: for each class, trainer shares are drawn from a symmetric Dirichlet(α) and the
     * class's shuffled samples are cut in those proportions (Hsu, Qi and Brown, 2019). Small α gives
     * each trainer few classes; large α approaches IID. Draws are repeated (same seed stream) until
     * every trainer holds at least {@link #MIN_SAMPLES} samples, or fewer when the data set is tiny.
     *
     * @param alpha concentration, in (0, 1000]
     */
    record Dirichlet(double alpha) implements PartitionScheme {
        /** Smallest share a trainer is given. */
        public static final int MIN_SAMPLES = 10;
        private static final int MAX_ATTEMPTS = 1000;

        public Dirichlet {
            if (!(alpha > 0 && alpha <= 1000)) {
                throw new DatasetException("Dirichlet alpha must be in (0, 1000], got " + alpha);
            }
        }

        @Override
        public int[][] split(LabelledImages data, int trainers, long seed) {
            requireEnough(data, trainers);
            int classes = data.classCount();
            List<List<Integer>> byClass = new ArrayList<>();
            for (int c = 0; c < classes; c++) {
                byClass.add(new ArrayList<>());
            }
            for (int i = 0; i < data.count(); i++) {
                byClass.get(data.label(i)).add(i);
            }
            Random random = new Random(seed);
            int min = Math.min(MIN_SAMPLES, data.count() / trainers);
            for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
                int[][] out = draw(byClass, trainers, random);
                boolean ok = true;
                for (int[] share : out) {
                    ok &= share.length >= Math.max(1, min);
                }
                if (ok) {
                    return out;
                }
            }
            throw new DatasetException("could not draw a Dirichlet(" + alpha + ") split giving each of " + trainers
                    + " trainers at least " + Math.max(1, min) + " samples; use a larger alpha or fewer trainers");
        }

        private int[][] draw(List<List<Integer>> byClass, int trainers, Random random) {
            List<List<Integer>> shares = new ArrayList<>();
            for (int t = 0; t < trainers; t++) {
                shares.add(new ArrayList<>());
            }
            for (List<Integer> members : byClass) {
                int[] idx = members.stream().mapToInt(Integer::intValue).toArray();
                shuffle(idx, random);
                double[] p = DirichletSampler.sample(alpha, trainers, random);
                double cumulative = 0;
                int from = 0;
                for (int t = 0; t < trainers; t++) {
                    cumulative += p[t];
                    int to = t == trainers - 1 ? idx.length : (int) Math.min(idx.length, Math.round(cumulative * idx.length));
                    for (int k = from; k < to; k++) {
                        shares.get(t).add(idx[k]);
                    }
                    from = Math.max(from, to);
                }
            }
            int[][] out = new int[trainers][];
            for (int t = 0; t < trainers; t++) {
                out[t] = shares.get(t).stream().mapToInt(Integer::intValue).sorted().toArray();
            }
            return out;
        }

        @Override
        public String describe() {
            return "dirichlet(" + alpha + ")";
        }
    }

    private static void requireEnough(LabelledImages data, int trainers) {
        if (trainers < 1) {
            throw new DatasetException("the number of trainers must be at least 1, got " + trainers);
        }
        if (data.count() < trainers) {
            throw new DatasetException("cannot split " + data.count() + " samples among " + trainers + " trainers");
        }
    }

    private static int[] shuffled(int n, Random random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        shuffle(order, random);
        return order;
    }

    /** Fisher–Yates shuffle. */
    static void shuffle(int[] a, Random random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = a[i];
            a[i] = a[j];
            a[j] = tmp;
        }
    }
}
