package io.zkpfl.trainer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkpfl.trainer.chain.Endpoints;
import io.zkpfl.trainer.chain.TrainerChain;
import io.zkpfl.trainer.round.JobModel;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code release}: frees the stake lock a job holds once the job has ended. */
@Command(name = "release", mixinStandardHelpOptions = true, header = "Releases the stake lock of a job that has ended.",
        description = "Joining a job locks the trainer's stake until the job ends; 'release' gives the lock back, after "
                + "which 'unstake' can unbond the stake once no job holds it.")
final class ReleaseCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;
    @Mixin
    WalletOptions wallet;
    @Mixin
    Endpoints endpoints;
    @Option(names = "--job", required = true, paramLabel = "ID", description = "the marketplace's job id")
    long job;

    @Override
    public Integer call() throws Exception {
        JsonNode view = endpoints.marketplace().job(job);
        BigInteger jobId = JobModel.chainJobId(view, job);
        PrintWriter out = spec.commandLine().getOut();
        try (TrainerChain chain = TrainerChain.connect(endpoints, wallet.unlock())) {
            chain.send("release", () -> chain.client().market().release(jobId));
            var a = chain.guard("accountOf", () -> chain.client().staking().account(chain.address()));
            out.println("released job " + job + "; " + a.locks + " job(s) still hold the stake of " + chain.address());
            out.flush();
        }
        return TrainerCli.OK;
    }
}
