package io.zkpfl.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Validates resources against the Kubernetes OpenAPI schemas through the npm package kubernetes-models
 * (deploy/src/test/node/validate-k8s.mjs). Custom resources come back as {@link Status#NO_SCHEMA}.
 */
final class CoreSchemas {

    enum Status { VALID, INVALID, NO_SCHEMA }

    record Result(String apiVersion, String kind, String name, Status status, List<String> errors) {
        @Override
        public String toString() {
            return apiVersion + " " + kind + " " + name + ": " + status + (errors.isEmpty() ? "" : " " + errors);
        }
    }

    static List<Result> validate(List<ObjectNode> docs) throws IOException, InterruptedException {
        Path root = Kustomize.root();
        Path script = root.resolve("deploy/src/test/node/validate-k8s.mjs");
        Path in = Files.createTempFile("resources", ".json");
        Path out = Files.createTempFile("schemas", ".json");
        Path err = Files.createTempFile("schemas", ".err");
        try {
            Kustomize.JSON.writeValue(in.toFile(), docs.stream().map(CoreSchemas::asTheApiServerReadsIt).toList());
            Process p = new ProcessBuilder(System.getProperty("zkpfl.node", "node"), script.toString(), in.toString())
                    .directory(root.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("validate-k8s.mjs did not finish in 120 s");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("validate-k8s.mjs failed (exit " + p.exitValue() + "; is kubernetes-models"
                        + " installed? run npm install at the repository root): "
                        + Files.readString(err, StandardCharsets.UTF_8).strip());
            }
            JsonNode results = Kustomize.JSON.readTree(out.toFile());
            List<Result> list = new ArrayList<>();
            for (JsonNode r : results) {
                List<String> errors = new ArrayList<>();
                r.path("errors").forEach(e -> errors.add(e.asText()));
                list.add(new Result(r.path("apiVersion").asText(), r.path("kind").asText(), r.path("name").asText(),
                        Status.valueOf(r.path("status").asText().toUpperCase().replace('-', '_')), errors));
            }
            if (list.size() != docs.size()) {
                throw new IllegalStateException("validate-k8s.mjs answered " + list.size() + " results for " + docs.size());
            }
            return list;
        } finally {
            Files.deleteIfExists(in);
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /**
     * kustomize writes generated Secret data as base64 wrapped at 70 columns. The API server reads {@code []byte}
     * fields with Go's base64 decoder, which skips CR and LF; the schema's "byte" format does not. Drop the line
     * breaks (and nothing else) so the schema sees what the API server decodes.
     */
    static ObjectNode asTheApiServerReadsIt(ObjectNode doc) {
        if (!"v1".equals(doc.path("apiVersion").asText()) || !"Secret".equals(doc.path("kind").asText())
                || !doc.path("data").isObject()) {
            return doc;
        }
        ObjectNode copy = doc.deepCopy();
        ObjectNode data = (ObjectNode) copy.path("data");
        data.properties().forEach(e -> {
            if (e.getValue().isTextual()) {
                e.setValue(data.textNode(e.getValue().asText().replace("\r", "").replace("\n", "")));
            }
        });
        return copy;
    }

    private CoreSchemas() {
    }
}
