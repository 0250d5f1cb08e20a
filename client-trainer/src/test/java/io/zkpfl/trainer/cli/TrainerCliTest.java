package io.zkpfl.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zkpfl.protocol.model.ModelSpec;
import io.zkpfl.trainer.data.DatasetFolder;
import io.zkpfl.trainer.data.LabelledImages;
import io.zkpfl.trainer.federated.SimulationReport;
import io.zkpfl.trainer.model.BuiltInModel;
import io.zkpfl.trainer.testing.FashionMnist;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TrainerCliTest {

    @TempDir
    static Path shared;
    static Path data;

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
        /** Asserts a failure reported as exactly one line on stderr containing each fragment. */
        void failsWith(int code, String... fragments) {
            assertEquals(code, exit, "exit code; stderr: " + err);
            assertEquals(1, err.lines().count(), "one line on stderr: " + err);
            for (String f : fragments) {
                assertTrue(err.contains(f), "stderr should mention '" + f + "': " + err);
            }
        }
    }

    @BeforeAll
    static void smallDataSet() throws IOException {
        data = shared.resolve("fmnist-small");
        new DatasetFolder(data).write(DatasetFolder.TRAIN, FashionMnist.train(800));
        new DatasetFolder(data).write(DatasetFolder.TEST, FashionMnist.test(200));
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
    void everyCommandHasHelpAndTheToolHasAVersion() {
        Run version = run("--version");
        assertEquals(0, version.exit());
        assertTrue(version.out().startsWith("client-trainer "), version.out());
        for (var entry : TrainerCli.commandLine().getSubcommands().entrySet()) {
            String name = entry.getKey();
            Run help = run(name, "--help");
            assertEquals(0, help.exit(), name);
            if (!name.equals("help")) {
                assertTrue(help.out().contains("Usage: client-trainer " + name), help.out());
                assertTrue(help.out().contains("-h, --help"), help.out());
            }
            for (String sub : entry.getValue().getSubcommands().keySet()) {
                Run subHelp = run(name, sub, "--help");
                assertEquals(0, subHelp.exit(), name + " " + sub);
                assertTrue(subHelp.out().contains("Usage: client-trainer " + name + " " + sub), subHelp.out());
            }
        }
        Run top = run("--help");
        for (String name : List.of("wallet", "stake", "unstake", "jobs", "join", "run", "rewards", "release", "partition", "train",
                "evaluate", "simulate", "models")) {
            assertTrue(top.out().contains("  " + name + " "), top.out());
        }
        assertEquals(List.of("new", "import", "show"), List.copyOf(TrainerCli.commandLine().getSubcommands().get("wallet")
                .getSubcommands().keySet()));
        assertEquals(List.of("list", "show"), List.copyOf(TrainerCli.commandLine().getSubcommands().get("jobs")
                .getSubcommands().keySet()));
        Run runHelp = run("run", "--help");
        for (String option : List.of("--job", "--rounds", "--marketplace", "--rpc", "--kafka", "--ipfs", "--srs",
                "--keystore", "--password-file", "--data")) {
            assertTrue(runHelp.out().contains(option), "run --help names " + option + ": " + runHelp.out());
        }
    }

    /** The top-level help lists every command with a summary that is a whole sentence, never a cut-off line. */
    @Test
    void commandSummariesInTheTopLevelHelpAreWholeSentences() {
        String usage = run("--help").out();
        List<String> lines = usage.substring(usage.indexOf("Commands:")).lines().skip(1).toList();
        StringBuilder entries = new StringBuilder();
        for (String line : lines) {
            if (line.isBlank()) {
                break;
            }
            // an entry starts at the two-space indent; wrapped summary lines are indented further
            entries.append(line.matches("^  \\S.*") ? "\n" : " ").append(line.strip());
        }
        List<String> summaries = entries.toString().strip().lines().toList();
        assertEquals(TrainerCli.commandLine().getSubcommands().size(), summaries.size(), usage);
        for (String entry : summaries) {
            String summary = entry.substring(entry.indexOf(' ')).strip();
            assertTrue(summary.endsWith("."), "summary of '" + entry + "' is not a whole sentence");
            assertTrue(Character.isUpperCase(summary.charAt(0)), "summary of '" + entry + "' starts mid-sentence");
        }
    }

    @Test
    void usageErrorsExitTwoWithOneLine() {
        run().failsWith(TrainerCli.USAGE, "subcommand is required");
        run("fly").failsWith(TrainerCli.USAGE, "fly");
        run("train", "--data", data.toString(), "--model", "resnet").failsWith(TrainerCli.USAGE, "unknown model 'resnet'", "logreg, mlp, cnn");
        run("train", "--data", data.toString(), "--epochs", "0").failsWith(TrainerCli.USAGE, "--epochs", "[1, 1000]");
        run("train", "--data", data.toString(), "--lr", "fast").failsWith(TrainerCli.USAGE, "--lr", "fast");
        run("train", "--data", data.toString(), "--optimiser", "lbfgs").failsWith(TrainerCli.USAGE, "--optimiser", "lbfgs");
        run("train", "--data", data.toString(), "--model", "mlp", "--spec", "x.json").failsWith(TrainerCli.USAGE, "not both");
        run("train", "--data", data.toString(), "--limit", "0").failsWith(TrainerCli.USAGE, "--limit");
        run("simulate", "--data", data.toString(), "--trainers", "0").failsWith(TrainerCli.USAGE, "--trainers");
        run("train", "--data", data.toString(), "--threads", "0").failsWith(TrainerCli.USAGE, "--threads must be at least 1");
        run("simulate", "--data", data.toString(), "--threads", "two").failsWith(TrainerCli.USAGE, "--threads", "two");
        run("partition", "--data", data.toString()).failsWith(TrainerCli.USAGE, "--out");
        run("partition", "--data", data.toString(), "--out", dir.toString(), "--alpha", "-1").failsWith(TrainerCli.USAGE, "--alpha");
        run("models", "--show", "vgg").failsWith(TrainerCli.USAGE, "unknown model 'vgg'");
        run("wallet").failsWith(TrainerCli.USAGE, "subcommand is required");
        run("jobs").failsWith(TrainerCli.USAGE, "subcommand is required");
        run("run").failsWith(TrainerCli.USAGE, "--job");
        run("run", "--job", "1", "--rounds", "0").failsWith(TrainerCli.USAGE, "--rounds must be at least 1");
        run("join").failsWith(TrainerCli.USAGE, "--job");
    }

    @Test
    void walletNewShowsItsAddressAndRefusesAWrongPasswordInOneLine() throws IOException {
        Path keystore = dir.resolve("wallet/keystore.json");
        Path password = dir.resolve("password");
        java.nio.file.Files.writeString(password, "s3cret\n");
        Run created = run("wallet", "new", "--keystore", keystore.toString(), "--password-file", password.toString(), "--light");
        assertEquals(0, created.exit(), created.err());
        java.util.regex.Matcher address = Pattern.compile("address (0x[0-9a-fA-F]{40})").matcher(created.out());
        assertTrue(address.find(), created.out());
        assertTrue(!created.out().contains("s3cret"), "the password is never printed");
        Run shown = run("wallet", "show", "--keystore", keystore.toString(), "--password-file", password.toString(),
                "--check-password", "--offline");
        assertEquals(0, shown.exit(), shown.err());
        assertTrue(shown.out().contains("address " + address.group(1)), shown.out());
        java.nio.file.Files.writeString(password, "guess\n");
        run("wallet", "show", "--keystore", keystore.toString(), "--password-file", password.toString(), "--check-password",
                "--offline").failsWith(TrainerCli.REFUSED, "wrong password", keystore.toString());
        run("wallet", "new", "--keystore", keystore.toString(), "--password-file", password.toString(), "--light")
                .failsWith(TrainerCli.BAD_INPUT, "already exists");
        run("wallet", "show", "--keystore", dir.resolve("none.json").toString(), "--offline")
                .failsWith(TrainerCli.BAD_INPUT, "no keystore at", "wallet new");
    }

    @Test
    void anUnreachableMarketplaceIsOneLine() throws IOException {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        run("jobs", "list", "--marketplace", "http://127.0.0.1:" + port).failsWith(TrainerCli.UNAVAILABLE,
                "the marketplace at http://127.0.0.1:" + port + " cannot be reached");
    }

    @Test
    void missingDataIsOneLineNamingTheExpectedFiles() throws IOException {
        run("train", "--data", dir.resolve("absent").toString()).failsWith(TrainerCli.BAD_INPUT, "does not exist");
        Path empty = Files.createDirectories(dir.resolve("empty"));
        run("train", "--data", empty.toString()).failsWith(TrainerCli.BAD_INPUT, "train-images-idx3-ubyte(.gz)", "train-labels-idx1-ubyte(.gz)");
        run("simulate", "--data", empty.toString(), "--out", dir.resolve("sim").toString()).failsWith(TrainerCli.BAD_INPUT, "train-images-idx3-ubyte(.gz)");
        Files.write(empty.resolve("train-images-idx3-ubyte"), new byte[] {'P', 'K', 3, 4});
        Files.write(empty.resolve("train-labels-idx1-ubyte"), new byte[] {0, 0, 8, 1, 0, 0, 0, 0});
        run("partition", "--data", empty.toString(), "--out", dir.resolve("p").toString()).failsWith(TrainerCli.BAD_INPUT, "not an IDX file");
    }

    @Test
    void badSpecFilesAreOneLineNamingTheField() throws IOException {
        Path malformed = Files.writeString(dir.resolve("malformed.json"), "{\"input\": {\"shape\": [784]},");
        run("train", "--data", data.toString(), "--spec", malformed.toString()).failsWith(TrainerCli.BAD_INPUT, "malformed.json", "malformed JSON");
        Path invalid = Files.writeString(dir.resolve("invalid.json"), """
                {"input": {"shape": [784]}, "layers": [{"type": "dense", "units": 0}, {"type": "output", "units": 10}]}""");
        run("train", "--data", data.toString(), "--spec", invalid.toString()).failsWith(TrainerCli.BAD_INPUT, "invalid.json", "layers[0].units");
        run("models", "--spec", invalid.toString()).failsWith(TrainerCli.BAD_INPUT, "layers[0].units");
        Path huge = Files.writeString(dir.resolve("huge.json"), " ".repeat((int) ModelOptions.MAX_SPEC_BYTES + 1) + "{}");
        run("models", "--spec", huge.toString()).failsWith(TrainerCli.BAD_INPUT, "huge.json", "larger than");
        run("evaluate", "--data", data.toString(), "--spec", dir.resolve("none.json").toString(), "--weights", "w.bin")
                .failsWith(TrainerCli.BAD_INPUT, "none.json", "does not exist");
        Path wrongInput = Files.writeString(dir.resolve("wide.json"), """
                {"input": {"shape": [100]}, "layers": [{"type": "output", "units": 10}]}""");
        run("train", "--data", data.toString(), "--spec", wrongInput.toString()).failsWith(TrainerCli.BAD_INPUT, "[100]", "28x28");
    }

    @Test
    void modelsListsShowsAndValidates() throws IOException {
        Run list = run("models");
        assertEquals(0, list.exit());
        for (BuiltInModel m : BuiltInModel.values()) {
            assertTrue(list.out().contains(m.cliName()) && list.out().contains(Long.toString(m.spec().parameterCount())), list.out());
        }
        Run show = run("models", "--show", "cnn");
        assertEquals(0, show.exit());
        ModelSpec shown = ModelSpec.parse(show.out());
        assertEquals(BuiltInModel.CNN.spec(), shown);
        assertTrue(shown.parameterCount() < 100_000);
        Path file = Files.writeString(dir.resolve("mlp.json"), BuiltInModel.MLP.spec().toJson());
        Run check = run("models", "--spec", file.toString());
        assertEquals(0, check.exit(), check.err());
        assertTrue(check.out().contains("valid, 25450 parameters"), check.out());
        assertTrue(check.out().contains("layers[1].b [10]"), check.out());
    }

    @Test
    void partitionWritesTrainerFoldersAndRefusesToOverwrite() throws IOException {
        Path out = dir.resolve("trainers");
        Run p = run("partition", "--data", data.toString(), "--out", out.toString(), "--trainers", "4", "--alpha", "0.5", "--seed", "3");
        assertEquals(0, p.exit(), p.err());
        int total = 0;
        int[] sum = new int[10];
        for (int t = 1; t <= 4; t++) {
            DatasetFolder folder = new DatasetFolder(out.resolve("trainer-0" + t));
            LabelledImages share = folder.train();
            total += share.count();
            int[] h = share.histogram(10);
            for (int c = 0; c < 10; c++) {
                sum[c] += h[c];
            }
            Matcher row = Pattern.compile("trainer-0" + t + "((?:\\s+\\d+){11})").matcher(p.out());
            assertTrue(row.find(), p.out());
            String[] printed = row.group(1).trim().split("\\s+");
            for (int c = 0; c < 10; c++) {
                assertEquals(h[c], Integer.parseInt(printed[c]), "printed histogram of trainer " + t);
            }
            assertEquals(share.count(), Integer.parseInt(printed[10]));
            assertEquals(200, folder.test().count(), "every trainer gets the test split");
        }
        assertEquals(800, total);
        assertArrayEquals(FashionMnist.train(800).histogram(10), sum);

        byte[] before = Files.readAllBytes(out.resolve("trainer-01/train-labels-idx1-ubyte.gz"));
        run("partition", "--data", data.toString(), "--out", out.toString(), "--trainers", "4", "--seed", "9")
                .failsWith(TrainerCli.BAD_INPUT, "already exists", "--force");
        assertArrayEquals(before, Files.readAllBytes(out.resolve("trainer-01/train-labels-idx1-ubyte.gz")), "nothing overwritten");
        assertEquals(0, run("partition", "--data", data.toString(), "--out", out.toString(), "--trainers", "4", "--seed", "9", "--force").exit());
    }

    @Test
    void trainSavesWeightsThatEvaluateReproduces() throws IOException {
        Path weights = dir.resolve("w/logreg.bin");
        Run train = run("train", "--data", data.toString(), "--model", "logreg", "--epochs", "2", "--lr", "0.1", "--save", weights.toString());
        assertEquals(0, train.exit(), train.err());
        assertEquals(7850L * 4, Files.size(weights));
        assertTrue(train.out().contains("epoch 2/2"), "a log line per epoch when not on a terminal: " + train.out());
        Matcher trained = Pattern.compile("test accuracy (\\d\\.\\d{4}), loss (\\d+\\.\\d{4}) on 200 samples").matcher(train.out());
        assertTrue(trained.find(), train.out());
        Run eval = run("evaluate", "--data", data.toString(), "--model", "logreg", "--weights", weights.toString());
        assertEquals(0, eval.exit(), eval.err());
        assertTrue(eval.out().contains("accuracy " + trained.group(1) + ", loss " + trained.group(2) + " on 200 test samples"), eval.out());
        assertTrue(Double.parseDouble(trained.group(1)) > 0.5, train.out());

        Run resumed = run("train", "--data", data.toString(), "--model", "logreg", "--init", weights.toString(), "--lr", "0.1");
        assertEquals(0, resumed.exit(), resumed.err());

        run("evaluate", "--data", data.toString(), "--model", "mlp", "--weights", weights.toString())
                .failsWith(TrainerCli.BAD_INPUT, "31400 bytes", "101800");
        Path nan = Files.write(dir.resolve("nan.bin"), io.zkpfl.protocol.model.FlatParameters.encode(nanWeights(7850)));
        run("evaluate", "--data", data.toString(), "--model", "logreg", "--weights", nan.toString()).failsWith(TrainerCli.BAD_INPUT, "not a finite number");
    }

    @Test
    void simulateWritesCsvPlotAndSummary() throws IOException {
        Path out = dir.resolve("sim");
        Run sim = run("simulate", "--data", data.toString(), "--model", "logreg", "--trainers", "3", "--rounds", "2", "--lr", "0.1",
                "--alpha", "0.5", "--out", out.toString());
        assertEquals(0, sim.exit(), sim.err());
        List<String> csv = Files.readAllLines(out.resolve("rounds.csv"));
        assertEquals(SimulationReport.CSV_HEADER, csv.get(0));
        assertEquals(3, csv.size());
        assertTrue(Files.size(out.resolve("accuracy.png")) > 1000);
        String finalAccuracy = csv.get(2).split(",")[1].substring(0, 6);
        assertTrue(sim.out().contains("final accuracy " + finalAccuracy + " after 2 rounds"), sim.out() + " vs " + csv);
        assertTrue(sim.out().contains("round 1/2: accuracy"), sim.out());
    }

    private static float[] nanWeights(int n) {
        float[] w = new float[n];
        w[17] = Float.NaN;
        return w;
    }
}
