package io.zkpfl.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zkpfl.trainer.data.DatasetFolder;
import io.zkpfl.trainer.testing.FashionMnist;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the shaded jar as a trainer would: {@code java -jar client-trainer-…-all.jar …}. */
class TrainerJarIT {

    @TempDir
    Path dir;

    record Result(int exit, String out, String err) {
    }

    static Path jar() {
        Path jar = Path.of(System.getProperty("trainer.jar", "target/client-trainer-0.1.0-SNAPSHOT-all.jar"));
        assertTrue(Files.isRegularFile(jar), "build the jar first (mvn package): " + jar);
        return jar;
    }

    Result java(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar().toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile());
        pb.environment().put("OMP_NUM_THREADS", "1");
        // an empty cache: libtorch must come out of the jar itself (ai.djl.offline, no download)
        pb.environment().put("DJL_CACHE_DIR", dir.resolve("djl-cache").toString());
        Process p = pb.start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + cmd);
        }
        return new Result(p.exitValue(), Files.readString(dir.resolve("out.txt")), Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8));
    }

    @Test
    void jarCarriesOnlyTheHostsNativeLibrariesAndMergedServiceFiles() throws IOException {
        try (ZipFile zip = new ZipFile(jar().toFile())) {
            List<String> natives = zip.stream().map(e -> e.getName())
                    .filter(n -> n.endsWith(".so") || n.contains(".so.") || n.endsWith(".dll") || n.endsWith(".dylib") || n.endsWith(".jnilib"))
                    .toList();
            assertFalse(natives.isEmpty());
            for (String n : natives) {
                assertTrue(n.contains("linux-x86_64") || n.contains("linux-x86-64"), "foreign native library in the jar: " + n);
            }
            assertEquals(1, natives.stream().filter(n -> n.endsWith("/libtorch_cpu.so")).count(), "one build of libtorch: " + natives);
            assertEquals(List.of("jnilib/linux-x86_64/cpu/libdjl_torch.so"), natives.stream().filter(n -> n.contains("djl_torch")).toList(),
                    "DJL's JNI glue for the host's CPU only");
            assertTrue(zip.getEntry("native/lib/pytorch.properties") != null, "libtorch's descriptor, so DJL takes it from the jar");
            var services = zip.getEntry("META-INF/services/ai.djl.engine.EngineProvider");
            assertTrue(services != null, "DJL engine service file present");
            String engines = new String(zip.getInputStream(services).readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(engines.contains("ai.djl.pytorch.engine.PtEngineProvider"), engines);
        }
    }

    @Test
    void cliWorksFromTheBuiltJar() throws Exception {
        Result version = java("--version");
        assertEquals(0, version.exit(), version.err());
        assertTrue(version.out().startsWith("client-trainer 0.1.0"), version.out());

        Result missing = java("train", "--data", dir.resolve("absent").toString());
        assertEquals(TrainerCli.BAD_INPUT, missing.exit());
        assertEquals("error: data folder " + dir.resolve("absent") + " does not exist", missing.err().strip());

        Path data = dir.resolve("data");
        new DatasetFolder(data).write(DatasetFolder.TRAIN, FashionMnist.train(600));
        new DatasetFolder(data).write(DatasetFolder.TEST, FashionMnist.test(200));

        // The jar runs with OMP_NUM_THREADS=1; --threads overrides it, as libtorch reports.
        Result single = java("train", "--data", data.toString(), "--model", "logreg", "--limit", "100");
        assertEquals(0, single.exit(), single.err());
        assertTrue(single.out().contains(", 1 thread(s)"), single.out());
        Result two = java("train", "--data", data.toString(), "--model", "logreg", "--limit", "100", "--threads", "2");
        assertEquals(0, two.exit(), two.err());
        assertTrue(two.out().contains(", 2 thread(s)"), two.out());
        Path out = dir.resolve("sim");
        Result sim = java("simulate", "--data", data.toString(), "--model", "cnn", "--trainers", "2", "--rounds", "1", "--lr", "0.05",
                "--optimiser", "momentum", "--out", out.toString());
        assertEquals(0, sim.exit(), sim.out() + sim.err());
        assertTrue(sim.out().contains("final accuracy"), sim.out());
        assertEquals(2, Files.readAllLines(out.resolve("rounds.csv")).size());
        assertTrue(Files.size(out.resolve("accuracy.png")) > 1000);
    }

    /**
     * {@code ./zkpfl trainer} runs the jar with a JDK 21+ even when JAVA_HOME names an older one (where {@code java -jar}
     * fails with UnsupportedClassVersionError), and relative paths stay the caller's.
     */
    @Test
    void launcherPicksAJdk21AndKeepsTheCallersDirectory() throws Exception {
        Path launcher = Path.of("").toAbsolutePath().getParent().resolve("zkpfl");
        assertTrue(Files.isExecutable(launcher), launcher.toString());
        Path cwd = Files.createDirectories(dir.resolve("caller"));
        Files.writeString(cwd.resolve("pw"), "pw\n");
        List<String> cmd = List.of(launcher.toString(), "trainer", "wallet", "new", "--keystore", "ks.json",
                "--password-file", "pw", "--light");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile())
                .redirectOutput(dir.resolve("launcher-out.txt").toFile()).redirectError(dir.resolve("launcher-err.txt").toFile());
        Path old = Path.of("/usr/lib/jvm/java-17-openjdk-amd64");
        if (Files.isDirectory(old)) {
            pb.environment().put("JAVA_HOME", old.toString()); // too old: the launcher must look further
        } else {
            pb.environment().remove("JAVA_HOME");
        }
        Process p = pb.start();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "launcher timed out");
        String out = Files.readString(dir.resolve("launcher-out.txt"));
        assertEquals(0, p.exitValue(), out + Files.readString(dir.resolve("launcher-err.txt")));
        assertTrue(out.contains("keystore ks.json"), out);
        assertTrue(Files.isRegularFile(cwd.resolve("ks.json")), "the keystore is in the caller's directory");
    }
}
