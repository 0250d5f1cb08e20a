package io.zkpfl.trainer.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code job post|watch|fetch}: the model owner's side of a job (docs/owner.md). */
@Command(name = "job", mixinStandardHelpOptions = true,
        header = "Posts a training job as its owner, follows it and fetches its final model.",
        description = {"post: signs a job with the owner's keystore (EIP-712), approves the fee and posts it to the "
                + "marketplace, then waits until it is on chain.",
            "watch: a line per paid round until the job completes (exit 0) or fails.",
            "fetch: downloads the final model and checks its keccak-256 against the hash the chain holds."},
        subcommands = {JobPostCommand.class, JobWatchCommand.class, JobFetchCommand.class, JobDiscloseCommand.class})
final class JobCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required (post, watch, fetch)");
    }
}
