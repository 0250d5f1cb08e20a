package io.zkpfl.zk.groth16;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the repository's npm tools (snarkjs, solc-js) as child processes for reference checks. */
final class NodeProcess {

    /** Exit code and combined output of one run. */
    record Result(int exitCode, String output) {
    }

    private NodeProcess() {
    }

    /** The repository's node_modules, found by walking up from the working directory. */
    static Path nodeModules() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path nm = dir.resolve("node_modules");
            if (Files.isDirectory(nm.resolve("snarkjs"))) {
                return nm;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("node_modules with snarkjs not found above " + Path.of("").toAbsolutePath());
    }

    /** Runs {@code node_modules/.bin/snarkjs args…} in {@code workDir}. */
    static Result snarkjs(Path workDir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add("node");
        cmd.add(nodeModules().resolve("snarkjs/build/cli.cjs").toString());
        cmd.addAll(List.of(args));
        return run(workDir, cmd);
    }

    /** Runs {@code node script args…} with NODE_PATH set to the repository's node_modules. */
    static Result node(Path workDir, Path script, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add("node");
        cmd.add(script.toString());
        cmd.addAll(List.of(args));
        return run(workDir, cmd);
    }

    private static Result run(Path workDir, List<String> cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true);
        pb.environment().put("NODE_PATH", nodeModules().toString());
        Process p = pb.start();
        try {
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                throw new IllegalStateException("node did not finish: " + cmd);
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } finally {
            p.destroyForcibly();
        }
    }
}
