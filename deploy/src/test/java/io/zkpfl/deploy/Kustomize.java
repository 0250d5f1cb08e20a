package io.zkpfl.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Renders a Kustomize directory with {@code kubectl kustomize}, as {@code kubectl apply -k} would, and parses it. */
final class Kustomize {

    /** The repository root (the surefire configuration passes it; the module directory's parent otherwise). */
    static Path root() {
        String root = System.getProperty("zkpfl.root");
        return root == null || root.isBlank() ? Path.of("..").toAbsolutePath().normalize() : Path.of(root);
    }

    /** kubectl: {@code -Dzkpfl.kubectl=PATH}, else the one on PATH (Debian: package kubernetes-client). */
    static String kubectl() {
        return System.getProperty("zkpfl.kubectl", "kubectl");
    }

    private static volatile String checkedKustomize;

    /**
     * The kustomize built into kubectl, checked once: the manifests use kustomize v5 fields ({@code labels},
     * {@code patches} with targets), which kubectl before 1.27 (kustomize v4 and older) misreads or rejects.
     */
    static String kustomizeVersion() throws IOException, InterruptedException {
        if (checkedKustomize != null) {
            return checkedKustomize;
        }
        Process p;
        try {
            p = new ProcessBuilder(kubectl(), "version", "--client", "-o", "json").redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("kubectl not found (" + kubectl() + "): the manifest test renders k8s/ with"
                    + " kubectl kustomize; install kubectl 1.27 or newer, or pass -Dzkpfl.kubectl=PATH", e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("kubectl version --client failed: " + out.strip());
        }
        String version = JSON.readTree(out).path("kustomizeVersion").asText();
        var m = java.util.regex.Pattern.compile("v(\\d+)\\.").matcher(version);
        if (!m.lookingAt() || Integer.parseInt(m.group(1)) < 5) {
            throw new IllegalStateException(kubectl() + " has kustomize " + (version.isEmpty() ? "unknown (kubectl < 1.24)" : version)
                    + "; the manifests need kustomize v5 (kubectl 1.27 or newer; -Dzkpfl.kubectl=PATH picks another)");
        }
        checkedKustomize = version;
        return version;
    }

    static List<ObjectNode> render(Path dir) throws IOException, InterruptedException {
        kustomizeVersion();
        if (!Files.isRegularFile(dir.resolve("kustomization.yaml"))) {
            throw new IllegalArgumentException(dir + " has no kustomization.yaml");
        }
        Path out = Files.createTempFile("kustomize", ".yaml");
        Path err = Files.createTempFile("kustomize", ".err");
        try {
            Process p = new ProcessBuilder(kubectl(), "kustomize", dir.toString())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("kubectl kustomize " + dir + " did not finish in 120 s");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("kubectl kustomize " + dir + " failed (exit " + p.exitValue() + "): "
                        + Files.readString(err, StandardCharsets.UTF_8).strip());
            }
            return parse(Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    static List<ObjectNode> parse(String yaml) throws IOException {
        YAMLMapper mapper = new YAMLMapper();
        List<ObjectNode> docs = new ArrayList<>();
        try (var it = mapper.readerFor(JsonNode.class).<JsonNode>readValues(new YAMLFactory().createParser(yaml))) {
            while (it.hasNext()) {
                JsonNode node = it.next();
                if (node instanceof ObjectNode o && !o.isEmpty()) {
                    docs.add(o);
                }
            }
        }
        return docs;
    }

    static final ObjectMapper JSON = new ObjectMapper();

    private Kustomize() {
    }
}
