package io.zkpfl.trainer.bench;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.zkpfl.protocol.model.Layer;
import io.zkpfl.protocol.model.ModelSpec;
import io.zkpfl.protocol.model.Padding;
import io.zkpfl.protocol.model.ParameterBlock;
import io.zkpfl.trainer.data.LabelledImages;
import java.util.List;

/**
 * A model spec realised with DJL's PyTorch engine, for the engine benchmark: the built-in layer
 * kinds (dense, output with softmax, conv2d with odd kernels and stride 1, max pooling, flatten),
 * parameters taken from the canonical flat vector, plain SGD with mean softmax cross-entropy.
 */
public final class DjlNetwork implements AutoCloseable {

    private final ModelSpec spec;
    private final Model model;
    private final Trainer trainer;

    /** The network for {@code spec} holding the canonical parameters {@code canonical}, trained with SGD at {@code learningRate}. */
    public DjlNetwork(ModelSpec spec, float[] canonical, float learningRate) {
        this.spec = spec;
        SequentialBlock block = new SequentialBlock();
        for (Layer layer : spec.layers()) {
            switch (layer) {
                case Layer.Dense d -> {
                    block.add(Linear.builder().setUnits(d.units()).build());
                    block.add(activation(d.activation()));
                }
                case Layer.Output o -> block.add(Linear.builder().setUnits(o.units()).build());
                case Layer.Conv2d c -> {
                    if (c.strideH() != 1 || c.strideW() != 1 || c.kernelH() % 2 == 0 || c.kernelW() % 2 == 0) {
                        throw new IllegalArgumentException("bench mapping covers stride-1 odd-kernel convolutions only");
                    }
                    Shape pad = c.padding() == Padding.SAME ? new Shape(c.kernelH() / 2, c.kernelW() / 2) : new Shape(0, 0);
                    block.add(Conv2d.builder().setKernelShape(new Shape(c.kernelH(), c.kernelW()))
                            .setFilters(c.filters()).optPadding(pad).build());
                    block.add(activation(c.activation()));
                }
                case Layer.MaxPool2d m -> block.add(Pool.maxPool2dBlock(new Shape(m.poolH(), m.poolW()),
                        new Shape(m.strideH(), m.strideW())));
                case Layer.Flatten f -> block.add(Blocks.batchFlattenBlock());
                case Layer.Dropout d -> throw new IllegalArgumentException("bench mapping has no dropout");
            }
        }
        model = Model.newInstance("bench", Device.cpu(), "PyTorch");
        model.setBlock(block);
        DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(learningRate)).build())
                .optDevices(new Device[] {Device.cpu()});
        trainer = model.newTrainer(config);
        int[] dims = spec.input().shape().dims();
        long[] input = new long[dims.length + 1];
        input[0] = 1;
        for (int i = 0; i < dims.length; i++) {
            input[i + 1] = dims[i];
        }
        trainer.initialize(new Shape(input));
        setParameters(block, canonical);
    }

    private void setParameters(SequentialBlock block, float[] canonical) {
        List<Parameter> params = block.getParameters().values();
        List<ParameterBlock> layout = spec.parameterLayout();
        if (params.size() != layout.size()) {
            throw new IllegalStateException("DJL has " + params.size() + " parameter arrays, the spec " + layout.size());
        }
        for (int i = 0; i < layout.size(); i++) {
            ParameterBlock b = layout.get(i);
            float[] values = new float[(int) b.length()];
            System.arraycopy(canonical, (int) b.offset(), values, 0, values.length);
            int[] shape = b.shape();
            if (shape.length == 2) {
                values = transpose(values, shape[0], shape[1]);
            }
            NDArray array = params.get(i).getArray();
            if (array.size() != values.length) {
                throw new IllegalStateException(b + " does not fit DJL's " + array.getShape());
            }
            array.set(values);
        }
    }

    private static float[] transpose(float[] rowMajor, int rows, int cols) {
        float[] out = new float[rowMajor.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out[c * rows + r] = rowMajor[r * cols + c];
            }
        }
        return out;
    }

    private static ai.djl.nn.Block activation(io.zkpfl.protocol.model.Activation a) {
        return switch (a) {
            case RELU -> Activation.reluBlock();
            case IDENTITY -> Blocks.identityBlock();
            default -> throw new IllegalArgumentException("bench mapping has no " + a);
        };
    }

    /** One SGD step on samples {@code order[from..to)}; features are built in Java and copied in, as a trainer would. */
    void step(LabelledImages data, int[] order, int from, int to) {
        int n = to - from;
        int size = data.imageSize();
        float[] x = new float[n * size];
        float[] y = new float[n];
        byte[] pixels = data.pixels();
        for (int k = 0; k < n; k++) {
            int sample = order[from + k];
            for (int p = 0; p < size; p++) {
                x[k * size + p] = (pixels[sample * size + p] & 0xff) / 255f;
            }
            y[k] = data.label(sample);
        }
        int[] dims = spec.input().shape().dims();
        long[] shape = dims.length == 3 ? new long[] {n, dims[0], dims[1], dims[2]} : new long[] {n, size};
        try (NDManager batch = trainer.getManager().newSubManager()) {
            NDArray features = batch.create(x, new Shape(shape));
            NDArray labels = batch.create(y, new Shape(n));
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDList predictions = trainer.forward(new NDList(features));
                NDArray loss = trainer.getLoss().evaluate(new NDList(labels), predictions);
                collector.backward(loss);
            }
            trainer.step();
        }
    }

    /** Class probabilities (softmax of the output layer) for {@code n} inputs laid out row-major in the spec's input shape. */
    public float[] output(float[] features, int n) {
        int[] dims = spec.input().shape().dims();
        long[] shape = new long[dims.length + 1];
        shape[0] = n;
        for (int i = 0; i < dims.length; i++) {
            shape[i + 1] = dims[i];
        }
        try (NDManager batch = trainer.getManager().newSubManager()) {
            NDArray x = batch.create(features, new Shape(shape));
            NDArray logits = trainer.evaluate(new NDList(x)).singletonOrThrow();
            return logits.softmax(1).toFloatArray();
        }
    }

    @Override
    public void close() {
        trainer.close();
        model.close();
    }
}
