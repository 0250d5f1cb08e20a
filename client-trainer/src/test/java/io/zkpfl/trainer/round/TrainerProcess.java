package io.zkpfl.trainer.round;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The shaded trainer jar run as a separate process, as a trainer runs it. */
final class TrainerProcess {

    private static final AtomicInteger RUNS = new AtomicInteger();

    record Result(int exit, String out, String err) {

        /** Exit code {@code code}, exactly one line on stderr, mentioning every fragment. */
        Result refused(int code, String... fragments) {
            assertEquals(code, exit, () -> "exit code; stdout: " + out + "\nstderr: " + err);
            assertEquals(1, err.strip().lines().count(), () -> "one line on stderr: " + err);
            for (String f : fragments) {
                assertTrue(err.contains(f), () -> "stderr should mention '" + f + "': " + err);
            }
            return this;
        }

        Result ok() {
            assertEquals(0, exit, () -> "exit code; stdout: " + out + "\nstderr: " + err);
            return this;
        }
    }

    private TrainerProcess() {
    }

    static Path jar() {
        Path jar = Path.of(System.getProperty("trainer.jar", "target/client-trainer-0.1.0-SNAPSHOT-all.jar"));
        assertTrue(Files.isRegularFile(jar), "build the jar first (mvn package): " + jar);
        return jar;
    }

    static Result run(Path dir, String... args) throws IOException, InterruptedException {
        int n = RUNS.incrementAndGet();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-jar", jar().toString()));
        cmd.addAll(List.of(args));
        Path out = dir.resolve("out-" + n + ".txt");
        Path err = dir.resolve("err-" + n + ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("OMP_NUM_THREADS", "1");
        pb.environment().remove("ZKPFL_WALLET_PASSWORD");
        pb.environment().put("HOME", dir.resolve("home").toString());
        Process p = pb.start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + cmd + "\n" + Files.readString(out));
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}
