package io.zkpfl.protocol.validation;

import java.util.ArrayList;
import java.util.List;

/**
 * Accuracy figures in ppm, rounded down as the posted overall accuracy is: {@code correct · 10^6 / samples}, 0 for
 * no samples. Per group: over the samples of each group id in {@code [0, groups)}; samples with another id (a label
 * beyond {@code groups} when groups are labels) count only towards the overall figure.
 */
public final class Accuracies {

    private static final long PPM = 1_000_000L;

    private Accuracies() {
    }

    public static int ppm(long correct, long samples) {
        return samples == 0 ? 0 : (int) (correct * PPM / samples);
    }

    /** Per-group ppm for {@code groups} groups: {@code group[i]} is sample {@code i}'s id, {@code hit[i]} its outcome. */
    public static List<Integer> perGroup(boolean[] hit, int[] group, int groups) {
        if (hit.length != group.length) {
            throw new IllegalArgumentException(hit.length + " outcomes for " + group.length + " group ids");
        }
        long[] correct = new long[groups];
        long[] samples = new long[groups];
        for (int i = 0; i < hit.length; i++) {
            int g = group[i];
            if (g >= 0 && g < groups) {
                samples[g]++;
                if (hit[i]) {
                    correct[g]++;
                }
            }
        }
        List<Integer> out = new ArrayList<>(groups);
        for (int g = 0; g < groups; g++) {
            out.add(ppm(correct[g], samples[g]));
        }
        return List.copyOf(out);
    }
}
