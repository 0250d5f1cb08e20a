package io.zkpfl.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Validates custom resources against the {@code openAPIV3Schema} of their operator's own CustomResourceDefinition,
 * kept unchanged under {@code src/test/resources/crds/}: CloudNativePG's Cluster (published nowhere we can fetch
 * offline) and Strimzi's Kafka and KafkaNodePool (whose CRD-only constraints the Java model does not carry). The structural schema is read as JSON Schema the way the API server applies it: an object with
 * declared properties takes no others unless {@code x-kubernetes-preserve-unknown-fields} (the server would prune
 * them; kubectl's strict field validation rejects them), {@code x-kubernetes-int-or-string} takes an integer or a
 * string, {@code nullable} admits null. Formats and CEL rules ({@code x-kubernetes-validations}) are not checked.
 */
final class CrdSchemas {

    /** apiVersion/kind → CRD resource. */
    static final Map<String, String> CRDS = Map.of(
            "postgresql.cnpg.io/v1/Cluster", "crds/cloudnative-pg-1.30.0/postgresql.cnpg.io_clusters.yaml",
            "kafka.strimzi.io/v1/Kafka", "crds/strimzi-1.2.0/040-Crd-kafka.yaml",
            "kafka.strimzi.io/v1/KafkaNodePool", "crds/strimzi-1.2.0/045-Crd-kafkanodepool.yaml");

    private static final Map<String, JsonSchema> SCHEMAS = new HashMap<>();

    static boolean covers(JsonNode doc) {
        return CRDS.containsKey(doc.path("apiVersion").asText() + "/" + doc.path("kind").asText());
    }

    static List<String> problems(ObjectNode doc) throws IOException {
        String key = doc.path("apiVersion").asText() + "/" + doc.path("kind").asText();
        return schema(key).validate(doc).stream().map(ValidationMessage::getMessage).sorted().toList();
    }

    private static synchronized JsonSchema schema(String key) throws IOException {
        JsonSchema schema = SCHEMAS.get(key);
        if (schema != null) {
            return schema;
        }
        String resource = CRDS.get(key);
        if (resource == null) {
            throw new IllegalArgumentException("no CRD for " + key);
        }
        JsonNode crd;
        try (InputStream in = CrdSchemas.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            crd = Kustomize.parse(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)).get(0);
        }
        String version = key.substring(key.indexOf('/') + 1, key.lastIndexOf('/'));
        JsonNode openApi = null;
        for (JsonNode v : crd.at("/spec/versions")) {
            if (v.path("name").asText().equals(version) && v.path("served").asBoolean()) {
                openApi = v.at("/schema/openAPIV3Schema");
            }
        }
        if (openApi == null || openApi.isMissingNode()) {
            throw new IllegalStateException(resource + " serves no version " + version);
        }
        schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(toJsonSchema(openApi));
        SCHEMAS.put(key, schema);
        return schema;
    }

    /** A Kubernetes structural schema as the JSON Schema the API server effectively applies (see the class comment). */
    static JsonNode toJsonSchema(JsonNode s) {
        if (!s.isObject()) {
            return s;
        }
        ObjectNode out = Kustomize.JSON.createObjectNode();
        for (var it = s.fields(); it.hasNext(); ) {
            var e = it.next();
            String k = e.getKey();
            JsonNode v = e.getValue();
            switch (k) {
                case "properties" -> {
                    ObjectNode props = out.putObject("properties");
                    v.fields().forEachRemaining(p -> props.set(p.getKey(), toJsonSchema(p.getValue())));
                }
                case "items", "not" -> out.set(k, toJsonSchema(v));
                case "additionalProperties" -> out.set(k, v.isObject() ? toJsonSchema(v) : v);
                case "allOf", "anyOf", "oneOf" -> {
                    ArrayNode list = out.putArray(k);
                    v.forEach(x -> list.add(toJsonSchema(x)));
                }
                case "description", "format", "nullable", "example", "externalDocs" -> { }
                default -> {
                    if (!k.startsWith("x-kubernetes-")) {
                        out.set(k, v);
                    }
                }
            }
        }
        if (s.path("x-kubernetes-int-or-string").asBoolean(false)) {
            out.remove("type");
            if (!out.has("anyOf")) {
                out.putArray("anyOf").add(Kustomize.JSON.createObjectNode().put("type", "integer"))
                        .add(Kustomize.JSON.createObjectNode().put("type", "string"));
            }
        }
        if (s.path("nullable").asBoolean(false) && out.path("type").isTextual()) {
            out.putArray("type").add(s.path("type").asText()).add("null");
        }
        if ("object".equals(out.path("type").asText()) && out.has("properties") && !out.has("additionalProperties")
                && !s.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
            out.put("additionalProperties", false);
        }
        return out;
    }

    private CrdSchemas() {
    }
}
