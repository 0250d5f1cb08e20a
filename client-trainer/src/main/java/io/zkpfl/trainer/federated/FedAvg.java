package io.zkpfl.trainer.federated;

import java.util.List;

/**
 * Federated averaging (McMahan et al., 2017): the new global model is the mean of the trainers'
 * parameters weighted by their sample counts, accumulated in double precision.
 */
public final class FedAvg {

    private FedAvg() {
    }

    /** A trainer's parameters after its local epochs and the number of samples it trained on. */
    public record ClientUpdate(float[] parameters, long samples) {
        public ClientUpdate {
            if (samples < 0) {
                throw new IllegalArgumentException("sample count must not be negative, got " + samples);
            }
        }
    }

    /**
     * The sample-weighted mean of the updates.
     *
     * @throws IllegalArgumentException when there are no updates, lengths differ or no samples at all
     */
    public static float[] aggregate(List<ClientUpdate> updates) {
        if (updates.isEmpty()) {
            throw new IllegalArgumentException("no updates to aggregate");
        }
        int length = updates.get(0).parameters().length;
        long total = 0;
        for (ClientUpdate u : updates) {
            if (u.parameters().length != length) {
                throw new IllegalArgumentException("updates have different lengths: " + length + " and " + u.parameters().length);
            }
            total += u.samples();
        }
        if (total == 0) {
            throw new IllegalArgumentException("the updates cover no samples");
        }
        double[] sum = new double[length];
        for (ClientUpdate u : updates) {
            double w = (double) u.samples() / total;
            float[] p = u.parameters();
            for (int i = 0; i < length; i++) {
                sum[i] += w * p[i];
            }
        }
        float[] out = new float[length];
        for (int i = 0; i < length; i++) {
            out[i] = (float) sum[i];
        }
        return out;
    }
}
