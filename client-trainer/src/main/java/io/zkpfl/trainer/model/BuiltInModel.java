package io.zkpfl.trainer.model;

import io.zkpfl.protocol.model.ModelSpec;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Model specifications shipped with the trainer, for 28x28 grey-scale images and 10 classes. */
public enum BuiltInModel {
    /** Multinomial logistic regression, 784 → 10 (7,850 parameters). */
    LOGREG("multinomial logistic regression 784->10", """
            {"input": {"shape": [784]},
             "layers": [{"type": "output", "units": 10, "activation": "softmax"}],
             "loss": "cross_entropy"}"""),
    /** One hidden layer, 784 → 32 → 10 (25,450 parameters). */
    MLP("multi-layer perceptron 784->32(relu)->10", """
            {"input": {"shape": [784]},
             "layers": [{"type": "dense", "units": 32, "activation": "relu"},
                        {"type": "output", "units": 10, "activation": "softmax"}],
             "loss": "cross_entropy"}"""),
    /** Two 3x3 convolutions with max pooling and a dense layer (52,138 parameters). */
    CNN("conv3x3(8)-pool-conv3x3(16)-pool-dense(64)-10", """
            {"input": {"shape": [1, 28, 28]},
             "layers": [{"type": "conv2d", "filters": 8, "kernel": [3, 3], "stride": [1, 1], "padding": "same", "activation": "relu"},
                        {"type": "maxpool2d", "pool": [2, 2]},
                        {"type": "conv2d", "filters": 16, "kernel": [3, 3], "stride": [1, 1], "padding": "same", "activation": "relu"},
                        {"type": "maxpool2d", "pool": [2, 2]},
                        {"type": "flatten"},
                        {"type": "dense", "units": 64, "activation": "relu"},
                        {"type": "output", "units": 10, "activation": "softmax"}],
             "loss": "cross_entropy"}""");

    private final String description;
    private final String json;

    BuiltInModel(String description, String json) {
        this.description = description;
        this.json = json;
    }

    /** The command-line name, e.g. {@code mlp}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** One-line description. */
    public String description() {
        return description;
    }

    /** The parsed specification. */
    public ModelSpec spec() {
        return ModelSpec.parse(json);
    }

    /** The model with this command-line name. */
    public static BuiltInModel byName(String name) {
        for (BuiltInModel m : values()) {
            if (m.cliName().equals(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown model '" + name + "'; built-in models are " + names() + " (or use --spec FILE)");
    }

    /** The command-line names, comma-separated. */
    public static String names() {
        return Arrays.stream(values()).map(BuiltInModel::cliName).collect(Collectors.joining(", "));
    }
}
