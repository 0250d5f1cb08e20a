package io.zkpfl.zk.r1cs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the repository's npm reference tools (node scripts, snarkjs, solc-js) as child processes for
 * tests and benchmarks; the one place that finds {@code node_modules} and starts {@code node}.
 */
public final class NodeTool {

    private NodeTool() {
    }

    /** The directory holding {@code node_modules}, found by walking up from the working directory. */
    public static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null) {
            if (Files.isDirectory(p.resolve("node_modules/circomlibjs"))) {
                return p;
            }
            p = p.getParent();
        }
        throw new IllegalStateException("node_modules with circomlibjs not found above the working directory");
    }

    /** Runs {@code node zk-core/src/test/js/<script>} with {@code stdin}; returns stdout, failing on non-zero exit. */
    public static String script(String script, String stdin) {
        Path root = repoRoot();
        return run(List.of("node", root.resolve("zk-core/src/test/js").resolve(script).toString()), root, stdin).stdout();
    }

    /** Runs {@code snarkjs} with the given arguments in {@code dir}; returns the result (any exit code). */
    public static Result snarkjs(Path dir, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("node");
        cmd.add(repoRoot().resolve("node_modules/snarkjs/build/cli.cjs").toString());
        cmd.addAll(List.of(args));
        return runAny(cmd, dir, "");
    }

    /** Runs {@code node script args…} in {@code dir}; returns the result (any exit code). */
    public static Result node(Path dir, Path script, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("node");
        cmd.add(script.toString());
        cmd.addAll(List.of(args));
        return runAny(cmd, dir, "");
    }

    /**
     * Runs {@code snarkjs} and fails with its output when it exits non-zero or reports {@code [ERROR]} (some
     * snarkjs commands exit 0 on failure).
     */
    public static void snarkjsChecked(Path dir, String... args) {
        Result res = snarkjs(dir, args);
        if (res.exitCode() != 0 || res.stdout().contains("[ERROR]") || res.stderr().contains("[ERROR]")) {
            throw new IllegalStateException("snarkjs " + String.join(" ", args) + " failed: " + res.stdout() + res.stderr());
        }
    }

    /**
     * A phase-2-ready powers-of-tau file of {@code 2^power} (new + one contribution + prepare phase2), made once
     * and cached under {@code zk-core/target/snarkjs-ptau/} for every test and benchmark that needs it.
     */
    public static synchronized Path preparedPtau(int power) throws IOException {
        Path cache = repoRoot().resolve("zk-core/target/snarkjs-ptau");
        Files.createDirectories(cache);
        Path result = cache.resolve("pot" + power + "_final.ptau");
        if (Files.exists(result)) {
            return result;
        }
        Path tmp = Files.createTempDirectory(cache, "build");
        snarkjsChecked(tmp, "powersoftau", "new", "bn128", Integer.toString(power), "pot0.ptau");
        snarkjsChecked(tmp, "powersoftau", "contribute", "pot0.ptau", "pot1.ptau", "--name=zkpfl-test", "-e=zkpfl test entropy");
        snarkjsChecked(tmp, "powersoftau", "prepare", "phase2", "pot1.ptau", "final.ptau");
        Files.move(tmp.resolve("final.ptau"), result, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        try (var files = Files.list(tmp)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(tmp);
        return result;
    }

    /** A finished process. */
    public record Result(int exitCode, String stdout, String stderr) {

        /** Standard output followed by standard error, for assertion messages. */
        public String output() {
            return stdout + stderr;
        }
    }

    private static Result run(List<String> cmd, Path dir, String stdin) {
        Result r = runAny(cmd, dir, stdin);
        if (r.exitCode() != 0) {
            throw new IllegalStateException("command failed (" + r.exitCode() + "): " + cmd + "\n" + r.stderr() + r.stdout());
        }
        return r;
    }

    /**
     * Runs a command with {@code NODE_PATH} set to the repository's {@code node_modules}, feeding
     * {@code stdin}; waits at most {@code -Dzkpfl.node.timeout.minutes} (default 5; benchmarks that
     * run snarkjs' set-up on large circuits raise it).
     */
    public static Result runAny(List<String> cmd, Path dir, String stdin) {
        try {
            Path out = Files.createTempFile("zkcore-out", ".txt");
            Path err = Files.createTempFile("zkcore-err", ".txt");
            try {
                ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
                        .redirectOutput(out.toFile()).redirectError(err.toFile());
                pb.environment().put("NODE_PATH", repoRoot().resolve("node_modules").toString());
                Process p = pb.start();
                try (var in = p.getOutputStream()) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
                if (!p.waitFor(Long.getLong("zkpfl.node.timeout.minutes", 5), TimeUnit.MINUTES)) {
                    p.destroyForcibly();
                    throw new IllegalStateException("command timed out: " + cmd);
                }
                return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + cmd, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
