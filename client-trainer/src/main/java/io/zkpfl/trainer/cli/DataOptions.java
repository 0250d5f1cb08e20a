package io.zkpfl.trainer.cli;

import io.zkpfl.trainer.data.DatasetFolder;
import io.zkpfl.trainer.data.LabelledImages;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** {@code --data DIR} and subset limits. */
final class DataOptions {

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "/usr/share/datasets/fashion-mnist",
            description = "folder with train-images-idx3-ubyte(.gz), train-labels-idx1-ubyte(.gz) and optionally "
                    + "t10k-images-idx3-ubyte(.gz), t10k-labels-idx1-ubyte(.gz) (default: ${DEFAULT-VALUE})")
    Path dir;

    @Option(names = "--limit", paramLabel = "N", description = "use only the first N training samples")
    Integer limit;

    @Option(names = "--test-limit", paramLabel = "N", description = "use only the first N test samples")
    Integer testLimit;

    DatasetFolder folder() {
        return new DatasetFolder(dir);
    }

    /** Rejects non-positive limits before any data is read. */
    void validate(CommandLine cmd) {
        if (limit != null && limit < 1) {
            throw new CommandLine.ParameterException(cmd, "--limit must be at least 1, got " + limit);
        }
        if (testLimit != null && testLimit < 1) {
            throw new CommandLine.ParameterException(cmd, "--test-limit must be at least 1, got " + testLimit);
        }
    }

    LabelledImages train(CommandLine cmd) {
        validate(cmd);
        LabelledImages data = folder().train();
        return limit == null ? data : data.head(limit);
    }

    LabelledImages test(CommandLine cmd) {
        validate(cmd);
        LabelledImages data = folder().test();
        return testLimit == null ? data : data.head(testLimit);
    }
}
