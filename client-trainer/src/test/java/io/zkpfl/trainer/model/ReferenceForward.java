package io.zkpfl.trainer.model;

import io.zkpfl.protocol.model.Activation;
import io.zkpfl.protocol.model.Layer;
import io.zkpfl.protocol.model.ModelSpec;
import io.zkpfl.protocol.model.Padding;
import io.zkpfl.protocol.model.ParameterBlock;
import io.zkpfl.protocol.model.Shape;
import java.util.List;

/**
 * An independent forward pass in plain Java (double precision) that reads weights only from the
 * canonical flat vector, following the spec's normative layout. SAME padding puts the smaller half
 * of the padding before (top/left), as TensorFlow does.
 */
final class ReferenceForward {

    private ReferenceForward() {
    }

    static double[] forward(ModelSpec spec, float[] params, float[] input) {
        double[] x = new double[input.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = input[i];
        }
        List<ParameterBlock> layout = spec.parameterLayout();
        Shape shape = spec.input().shape();
        for (int li = 0; li < spec.layers().size(); li++) {
            Layer layer = spec.layers().get(li);
            Shape outShape = layer.outputShape(shape, "layers[" + li + "]");
            int w = -1;
            int b = -1;
            for (ParameterBlock p : layout) {
                if (p.layerIndex() == li) {
                    if (p.name().equals("W")) {
                        w = (int) p.offset();
                    } else {
                        b = (int) p.offset();
                    }
                }
            }
            x = switch (layer) {
                case Layer.Dense d -> activate(dense(x, params, w, b, d.units()), d.activation());
                case Layer.Output o -> activate(dense(x, params, w, b, o.units()), o.activation());
                case Layer.Conv2d c -> activate(conv(x, shape, outShape, c, params, w, b), c.activation());
                case Layer.MaxPool2d m -> maxPool(x, shape, outShape, m);
                case Layer.Flatten f -> x;
                case Layer.Dropout d -> x;
            };
            shape = outShape;
        }
        return x;
    }

    private static double[] dense(double[] x, float[] p, int w, int b, int units) {
        double[] y = new double[units];
        for (int o = 0; o < units; o++) {
            double s = p[b + o];
            for (int i = 0; i < x.length; i++) {
                s += x[i] * p[w + i * units + o];
            }
            y[o] = s;
        }
        return y;
    }

    private static double[] conv(double[] x, Shape in, Shape out, Layer.Conv2d c, float[] p, int w, int b) {
        int cin = in.channels();
        int h = in.height();
        int wd = in.width();
        int oh = out.height();
        int ow = out.width();
        int padTop = c.padding() == Padding.SAME ? Math.max((oh - 1) * c.strideH() + c.kernelH() - h, 0) / 2 : 0;
        int padLeft = c.padding() == Padding.SAME ? Math.max((ow - 1) * c.strideW() + c.kernelW() - wd, 0) / 2 : 0;
        double[] y = new double[c.filters() * oh * ow];
        for (int f = 0; f < c.filters(); f++) {
            for (int r = 0; r < oh; r++) {
                for (int q = 0; q < ow; q++) {
                    double s = p[b + f];
                    for (int ch = 0; ch < cin; ch++) {
                        for (int kh = 0; kh < c.kernelH(); kh++) {
                            int ih = r * c.strideH() + kh - padTop;
                            if (ih < 0 || ih >= h) {
                                continue;
                            }
                            for (int kw = 0; kw < c.kernelW(); kw++) {
                                int iw = q * c.strideW() + kw - padLeft;
                                if (iw < 0 || iw >= wd) {
                                    continue;
                                }
                                s += x[(ch * h + ih) * wd + iw] * p[w + ((f * cin + ch) * c.kernelH() + kh) * c.kernelW() + kw];
                            }
                        }
                    }
                    y[(f * oh + r) * ow + q] = s;
                }
            }
        }
        return y;
    }

    private static double[] maxPool(double[] x, Shape in, Shape out, Layer.MaxPool2d m) {
        double[] y = new double[(int) out.size()];
        for (int ch = 0; ch < in.channels(); ch++) {
            for (int r = 0; r < out.height(); r++) {
                for (int q = 0; q < out.width(); q++) {
                    double best = Double.NEGATIVE_INFINITY;
                    for (int kh = 0; kh < m.poolH(); kh++) {
                        for (int kw = 0; kw < m.poolW(); kw++) {
                            best = Math.max(best, x[(ch * in.height() + r * m.strideH() + kh) * in.width() + q * m.strideW() + kw]);
                        }
                    }
                    y[(ch * out.height() + r) * out.width() + q] = best;
                }
            }
        }
        return y;
    }

    private static double[] activate(double[] x, Activation a) {
        double[] y = x.clone();
        switch (a) {
            case RELU -> {
                for (int i = 0; i < y.length; i++) {
                    y[i] = Math.max(0, y[i]);
                }
            }
            case LEAKY_RELU -> {
                for (int i = 0; i < y.length; i++) {
                    y[i] = y[i] >= 0 ? y[i] : 0.01 * y[i];
                }
            }
            case SIGMOID -> {
                for (int i = 0; i < y.length; i++) {
                    y[i] = 1 / (1 + Math.exp(-y[i]));
                }
            }
            case TANH -> {
                for (int i = 0; i < y.length; i++) {
                    y[i] = Math.tanh(y[i]);
                }
            }
            case SOFTMAX -> {
                double max = Double.NEGATIVE_INFINITY;
                for (double v : y) {
                    max = Math.max(max, v);
                }
                double sum = 0;
                for (int i = 0; i < y.length; i++) {
                    y[i] = Math.exp(y[i] - max);
                    sum += y[i];
                }
                for (int i = 0; i < y.length; i++) {
                    y[i] /= sum;
                }
            }
            case IDENTITY -> { }
        }
        return y;
    }
}
