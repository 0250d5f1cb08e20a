package io.zkpfl.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code job post|watch|fetch} options and refusals that need no service (the IT covers the rest). */
class JobCommandTest {

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
        Run failsWith(int code, String... fragments) {
            assertEquals(code, exit, () -> "exit code; stdout: " + out + "; stderr: " + err);
            assertEquals(1, err.strip().lines().count(), () -> "one line on stderr: " + err);
            for (String f : fragments) {
                assertTrue(err.contains(f), () -> "stderr should mention '" + f + "': " + err);
            }
            return this;
        }
    }

    static Run run(String... args) {
        CommandLine cli = TrainerCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void everyJobCommandHasHelpNamingItsOptions() {
        Run job = run("job", "--help");
        assertEquals(0, job.exit());
        for (String sub : List.of("post", "watch", "fetch", "disclose")) {
            assertTrue(job.out().contains(sub), job.out());
        }
        Run post = run("job", "post", "--help");
        assertEquals(0, post.exit());
        for (String option : List.of("--model", "--weights", "--target", "--rounds", "--fee", "--committee", "--trainers",
                "--epochs", "--learning-rate", "--epsilon", "--keystore", "--password-file", "--marketplace", "--rpc", "--engine")) {
            assertTrue(post.out().contains(option), option + " in: " + post.out());
        }
        assertTrue(run("job", "watch", "--help").out().contains("--once"));
        assertTrue(run("job", "fetch", "--help").out().contains("--cid"));
        run("job").failsWith(TrainerCli.USAGE, "subcommand");
    }

    @Test
    void badTermsAreUsageErrorsBeforeAnyKeyIsUnlocked() throws Exception {
        Path missing = dir.resolve("no-keystore.json");
        Path password = Files.writeString(dir.resolve("password"), "secret\n");
        run("job", "post", "--keystore", missing.toString()).failsWith(TrainerCli.USAGE, "--target");
        run("job", "post", "--target", "1.5", "--keystore", missing.toString()).failsWith(TrainerCli.USAGE, "--target", "(0, 1]");
        run("job", "post", "--target", "0.1234567", "--keystore", missing.toString()).failsWith(TrainerCli.USAGE, "6 decimals");
        run("job", "post", "--target", "0.9", "--trainers", "1/4", "--keystore", missing.toString())
                .failsWith(TrainerCli.USAGE, "at least 2 trainers");
        run("job", "post", "--target", "0.9", "--committee", "2/2", "--keystore", missing.toString())
                .failsWith(TrainerCli.USAGE, "2t - 1");
        run("job", "post", "--target", "0.9", "--rounds", "0", "--keystore", missing.toString()).failsWith(TrainerCli.USAGE, "--rounds");
        run("job", "post", "--target", "0.9", "--fee", "-3", "--keystore", missing.toString()).failsWith(TrainerCli.USAGE, "positive");
        run("job", "post", "--target", "0.9", "--window", "vote=3", "--keystore", missing.toString()).failsWith(TrainerCli.USAGE, "vote");
        run("job", "post", "--target", "0.9", "--epsilon", "8", "--keystore", missing.toString())
                .failsWith(TrainerCli.USAGE, "--delta");
        run("job", "post", "--target", "0.9", "--model", "resnet", "--keystore", missing.toString())
                .failsWith(TrainerCli.USAGE, "unknown model 'resnet'", "logreg, mlp, cnn");
        run("job", "post", "--target", "0.9", "--keystore", missing.toString(), "--password-file", password.toString())
                .failsWith(TrainerCli.BAD_INPUT, "no keystore at " + missing);
    }

    @Test
    void inputFilesAreCheckedBeforeAnyNetworkCall() throws Exception {
        Path spec = Files.writeString(dir.resolve("spec.json"), "{\"input\":{\"shape\":[4]},\"layers\":[{\"type\":\"output\","
                + "\"units\":2,\"activation\":\"softmax\"}],\"loss\":\"cross_entropy\"}");
        Path weights = Files.write(dir.resolve("w.bin"), new byte[36]);
        run("job", "post", "--target", "0.9", "--model", spec.toString(), "--weights", weights.toString())
                .failsWith(TrainerCli.BAD_INPUT, "36 bytes", "needs 40");
        Path notJson = Files.writeString(dir.resolve("broken.json"), "{\"input\":");
        run("job", "post", "--target", "0.9", "--model", notJson.toString()).failsWith(TrainerCli.BAD_INPUT, "spec file " + notJson);
        Path existing = Files.writeString(dir.resolve("model.bin"), "keep me");
        run("job", "fetch", "7", "--cid", "bafkqaaa", "--out", existing.toString()).failsWith(TrainerCli.BAD_INPUT, "exists", "--force");
        assertEquals("keep me", Files.readString(existing));
    }

    @Test
    void aDisclosureNeedsItsKeyFileBeforeAnyKeyIsUnlocked() throws Exception {
        run("job", "disclose", "3").failsWith(TrainerCli.USAGE, "--validation-key-file");
        run("job", "disclose", "3", "--validation-key-file", dir.resolve("none.json").toString())
                .failsWith(TrainerCli.BAD_INPUT, "none.json", "is not a file");
        Path notDisclosure = Files.writeString(dir.resolve("other.json"), "{\"hello\": 1}");
        run("job", "disclose", "3", "--validation-key-file", notDisclosure.toString())
                .failsWith(TrainerCli.BAD_INPUT, "is not a validation disclosure file");
    }

    @Test
    void anUnreachableMarketplaceIsOneLineWithTheUnavailableExit() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        run("job", "watch", "3", "--once", "--marketplace", "http://127.0.0.1:" + port)
                .failsWith(TrainerCli.UNAVAILABLE, "cannot be reached");
        run("job", "fetch", "3", "--cid", "bafkqaaa", "--out", dir.resolve("m.bin").toString(), "--marketplace",
                "http://127.0.0.1:" + port).failsWith(TrainerCli.UNAVAILABLE, "cannot be reached");
    }

    @Test
    void aValidationSetIsCheckedBeforeAnyKeyIsUnlockedOrServiceCalled() throws Exception {
        Path missing = dir.resolve("no-keystore.json");
        run("job", "post", "--target", "0.9", "--groups", "3", "--keystore", missing.toString())
                .failsWith(TrainerCli.USAGE, "--groups", "need --validation");
        Path set = dir.resolve("owner-set");
        run("job", "post", "--target", "0.9", "--validation", set.toString(), "--keystore", missing.toString())
                .failsWith(TrainerCli.USAGE, "--validation needs --engine");
        run("job", "post", "--target", "0.9", "--validation", set.toString(), "--engine", "http://127.0.0.1:1",
                "--groups", "65", "--keystore", missing.toString()).failsWith(TrainerCli.USAGE, "--groups must be 1 to 64");
        run("job", "post", "--target", "0.9", "--validation", set.toString(), "--engine", "http://127.0.0.1:1",
                "--keystore", missing.toString()).failsWith(TrainerCli.BAD_INPUT, set.toString(), "does not exist");
        // labels 0..4 as groups do not fit 3 groups; a groups file with ids 0..2 does
        byte[] labels = {0, 1, 2, 3, 4, 0};
        new io.zkpfl.trainer.data.DatasetFolder(set).write(io.zkpfl.trainer.data.DatasetFolder.TEST,
                new io.zkpfl.trainer.data.LabelledImages(2, 2, new byte[24], labels));
        run("job", "post", "--target", "0.9", "--validation", set.toString(), "--engine", "http://127.0.0.1:1",
                "--groups", "3", "--keystore", missing.toString())
                .failsWith(TrainerCli.BAD_INPUT, "sample 3 is in group 3 (its label)", "3 groups");
        io.zkpfl.trainer.data.IdxFile.writeLabels(set.resolve("t10k-groups-idx1-ubyte.gz"), new byte[] {0, 1, 2, 0, 1, 2});
        var read = io.zkpfl.trainer.owner.ValidationUpload.read(set, 3);
        assertEquals(6, read.bundle().count());
        assertEquals(2, read.bundle().group(5));
        // the set passes, so the next refusal is the missing keystore: no service was needed up to here
        run("job", "post", "--target", "0.9", "--validation", set.toString(), "--engine", "http://127.0.0.1:1",
                "--groups", "3", "--keystore", missing.toString(), "--password-file",
                Files.writeString(dir.resolve("pw"), "x").toString()).failsWith(TrainerCli.BAD_INPUT, "no keystore at " + missing);
    }
}
