package io.zkpfl.trainer.cli;

import io.zkpfl.trainer.training.ComputeThreads;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** {@code --threads}: how many threads ND4J computes with. */
final class ThreadOptions {

    @Option(names = "--threads", paramLabel = "N",
            description = {"compute threads (default: OMP_NUM_THREADS when set, otherwise every core);",
                "use 1 on a machine shared with other work"})
    Integer threads;

    /**
     * Sets the thread count before ND4J loads and returns it.
     *
     * @throws CommandLine.ParameterException when {@code --threads} is below 1
     */
    int apply(CommandLine cmd) {
        if (threads != null && threads < 1) {
            throw new CommandLine.ParameterException(cmd, "--threads must be at least 1, got " + threads);
        }
        int n = threads != null ? threads : ComputeThreads.defaultCount(System.getenv(), Runtime.getRuntime().availableProcessors());
        ComputeThreads.configure(n);
        return n;
    }
}
