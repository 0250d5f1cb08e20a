package io.zkpfl.trainer.cli;

import io.zkpfl.trainer.data.DatasetFolder;
import io.zkpfl.trainer.data.LabelledImages;
import io.zkpfl.trainer.data.PartitionScheme;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Splits a data set into one folder per trainer and prints each trainer's label histogram. */
@Command(name = "partition", mixinStandardHelpOptions = true,
        header = "Splits the training data into one folder per trainer, IID or by a Dirichlet draw over labels.",
        description = {"Splits the training split of --data into N trainer folders (trainer-01, trainer-02, ...) in the IDX layout,",
            "IID or non-IID by a Dirichlet(alpha) draw over labels, and prints each trainer's label histogram.",
            "The test split, when present, is copied into every folder so each trainer can evaluate locally."})
final class PartitionCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    DataOptions data;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "folder to create the trainer folders in")
    Path out;

    @Option(names = {"-n", "--trainers"}, paramLabel = "N", defaultValue = "8", description = "number of trainers (default: ${DEFAULT-VALUE})")
    int trainers;

    @Option(names = "--alpha", paramLabel = "ALPHA", description = "non-IID: Dirichlet concentration (e.g. 0.5); IID when absent")
    Double alpha;

    @Option(names = "--seed", defaultValue = "42", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--force", description = "overwrite existing trainer folders")
    boolean force;

    @Override
    public Integer call() throws IOException {
        CommandLine cmd = spec.commandLine();
        if (trainers < 1 || trainers > 999) {
            throw new CommandLine.ParameterException(cmd, "--trainers must be in [1, 999], got " + trainers);
        }
        if (alpha != null && !(alpha > 0 && alpha <= 1000)) {
            throw new CommandLine.ParameterException(cmd, "--alpha must be in (0, 1000], got " + alpha);
        }
        PartitionScheme scheme = alpha == null ? new PartitionScheme.Iid() : new PartitionScheme.Dirichlet(alpha);
        for (int t = 1; t <= trainers && !force; t++) {
            Path dir = trainerDir(out, t);
            if (Files.exists(dir)) {
                throw new IllegalArgumentException(dir + " already exists; use --force to overwrite");
            }
        }
        LabelledImages train = data.train(cmd);
        LabelledImages test = data.folder().has(DatasetFolder.TEST) ? data.test(cmd) : null;
        int[][] split = scheme.split(train, trainers, seed);
        int classes = train.classCount();
        PrintWriter w = cmd.getOut();
        w.println("partition " + scheme.describe() + " of " + train.count() + " samples among " + trainers + " trainers, seed " + seed);
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-12s", "trainer"));
        for (int c = 0; c < classes; c++) {
            header.append(String.format(Locale.ROOT, "%7s", "c" + c));
        }
        header.append(String.format(Locale.ROOT, "%9s", "total"));
        w.println(header);
        for (int t = 0; t < trainers; t++) {
            LabelledImages share = train.select(split[t]);
            DatasetFolder folder = new DatasetFolder(trainerDir(out, t + 1));
            folder.write(DatasetFolder.TRAIN, share);
            if (test != null) {
                folder.write(DatasetFolder.TEST, test);
            }
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-12s", folder.dir().getFileName()));
            for (int count : share.histogram(classes)) {
                row.append(String.format(Locale.ROOT, "%7d", count));
            }
            row.append(String.format(Locale.ROOT, "%9d", share.count()));
            w.println(row);
        }
        w.flush();
        return TrainerCli.OK;
    }

    static Path trainerDir(Path out, int trainer) {
        return out.resolve(String.format(Locale.ROOT, "trainer-%02d", trainer));
    }
}
