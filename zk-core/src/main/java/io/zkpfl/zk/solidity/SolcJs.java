package io.zkpfl.zk.solidity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Compiles generated Solidity (the KZG and DLEQ verifiers exported here for an SRS) with the repository's pinned
 * solc-js from its npm {@code node_modules} ({@link #nodeModules()}): the same compiler and settings as the build's
 * contracts (optimiser on, 200 runs). Used where a platform is set up at run time: the dev chain, tests and
 * benchmarks.
 */
public final class SolcJs {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCRIPT = "compile-solidity.js";
    /** System property naming the {@code node_modules} folder (or the folder that contains it). */
    public static final String NODE_MODULES_PROPERTY = "zkpfl.node-modules";
    /** Environment variable naming the {@code node_modules} folder (or the folder that contains it). */
    public static final String NODE_MODULES_ENV = "ZKPFL_NODE_MODULES";

    private SolcJs() {
    }

    /** The compiled contract: its ABI (JSON) and creation bytecode (hex with 0x). */
    public record Compiled(JsonNode abi, String bytecode) {
    }

    /**
     * Compiles {@code source} and returns contract {@code name}.
     *
     * @throws IllegalStateException with solc's errors, or saying why node could not run
     */
    public static Compiled compile(String source, String name) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("zkpfl-solc");
            Path sol = dir.resolve(name + ".sol");
            Files.writeString(sol, source);
            Path script = dir.resolve(SCRIPT);
            try (InputStream in = SolcJs.class.getResourceAsStream(SCRIPT)) {
                Files.write(script, in.readAllBytes());
            }
            Path out = dir.resolve("out.json");
            Path err = dir.resolve("err.txt");
            ProcessBuilder pb = new ProcessBuilder(List.of("node", script.toString(), sol.toString(), name))
                    .directory(dir.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().put("NODE_PATH", nodeModules().toString());
            Process p = pb.start();
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("solc-js did not finish compiling " + name + " within 5 minutes");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("solc-js refused " + name + ": " + Files.readString(err, StandardCharsets.UTF_8).strip());
            }
            JsonNode c = JSON.readTree(out.toFile());
            return new Compiled(c.get("abi"), c.get("bytecode").asText());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run node to compile " + name + " (is Node.js installed?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while compiling " + name, e);
        } finally {
            if (dir != null) {
                try (var files = Files.list(dir)) {
                    for (Path f : files.toList()) {
                        Files.deleteIfExists(f);
                    }
                    Files.deleteIfExists(dir);
                } catch (IOException ignored) {
                    // a temporary folder left behind is harmless
                }
            }
        }
    }

    /**
     * The repository's npm {@code node_modules}, where the pinned tools (solc-js, snarkjs, Anvil) are installed: the
     * system property {@value #NODE_MODULES_PROPERTY}, else the environment variable {@value #NODE_MODULES_ENV},
     * else the first folder above the working directory that holds a {@code package.json} next to a
     * {@code node_modules}.
     *
     * @throws IllegalStateException when none is found, saying where to run {@code npm ci}
     */
    public static Path nodeModules() {
        String configured = System.getProperty(NODE_MODULES_PROPERTY);
        if (configured == null || configured.isBlank()) {
            configured = System.getenv(NODE_MODULES_ENV);
        }
        if (configured != null && !configured.isBlank()) {
            Path p = Path.of(configured).toAbsolutePath().normalize();
            if (Files.isDirectory(p.resolve("node_modules"))) {
                p = p.resolve("node_modules");
            }
            if (!Files.isDirectory(p)) {
                throw new IllegalStateException(NODE_MODULES_PROPERTY + "/" + NODE_MODULES_ENV + " points at " + p
                        + ", which is not a directory: run npm ci in the zkPFL repository root");
            }
            return p;
        }
        Path start = Path.of("").toAbsolutePath().normalize();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("package.json")) && Files.isDirectory(dir.resolve("node_modules"))) {
                return dir.resolve("node_modules");
            }
        }
        Path root = start;
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("package.json"))) {
                root = dir;
                break;
            }
        }
        throw new IllegalStateException("no node_modules found above " + start
                + ": run npm ci in " + root + " (or set " + NODE_MODULES_PROPERTY + ")");
    }
}
