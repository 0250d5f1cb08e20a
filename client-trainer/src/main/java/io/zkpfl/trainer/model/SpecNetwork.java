package io.zkpfl.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import io.zkpfl.protocol.model.Activation;
import io.zkpfl.protocol.model.Layer;
import io.zkpfl.protocol.model.Loss;
import io.zkpfl.protocol.model.ModelSpec;
import io.zkpfl.protocol.model.Optimiser;
import io.zkpfl.protocol.model.Padding;
import io.zkpfl.protocol.model.ParameterBlock;
import io.zkpfl.protocol.model.TrainingPlan;
import io.zkpfl.protocol.model.WeightInitializer;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A network built from a {@link ModelSpec} on libtorch (DJL's PyTorch engine, docs/adr/0045 and
 * 0047), whose parameters are read and written in the spec's canonical flat order (layer by layer,
 * weights then biases, each block row-major in the spec's shape).
 *
 * <p>Convolution weights are kept as the spec orders them ({@code [filters, in, kH, kW]}); dense
 * weights are kept as libtorch's {@code linear} wants them, {@code [units, in]}, the transpose of
 * the spec's {@code [in, units]}, so {@link #parameters()} and {@link #setParameters(float[])}
 * transpose those blocks. SAME padding that cannot be split evenly puts the smaller half before
 * (top, left), as an explicit zero pad in front of the convolution.
 *
 * <p>A training step ({@link #step}) is the forward pass with autograd on, the batch's summed
 * loss, one backward pass and the plan's update applied to each parameter in place: no DJL
 * {@code Trainer}, {@code ParameterStore} or {@code Loss} objects, whose bookkeeping cost more
 * than the arithmetic on the built-in models (docs/adr/0047). The backward pass starts from
 * {@code lr / n} (SGD, Nesterov) or {@code 1 / n} (Adam) instead of 1, so the gradients arrive
 * already averaged over the batch and, for SGD, already scaled by the learning rate; the losses
 * add up on the device and are read once per {@link #takeLossSum}. Inputs and labels are copied
 * into direct buffers that the network reuses. Not thread-safe: one thread uses a network at a time.
 */
public final class SpecNetwork {

    /** Momentum of {@link Optimiser#MOMENTUM} (Nesterov). */
    public static final double MOMENTUM = 0.9;
    /** Adam's first-moment decay. */
    public static final double ADAM_BETA1 = 0.9;
    /** Adam's second-moment decay. */
    public static final double ADAM_BETA2 = 0.999;
    /** Adam's denominator offset. */
    public static final double ADAM_EPSILON = 1e-8;
    /** Slope of {@link Activation#LEAKY_RELU} below zero. */
    public static final float LEAKY_SLOPE = 0.01f;
    /** Probabilities are clamped to this before the logarithm of a cross-entropy on a non-softmax output. */
    private static final float MIN_PROBABILITY = 1e-10f;

    private static final Cleaner CLEANER = Cleaner.create();

    private final ModelSpec spec;
    private final TrainingPlan plan;
    private final NDManager manager;
    private final List<Step> steps;
    private final List<Binding> bindings;
    private final PtNDArray[] weights;
    /** Optimiser state per parameter: velocity (Nesterov) or first moment (Adam); null for SGD. */
    private final PtNDArray[] first;
    /** Adam's second moment per parameter; null otherwise. */
    private final PtNDArray[] second;
    private final long[] inputDims;
    private final int outputs;
    private final Activation outputActivation;
    /** Per-sample losses summed over a batch = {@code lossScale ×} the term {@link #lossTerm} returns. */
    private final float lossScale;
    /** Factor the gradients carry: the learning rate for SGD and Nesterov, 1 for Adam. */
    private final float gradientScale;
    /** Backward seeds by batch size: {@code lossScale × gradientScale / n}. */
    private final Map<Integer, PtNDArray> seeds = new HashMap<>();
    /** Sum of the loss terms since the last {@link #takeLossSum}, on the device. */
    private final PtNDArray lossSum;
    private ByteBuffer inputBuffer = ByteBuffer.allocateDirect(0);
    private ByteBuffer labelBuffer = ByteBuffer.allocateDirect(0);
    private long updates;

    /** One parameter block: where it sits in the canonical vector and whether it is stored transposed. */
    private record Binding(int offset, int length, int rows, int cols, boolean transposed) {
    }

    /** One layer's forward computation. */
    private interface Step {
        NDArray apply(NDArray x, boolean training);
    }

    private SpecNetwork(ModelSpec spec, TrainingPlan plan) {
        this.spec = spec;
        this.plan = plan;
        this.manager = TorchRuntime.newManager();
        CLEANER.register(this, manager::close);
        List<ParameterBlock> layout = spec.parameterLayout();
        this.weights = new PtNDArray[layout.size()];
        this.bindings = new ArrayList<>();
        for (int i = 0; i < layout.size(); i++) {
            ParameterBlock block = layout.get(i);
            int[] shape = block.shape();
            boolean dense = shape.length == 2;
            long[] stored = dense ? new long[] {shape[1], shape[0]} : toLong(shape);
            PtNDArray w = (PtNDArray) manager.zeros(new Shape(stored), DataType.FLOAT32);
            w.setRequiresGradient(true);
            weights[i] = w;
            bindings.add(new Binding((int) block.offset(), (int) block.length(), dense ? shape[0] : 1, dense ? shape[1] : 1, dense));
        }
        this.first = plan.optimiser() == Optimiser.SGD ? null : zerosLike(weights);
        this.second = plan.optimiser() == Optimiser.ADAM ? zerosLike(weights) : null;
        int[] dims = spec.input().shape().dims();
        this.inputDims = toLong(dims);
        this.outputs = spec.outputSize();
        Layer last = spec.layers().get(spec.layers().size() - 1);
        this.outputActivation = ((Layer.Output) last).activation();
        this.lossScale = spec.loss() == Loss.CROSS_ENTROPY && outputActivation == Activation.SOFTMAX ? -1f
                : spec.loss() == Loss.MSE ? 1f / outputs : 1f;
        this.gradientScale = plan.optimiser() == Optimiser.ADAM ? 1f : (float) plan.learningRate();
        this.lossSum = (PtNDArray) manager.zeros(new Shape(), DataType.FLOAT32);
        this.steps = steps(spec);
    }

    /**
     * Builds the network for {@code spec}, trained with {@code plan}'s optimiser and learning rate, and
     * initialises it with {@link WeightInitializer#initialise(ModelSpec, long)} for {@code seed}.
     */
    public static SpecNetwork build(ModelSpec spec, TrainingPlan plan, long seed) {
        SpecNetwork built = new SpecNetwork(spec, plan);
        built.setParameters(WeightInitializer.initialise(spec, seed));
        return built;
    }

    private List<Step> steps(ModelSpec spec) {
        List<Step> out = new ArrayList<>();
        List<io.zkpfl.protocol.model.Shape> shapes = spec.outputShapes();
        io.zkpfl.protocol.model.Shape in = spec.input().shape();
        int param = 0;
        for (int i = 0; i < spec.layers().size(); i++) {
            Layer layer = spec.layers().get(i);
            switch (layer) {
                case Layer.Dense d -> {
                    NDArray w = weights[param++];
                    NDArray b = weights[param++];
                    Activation a = d.activation();
                    out.add((x, training) -> activate(Linear.linear(x, w, b).singletonOrThrow(), a));
                }
                case Layer.Output o -> {
                    NDArray w = weights[param++];
                    NDArray b = weights[param++];
                    out.add((x, training) -> Linear.linear(x, w, b).singletonOrThrow());
                }
                case Layer.Conv2d c -> {
                    NDArray w = weights[param++];
                    NDArray b = weights[param++];
                    io.zkpfl.protocol.model.Shape o = shapes.get(i);
                    int padH = c.padding() == Padding.SAME ? Math.max((o.height() - 1) * c.strideH() + c.kernelH() - in.height(), 0) : 0;
                    int padW = c.padding() == Padding.SAME ? Math.max((o.width() - 1) * c.strideW() + c.kernelW() - in.width(), 0) : 0;
                    int top = padH / 2;
                    int left = padW / 2;
                    boolean even = top == padH - top && left == padW - left;
                    Shape stride = new Shape(c.strideH(), c.strideW());
                    Shape symmetric = even ? new Shape(top, left) : new Shape(0, 0);
                    // constant_pad_nd order: last axis first (left, right, top, bottom)
                    Shape explicit = new Shape(left, padW - left, top, padH - top);
                    Shape dilation = new Shape(1, 1);
                    Activation a = c.activation();
                    out.add((x, training) -> {
                        NDArray padded = even ? x : x.pad(explicit, 0);
                        return activate(Conv2d.conv2d(padded, w, b, stride, symmetric, dilation, 1).singletonOrThrow(), a);
                    });
                }
                case Layer.MaxPool2d m -> {
                    Shape kernel = new Shape(m.poolH(), m.poolW());
                    Shape stride = new Shape(m.strideH(), m.strideW());
                    Shape none = new Shape(0, 0);
                    out.add((x, training) -> Pool.maxPool2d(x, kernel, stride, none, false));
                }
                case Layer.Flatten f -> out.add((x, training) -> x.reshape(x.getShape().get(0), -1));
                case Layer.Dropout d -> {
                    float rate = (float) d.rate();
                    out.add((x, training) -> training ? Dropout.dropout(x, rate, true).singletonOrThrow() : x);
                }
            }
            in = shapes.get(i);
        }
        return List.copyOf(out);
    }

    private static NDArray activate(NDArray x, Activation a) {
        return switch (a) {
            case RELU -> ai.djl.nn.Activation.relu(x);
            case LEAKY_RELU -> ai.djl.nn.Activation.leakyRelu(x, LEAKY_SLOPE);
            case SIGMOID -> ai.djl.nn.Activation.sigmoid(x);
            case TANH -> ai.djl.nn.Activation.tanh(x);
            case SOFTMAX -> x.softmax(1);
            case IDENTITY -> x;
        };
    }

    /** The specification this network was built from. */
    public ModelSpec spec() {
        return spec;
    }

    /** A copy of the parameters in canonical flat order. */
    public float[] parameters() {
        float[] out = new float[(int) spec.parameterCount()];
        for (int i = 0; i < weights.length; i++) {
            Binding b = bindings.get(i);
            float[] block = weights[i].toFloatArray();
            if (b.transposed) {
                // stored [cols][rows], canonical [rows][cols]
                for (int r = 0; r < b.rows; r++) {
                    for (int c = 0; c < b.cols; c++) {
                        out[b.offset + r * b.cols + c] = block[c * b.rows + r];
                    }
                }
            } else {
                System.arraycopy(block, 0, out, b.offset, b.length);
            }
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
        for (int i = 0; i < weights.length; i++) {
            Binding b = bindings.get(i);
            float[] block = new float[b.length];
            if (b.transposed) {
                for (int r = 0; r < b.rows; r++) {
                    for (int c = 0; c < b.cols; c++) {
                        block[c * b.rows + r] = flat[b.offset + r * b.cols + c];
                    }
                }
            } else {
                System.arraycopy(flat, b.offset, block, 0, b.length);
            }
            weights[i].set(block);
        }
    }

    /** Clears optimiser state (momentum, Adam moments) and the update counter, as for a fresh start. */
    public void resetOptimiser() {
        for (PtNDArray[] state : new PtNDArray[][] {first, second}) {
            if (state != null) {
                for (PtNDArray s : state) {
                    s.set(new float[(int) s.size()]);
                }
            }
        }
        updates = 0;
    }

    /**
     * Class probabilities (or regression outputs) for {@code n} inputs given row-major in the spec's
     * input shape, in inference mode (no dropout): {@code n × outputSize} values, row-major.
     *
     * @throws IllegalArgumentException when {@code features} does not hold {@code n} inputs
     */
    public float[] output(float[] features, int n) {
        requireInputs(features, n);
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDManager batch = manager.newSubManager()) {
            NDArray x = forward(batch.create(features, inputShape(n)), false);
            return activate(x, outputActivation).toFloatArray();
        } finally {
            JniUtils.setGradMode(grad);
        }
    }

    /**
     * One optimiser step on a mini-batch: {@code n = classes.length} inputs, row-major in the spec's
     * input shape, with their class labels.
     *
     * Starts {@link #takeLossSum}'s sum afresh.
     *
     * @return the mean training loss over the batch before the update (see {@link #lossTerm}; for a
     *     softmax output and for MSE the loss {@code Evaluator} reports)
     */
    public double fit(float[] features, int[] classes) {
        takeLossSum();
        step(features, classes);
        return takeLossSum() / classes.length;
    }

    /**
     * One optimiser step on a mini-batch, as {@link #fit}, whose loss (summed over the batch, before
     * the update) is added to the sum {@link #takeLossSum} returns, without leaving the device.
     */
    public void step(float[] features, int[] classes) {
        int n = classes.length;
        requireInputs(features, n);
        boolean grad = JniUtils.isGradMode();
        try (NDManager batch = manager.newSubManager()) {
            NDArray x = batch.create(fill(features), inputShape(n), DataType.FLOAT32);
            JniUtils.setGradMode(true);
            NDArray term;
            try {
                term = lossTerm(forward(x, true), classes, batch);
                JniUtils.backward((PtNDArray) term, seed(n), false, false);
            } finally {
                JniUtils.setGradMode(false);
            }
            lossSum.addi(term);
            update();
        } finally {
            JniUtils.setGradMode(grad);
        }
    }

    /** The per-sample losses summed over every {@link #step} since the last call, and a fresh start of the sum. */
    public double takeLossSum() {
        double sum = (double) lossSum.getFloat() * lossScale + 0.0; // no -0.0 for an empty sum
        lossSum.set(new float[] {0f});
        return sum;
    }

    private PtNDArray seed(int n) {
        return seeds.computeIfAbsent(n, k -> (PtNDArray) manager.full(new Shape(), lossScale * gradientScale / k, DataType.FLOAT32));
    }

    /** {@code features} in a reused direct buffer, which the input array of one step aliases. */
    private ByteBuffer fill(float[] features) {
        int bytes = features.length * Float.BYTES;
        if (inputBuffer.capacity() < bytes) {
            inputBuffer = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
        }
        inputBuffer.clear();
        inputBuffer.asFloatBuffer().put(features);
        inputBuffer.limit(bytes);
        return inputBuffer;
    }

    private ByteBuffer labels(int[] classes) {
        int bytes = classes.length * Long.BYTES;
        if (labelBuffer.capacity() < bytes) {
            labelBuffer = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
        }
        labelBuffer.clear();
        for (int c : classes) {
            labelBuffer.putLong(c);
        }
        labelBuffer.flip();
        return labelBuffer;
    }

    private NDArray forward(NDArray x, boolean training) {
        for (Step s : steps) {
            x = s.apply(x, training);
        }
        return x;
    }

    /**
     * The batch's summed per-sample loss divided by {@link #lossScale}, from {@code logits}, the
     * output layer before its activation. Losses as DL4J defined them for the same specs: softmax
     * cross-entropy; binary cross-entropy summed over the outputs for a sigmoid output; the
     * negative log of the clamped output of any other activation; squared error averaged over the
     * outputs for MSE.
     */
    private NDArray lossTerm(NDArray logits, int[] classes, NDManager batch) {
        int n = classes.length;
        if (spec.loss() == Loss.CROSS_ENTROPY && outputActivation == Activation.SOFTMAX) {
            NDArray labels = batch.create(labels(classes), new Shape(n, 1), DataType.INT64);
            return logits.logSoftmax(1).gather(labels, 1).sum(); // −(summed loss)
        }
        float[] oneHot = new float[n * outputs];
        for (int k = 0; k < n; k++) {
            oneHot[k * outputs + classes[k]] = 1f;
        }
        NDArray y = batch.create(oneHot, new Shape(n, outputs));
        if (spec.loss() == Loss.MSE) {
            NDArray diff = activate(logits, outputActivation).sub(y);
            return diff.mul(diff).sum(); // outputs × (summed loss)
        }
        if (outputActivation == Activation.SIGMOID) {
            // binary cross-entropy per output from the logits: relu(z) - z*y + log(1 + exp(-|z|))
            NDArray z = logits;
            return ai.djl.nn.Activation.relu(z).sub(z.mul(y)).add(z.abs().neg().exp().add(1).log()).sum();
        }
        NDArray p = activate(logits, outputActivation).clip(MIN_PROBABILITY, 1f);
        return p.log().mul(y).sum().neg();
    }

    /**
     * Applies the plan's optimiser to every parameter with its gradient (the batch mean, times the
     * learning rate for SGD and Nesterov), then clears the gradients.
     */
    private void update() {
        updates++;
        float lr = (float) plan.learningRate();
        for (int i = 0; i < weights.length; i++) {
            PtNDArray w = weights[i];
            PtNDArray g = w.getGradient();
            try {
                switch (plan.optimiser()) {
                    case SGD -> w.subi(g);
                    case MOMENTUM -> {
                        // DL4J's Nesterov form (Sutskever et al.): v <- mu v - lr g; w <- w + mu v - lr g
                        PtNDArray v = first[i];
                        try (NDArray ahead = v.muli((float) MOMENTUM).subi(g).mul((float) MOMENTUM)) {
                            w.addi(ahead).subi(g);
                        }
                    }
                    case ADAM -> {
                        double correction = Math.sqrt(1 - Math.pow(ADAM_BETA2, updates)) / (1 - Math.pow(ADAM_BETA1, updates));
                        JniUtils.adamUpdate(w, g, first[i], second[i], lr, (float) (lr * correction), 0f, 1f, -1f,
                                (float) ADAM_BETA1, (float) ADAM_BETA2, (float) ADAM_EPSILON, false);
                    }
                }
                JniUtils.zeroGrad(w);
            } finally {
                g.close();
            }
        }
    }

    private void requireInputs(float[] features, int n) {
        if (n < 1 || features.length != (long) n * spec.inputSize()) {
            throw new IllegalArgumentException("expected " + n + " inputs of " + spec.inputSize() + " values, got " + features.length + " values");
        }
    }

    private Shape inputShape(int n) {
        long[] shape = new long[inputDims.length + 1];
        shape[0] = n;
        System.arraycopy(inputDims, 0, shape, 1, inputDims.length);
        return new Shape(shape);
    }

    private PtNDArray[] zerosLike(PtNDArray[] arrays) {
        PtNDArray[] out = new PtNDArray[arrays.length];
        for (int i = 0; i < arrays.length; i++) {
            out[i] = (PtNDArray) manager.zeros(arrays[i].getShape(), DataType.FLOAT32);
        }
        return out;
    }

    private static long[] toLong(int[] v) {
        long[] out = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }
}
