package io.zkpfl.trainer.model;

import io.zkpfl.protocol.model.Activation;
import io.zkpfl.protocol.model.Layer;
import io.zkpfl.protocol.model.Loss;
import io.zkpfl.protocol.model.ModelSpec;
import io.zkpfl.protocol.model.Optimiser;
import io.zkpfl.protocol.model.Padding;
import io.zkpfl.protocol.model.ParameterBlock;
import io.zkpfl.protocol.model.TrainingPlan;
import io.zkpfl.protocol.model.WeightInitializer;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * A DL4J network built from a {@link ModelSpec}, whose parameters are read and written in the spec's
 * canonical flat order (layer by layer, weights then biases, each block row-major in the spec's shape).
 *
 * <p>DL4J keeps dense weights as {@code [nIn, nOut]} and convolution weights as
 * {@code [out, in, kH, kW]}, but its flat view stores dense weights column-major and puts a
 * convolution's bias before its weights. The mapping therefore goes block by block through each
 * layer's named parameter ({@code "W"}, {@code "b"}) in its logical shape, never through the flat view.
 * Flatten layers become DL4J's CNN-to-dense preprocessor, which reshapes row-major over (c, h, w).
 */
public final class SpecNetwork {

    /** Momentum of {@link Optimiser#MOMENTUM} (Nesterov). */
    public static final double MOMENTUM = 0.9;

    private final ModelSpec spec;
    private final MultiLayerNetwork network;
    private final List<Binding> bindings;

    private record Binding(int dl4jLayer, String key, int[] shape, int offset, int length) {
    }

    private SpecNetwork(ModelSpec spec, MultiLayerNetwork network, List<Binding> bindings) {
        this.spec = spec;
        this.network = network;
        this.bindings = bindings;
    }

    /**
     * Builds the network for {@code spec}, trained with {@code plan}'s optimiser and learning rate, and
     * initialises it with {@link WeightInitializer#initialise(ModelSpec, long)} for {@code seed}.
     */
    public static SpecNetwork build(ModelSpec spec, TrainingPlan plan, long seed) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .updater(updater(plan))
                .weightInit(WeightInit.ZERO)
                .list();
        int[] dl4jIndex = new int[spec.layers().size()];
        int next = 0;
        for (int i = 0; i < spec.layers().size(); i++) {
            Layer layer = spec.layers().get(i);
            org.deeplearning4j.nn.conf.layers.Layer dl4j = switch (layer) {
                case Layer.Dense d -> new DenseLayer.Builder().nOut(d.units()).activation(activation(d.activation())).build();
                case Layer.Output o -> new OutputLayer.Builder(lossFunction(spec.loss(), o.activation()))
                        .nOut(o.units()).activation(activation(o.activation())).build();
                case Layer.Conv2d c -> new ConvolutionLayer.Builder(c.kernelH(), c.kernelW())
                        .stride(c.strideH(), c.strideW())
                        .nOut(c.filters())
                        .convolutionMode(c.padding() == Padding.SAME ? ConvolutionMode.Same : ConvolutionMode.Truncate)
                        .activation(activation(c.activation()))
                        .build();
                case Layer.MaxPool2d m -> new SubsamplingLayer.Builder(PoolingType.MAX)
                        .kernelSize(m.poolH(), m.poolW())
                        .stride(m.strideH(), m.strideW())
                        .convolutionMode(ConvolutionMode.Truncate)
                        .build();
                case Layer.Dropout d -> new DropoutLayer.Builder(1.0 - d.rate()).build();
                case Layer.Flatten f -> null;
            };
            if (dl4j == null) {
                dl4jIndex[i] = -1;
            } else {
                list.layer(next, dl4j);
                dl4jIndex[i] = next++;
            }
        }
        int[] dims = spec.input().shape().dims();
        list.setInputType(dims.length == 3
                ? InputType.convolutional(dims[1], dims[2], dims[0], CNN2DFormat.NCHW)
                : InputType.feedForward(dims[0]));
        MultiLayerNetwork network = new MultiLayerNetwork(list.build());
        network.init();

        List<Binding> bindings = new ArrayList<>();
        for (ParameterBlock block : spec.parameterLayout()) {
            int target = dl4jIndex[block.layerIndex()];
            INDArray param = network.getLayer(target).getParam(block.name());
            long[] actual = param.shape();
            int[] expected = block.shape();
            if (!java.util.Arrays.equals(actual, java.util.Arrays.stream(expected).asLongStream().toArray())) {
                throw new IllegalStateException("DL4J parameter " + block + " has shape " + java.util.Arrays.toString(actual));
            }
            bindings.add(new Binding(target, block.name(), expected, (int) block.offset(), (int) block.length()));
        }
        SpecNetwork built = new SpecNetwork(spec, network, List.copyOf(bindings));
        built.setParameters(WeightInitializer.initialise(spec, seed));
        return built;
    }

    /** The specification this network was built from. */
    public ModelSpec spec() {
        return spec;
    }

    /** The underlying DL4J network. */
    public MultiLayerNetwork network() {
        return network;
    }

    /** A copy of the parameters in canonical flat order. */
    public float[] parameters() {
        float[] out = new float[(int) spec.parameterCount()];
        for (Binding b : bindings) {
            INDArray param = network.getLayer(b.dl4jLayer).getParam(b.key);
            float[] block = Nd4j.toFlattened('c', param).toFloatVector();
            System.arraycopy(block, 0, out, b.offset, b.length);
        }
        return out;
    }

    /**
     * Replaces the parameters with {@code flat}, given in canonical order.
     *
     * @throws IllegalArgumentException when the length is not the spec's parameter count
     */
    public void setParameters(float[] flat) {
        if (flat.length != spec.parameterCount()) {
            throw new IllegalArgumentException("expected " + spec.parameterCount() + " parameters, got " + flat.length);
        }
        for (Binding b : bindings) {
            float[] block = new float[b.length];
            System.arraycopy(flat, b.offset, block, 0, b.length);
            long[] shape = new long[b.shape.length];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = b.shape[i];
            }
            INDArray value = Nd4j.create(block, shape, 'c');
            network.getLayer(b.dl4jLayer).getParam(b.key).assign(value);
        }
    }

    /** Clears optimiser state (momentum, Adam moments) and the iteration counters, as for a fresh start. */
    public void resetOptimiser() {
        if (network.getUpdater() != null && network.getUpdater().getStateViewArray() != null) {
            network.getUpdater().getStateViewArray().assign(0);
        }
        network.setIterationCount(0);
        network.setEpochCount(0);
    }

    /** Class probabilities (or regression outputs) for a batch, in inference mode (no dropout). */
    public INDArray output(INDArray features) {
        return network.output(features, false);
    }

    private static IUpdater updater(TrainingPlan plan) {
        return switch (plan.optimiser()) {
            case SGD -> new Sgd(plan.learningRate());
            case MOMENTUM -> new Nesterovs(plan.learningRate(), MOMENTUM);
            case ADAM -> new Adam(plan.learningRate());
        };
    }

    private static org.nd4j.linalg.activations.IActivation activation(Activation a) {
        return switch (a) {
            case RELU -> org.nd4j.linalg.activations.Activation.RELU.getActivationFunction();
            case LEAKY_RELU -> new ActivationLReLU(0.01);
            case SIGMOID -> org.nd4j.linalg.activations.Activation.SIGMOID.getActivationFunction();
            case TANH -> org.nd4j.linalg.activations.Activation.TANH.getActivationFunction();
            case SOFTMAX -> org.nd4j.linalg.activations.Activation.SOFTMAX.getActivationFunction();
            case IDENTITY -> org.nd4j.linalg.activations.Activation.IDENTITY.getActivationFunction();
        };
    }

    private static LossFunctions.LossFunction lossFunction(Loss loss, Activation outputActivation) {
        return switch (loss) {
            case CROSS_ENTROPY -> outputActivation == Activation.SOFTMAX
                    ? LossFunctions.LossFunction.MCXENT
                    : LossFunctions.LossFunction.XENT;
            case MSE -> LossFunctions.LossFunction.MSE;
        };
    }
}
