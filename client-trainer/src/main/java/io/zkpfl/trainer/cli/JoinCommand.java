package io.zkpfl.trainer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkpfl.contracts.JobState;
import io.zkpfl.trainer.chain.Endpoints;
import io.zkpfl.trainer.chain.TrainerChain;
import io.zkpfl.trainer.round.JobModel;
import io.zkpfl.trainer.round.TrainerException;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code join}: becomes one of a job's trainers; the stake stays locked until the job ends. */
@Command(name = "join", mixinStandardHelpOptions = true, header = "Joins a job as one of its trainers.",
        description = "Checks that the job is live and not full and that the trainer is staked, then joins it on chain; "
                + "the trainer's 1-based join position is its index i in every round. The stake stays locked until "
                + "the job ends.")
final class JoinCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;
    @Mixin
    WalletOptions wallet;
    @Mixin
    Endpoints endpoints;
    @Option(names = "--job", required = true, paramLabel = "ID", description = "the marketplace's job id")
    long job;

    static String status(JobState.Status s) {
        return switch (s) {
            case ACTIVE -> "active";
            case COMPLETED -> "completed";
            case FAILED -> "failed";
            case NONE -> "unknown";
        };
    }

    @Override
    public Integer call() throws Exception {
        JsonNode view = endpoints.marketplace().job(job);
        BigInteger jobId = JobModel.chainJobId(view, job);
        PrintWriter out = spec.commandLine().getOut();
        try (TrainerChain chain = TrainerChain.connect(endpoints, wallet.unlock())) {
            JobState s = chain.guard("jobState", () -> chain.client().market().job(jobId));
            var p = chain.guard("jobParams", () -> chain.client().market().jobParams(jobId));
            if (s.status() != JobState.Status.ACTIVE) {
                throw TrainerException.refused("job " + job + " is closed: it is " + status(s.status()) + " on chain");
            }
            for (int i = 0; i < s.trainers().size(); i++) {
                if (s.trainers().get(i).equalsIgnoreCase(chain.address())) {
                    out.println("already joined job " + job + " as trainer " + (i + 1));
                    out.flush();
                    return TrainerCli.OK;
                }
            }
            if (s.trainers().size() >= p.maxTrainers.intValue()) {
                throw TrainerException.refused("job " + job + " is full: " + s.trainers().size() + " of "
                        + p.maxTrainers + " trainers have joined");
            }
            boolean eligible = chain.guard("isEligibleTrainer", () -> chain.registry().isEligibleTrainer(chain.address()).send());
            if (!eligible) {
                throw TrainerException.refused("not staked: " + chain.address() + " holds no trainer stake at the minimum;"
                        + " run 'client-trainer stake' first");
            }
            chain.send("join", () -> chain.client().market().join(jobId));
            JobState after = chain.guard("jobState", () -> chain.client().market().job(jobId));
            out.println("joined job " + job + " (chain job " + jobId + ") as trainer "
                    + (after.trainers().stream().map(String::toLowerCase).toList().indexOf(chain.address().toLowerCase()) + 1) + " of "
                    + p.maxTrainers);
            out.flush();
        }
        return TrainerCli.OK;
    }
}
