package io.zkpfl.protocol.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A feed-forward network described independently of any ML library: input shape, layers and loss.
 *
 * <p>JSON form (see {@code docs/model-spec.md}):
 * <pre>{@code
 * {"input": {"shape": [1, 28, 28]},
 *  "layers": [{"type": "conv2d", "filters": 8, "kernel": [3, 3], "stride": [1, 1], "padding": "same", "activation": "relu"},
 *             {"type": "maxpool2d", "pool": [2, 2]},
 *             {"type": "flatten"},
 *             {"type": "dense", "units": 32, "activation": "relu"},
 *             {"type": "dropout", "rate": 0.25},
 *             {"type": "output", "units": 10, "activation": "softmax"}],
 *  "loss": "cross_entropy"}
 * }</pre>
 *
 * <p>Canonical flat parameter order (normative, shared by trainer, aggregator and reward engine):
 * layer by layer, weights then biases. Dense and output weights have shape {@code [in, units]},
 * conv2d weights {@code [filters, inChannels, kernelH, kernelW]}, each stored row-major; a flatten of
 * {@code [C, H, W]} is row-major over (c, h, w).
 */
public record ModelSpec(InputSpec input, List<Layer> layers, Loss loss) {

    /** Largest parameter count a job may declare (2^26 floats, 256 MiB of weights). */
    public static final long MAX_PARAMETERS = 1L << 26;
    /** Most layers a specification may have. */
    public static final int MAX_LAYERS = 64;
    /** Largest single dimension (units, filters, image side, kernel) accepted. */
    public static final int MAX_DIMENSION = 1 << 20;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> LAYER_TYPES = Set.of("dense", "conv2d", "maxpool2d", "flatten", "dropout", "output");

    /** Validates the network: shapes chain, exactly one output layer and it is last, sizes in range. */
    public ModelSpec {
        layers = List.copyOf(layers);
        if (layers.isEmpty()) {
            throw new ModelSpecException("layers", "a model needs at least an output layer");
        }
        if (layers.size() > MAX_LAYERS) {
            throw new ModelSpecException("layers", "at most " + MAX_LAYERS + " layers, got " + layers.size());
        }
        for (int i = 0; i < layers.size(); i++) {
            boolean last = i == layers.size() - 1;
            if (layers.get(i) instanceof Layer.Output != last) {
                throw new ModelSpecException("layers[" + i + "]", last
                        ? "the last layer must be of type output"
                        : "an output layer must be the last layer");
            }
        }
        long count = countParameters(input, layers);
        if (count > MAX_PARAMETERS) {
            throw new ModelSpecException("layers", "the model has " + count + " parameters; at most " + MAX_PARAMETERS + " are supported");
        }
    }

    /** Number of trainable parameters: the length of the canonical flat parameter vector. */
    public long parameterCount() {
        return countParameters(input, layers);
    }

    /** The output shape of every layer, in order. */
    public List<Shape> outputShapes() {
        List<Shape> shapes = new ArrayList<>(layers.size());
        Shape current = input.shape();
        for (int i = 0; i < layers.size(); i++) {
            current = layers.get(i).outputShape(current, "layers[" + i + "]");
            shapes.add(current);
        }
        return Collections.unmodifiableList(shapes);
    }

    /** The parameter blocks in canonical flat order. */
    public List<ParameterBlock> parameterLayout() {
        List<ParameterBlock> blocks = new ArrayList<>();
        Shape current = input.shape();
        long offset = 0;
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            List<int[]> shapes = layer.parameterShapes(current);
            for (int b = 0; b < shapes.size(); b++) {
                long length = 1;
                for (int d : shapes.get(b)) {
                    length *= d;
                }
                blocks.add(new ParameterBlock(i, b == 0 ? "W" : "b", shapes.get(b), offset, length));
                offset += length;
            }
            current = layer.outputShape(current, "layers[" + i + "]");
        }
        return Collections.unmodifiableList(blocks);
    }

    /** Number of inputs of one sample. */
    public int inputSize() {
        return (int) input.shape().size();
    }

    /** Number of outputs (classes for a classifier). */
    public int outputSize() {
        return ((Layer.Output) layers.get(layers.size() - 1)).units();
    }

    private static long countParameters(InputSpec input, List<Layer> layers) {
        long count = 0;
        Shape current = input.shape();
        for (int i = 0; i < layers.size(); i++) {
            Shape next = layers.get(i).outputShape(current, "layers[" + i + "]");
            for (int[] shape : layers.get(i).parameterShapes(current)) {
                long length = 1;
                for (int d : shape) {
                    length *= d;
                }
                count += length;
            }
            current = next;
        }
        return count;
    }

    // ---------------------------------------------------------------- JSON

    /**
     * Parses and validates a specification.
     *
     * @throws ModelSpecException naming the offending field when the JSON is malformed or the network invalid
     */
    public static ModelSpec parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new ModelSpecException("$", "malformed JSON: " + e.getOriginalMessage());
        }
        return fromJson(root);
    }

    /** Validates a specification given as a parsed JSON tree. */
    public static ModelSpec fromJson(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new ModelSpecException("$", "a model specification must be a JSON object");
        }
        JsonNode inputNode = root.get("input");
        if (inputNode == null || !inputNode.isObject()) {
            throw new ModelSpecException("input", "required object with a shape, e.g. {\"shape\": [784]}");
        }
        int[] dims = intArray(inputNode.get("shape"), "input.shape", 1, 3);
        if (dims.length == 2) {
            throw new ModelSpecException("input.shape", "use [features] or [channels, height, width]");
        }
        Shape shape = new Shape(dims);

        JsonNode layersNode = root.get("layers");
        if (layersNode == null || !layersNode.isArray()) {
            throw new ModelSpecException("layers", "required array of layers");
        }
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i < layersNode.size(); i++) {
            layers.add(parseLayer(layersNode.get(i), "layers[" + i + "]"));
        }
        Loss loss = enumValue(root.get("loss"), "loss", Loss.class, Loss.CROSS_ENTROPY);
        ModelSpec spec = new ModelSpec(new InputSpec(shape), layers, loss);
        spec.outputShapes();
        return spec;
    }

    private static Layer parseLayer(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            throw new ModelSpecException(path, "a layer must be a JSON object");
        }
        JsonNode typeNode = node.get("type");
        if (typeNode == null || !typeNode.isTextual()) {
            throw new ModelSpecException(path + ".type", "required, one of " + new java.util.TreeSet<>(LAYER_TYPES));
        }
        String type = typeNode.asText();
        return switch (type) {
            case "dense" -> new Layer.Dense(positive(node.get("units"), path + ".units"),
                    enumValue(node.get("activation"), path + ".activation", Activation.class, Activation.RELU));
            case "output" -> new Layer.Output(positive(node.get("units"), path + ".units"),
                    enumValue(node.get("activation"), path + ".activation", Activation.class, Activation.SOFTMAX));
            case "conv2d" -> {
                int[] kernel = pair(node.get("kernel"), path + ".kernel", null);
                int[] stride = pair(node.get("stride"), path + ".stride", new int[] {1, 1});
                yield new Layer.Conv2d(positive(node.get("filters"), path + ".filters"), kernel[0], kernel[1], stride[0], stride[1],
                        enumValue(node.get("padding"), path + ".padding", Padding.class, Padding.VALID),
                        enumValue(node.get("activation"), path + ".activation", Activation.class, Activation.RELU));
            }
            case "maxpool2d" -> {
                int[] pool = pair(node.get("pool"), path + ".pool", null);
                int[] stride = pair(node.get("stride"), path + ".stride", pool);
                yield new Layer.MaxPool2d(pool[0], pool[1], stride[0], stride[1]);
            }
            case "flatten" -> new Layer.Flatten();
            case "dropout" -> {
                JsonNode rate = node.get("rate");
                if (rate == null || !rate.isNumber() || !(rate.asDouble() >= 0.0 && rate.asDouble() < 1.0)) {
                    throw new ModelSpecException(path + ".rate", "required number in [0, 1)");
                }
                yield new Layer.Dropout(rate.asDouble());
            }
            default -> throw new ModelSpecException(path + ".type",
                    "unknown layer type '" + type + "'; expected one of " + new java.util.TreeSet<>(LAYER_TYPES));
        };
    }

    private static int positive(JsonNode node, String path) {
        if (node == null || !node.isIntegralNumber() || node.asLong() < 1 || node.asLong() > MAX_DIMENSION) {
            throw new ModelSpecException(path, "required integer in [1, " + MAX_DIMENSION + "]");
        }
        return node.asInt();
    }

    private static int[] pair(JsonNode node, String path, int[] fallback) {
        if (node == null && fallback != null) {
            return fallback.clone();
        }
        if (node != null && node.isIntegralNumber()) {
            int v = positive(node, path);
            return new int[] {v, v};
        }
        int[] values = intArray(node, path, 2, 2);
        return values;
    }

    private static int[] intArray(JsonNode node, String path, int minLength, int maxLength) {
        if (node == null || !node.isArray() || node.size() < minLength || node.size() > maxLength) {
            throw new ModelSpecException(path, minLength == maxLength
                    ? "required array of " + minLength + " positive integers"
                    : "required array of " + minLength + " to " + maxLength + " positive integers");
        }
        int[] values = new int[node.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = positive(node.get(i), path + "[" + i + "]");
        }
        return values;
    }

    private static <E extends Enum<E>> E enumValue(JsonNode node, String path, Class<E> type, E fallback) {
        if (node == null || node.isNull()) {
            return fallback;
        }
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            String name = e.name().toLowerCase(Locale.ROOT);
            names.add(name);
            if (node.isTextual() && node.asText().equals(name)) {
                return e;
            }
        }
        throw new ModelSpecException(path, "expected one of " + names + ", got " + node);
    }

    /** The canonical JSON form: fixed key order, every default written out. Equal specs give equal strings. */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode shape = root.putObject("input").putArray("shape");
        for (int d : input.shape().dims()) {
            shape.add(d);
        }
        ArrayNode array = root.putArray("layers");
        for (Layer layer : layers) {
            ObjectNode node = array.addObject();
            node.put("type", layer.type());
            switch (layer) {
                case Layer.Dense d -> node.put("units", d.units()).put("activation", lower(d.activation()));
                case Layer.Output o -> node.put("units", o.units()).put("activation", lower(o.activation()));
                case Layer.Conv2d c -> {
                    node.put("filters", c.filters());
                    node.putArray("kernel").add(c.kernelH()).add(c.kernelW());
                    node.putArray("stride").add(c.strideH()).add(c.strideW());
                    node.put("padding", lower(c.padding()));
                    node.put("activation", lower(c.activation()));
                }
                case Layer.MaxPool2d m -> {
                    node.putArray("pool").add(m.poolH()).add(m.poolW());
                    node.putArray("stride").add(m.strideH()).add(m.strideW());
                }
                case Layer.Dropout d -> node.put("rate", d.rate());
                case Layer.Flatten f -> { }
            }
        }
        root.put("loss", lower(loss));
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
