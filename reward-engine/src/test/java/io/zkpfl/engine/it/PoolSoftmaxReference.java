package io.zkpfl.engine.it;

/**
 * The engine ITs' model (a 4×4 max-pool of the 28×28 image into 49 inputs, then a 49→10 softmax layer, weights
 * row-major {@code [input][class]}, biases last) evaluated here in plain Java, without the engine's or the trainer's
 * code, so that the ITs check the engine's figures against an independent computation.
 */
final class PoolSoftmaxReference {

    private PoolSoftmaxReference() {
    }

    /** The class the model with weights {@code w} predicts for image {@code i} of the 784-byte images {@code px}. */
    static int predict(float[] w, byte[] px, int i) {
        float[] x = new float[49];
        for (int ph = 0; ph < 7; ph++) {
            for (int pw = 0; pw < 7; pw++) {
                float m = 0;
                for (int dy = 0; dy < 4; dy++) {
                    for (int dx = 0; dx < 4; dx++) {
                        m = Math.max(m, (px[i * 784 + (ph * 4 + dy) * 28 + pw * 4 + dx] & 0xff) / 255f);
                    }
                }
                x[ph * 7 + pw] = m;
            }
        }
        int best = 0;
        double bestLogit = Double.NEGATIVE_INFINITY;
        for (int o = 0; o < 10; o++) {
            double logit = w[490 + o];
            for (int j = 0; j < 49; j++) {
                logit += x[j] * w[j * 10 + o];
            }
            if (logit > bestLogit) {
                bestLogit = logit;
                best = o;
            }
        }
        return best;
    }
}
