package io.zkpfl.trainer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zkpfl.contracts.JobState;
import io.zkpfl.trainer.chain.Endpoints;
import io.zkpfl.trainer.chain.Marketplace;
import io.zkpfl.trainer.chain.TrainerChain;
import io.zkpfl.trainer.round.JobModel;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jobs list|show}. */
@Command(name = "jobs", mixinStandardHelpOptions = true, header = "Lists the marketplace's jobs or shows one.",
        description = "Reads GET /api/v1/jobs and GET /api/v1/jobs/{id} from the marketplace; 'show' adds the job's "
                + "state on chain.",
        subcommands = {JobsCommand.ListJobs.class, JobsCommand.Show.class})
final class JobsCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required (list, show)");
    }

    @Command(name = "list", mixinStandardHelpOptions = true, header = "Lists jobs, newest first.",
            description = "One line per job: marketplace id, chain job id, status, submission, parameters, target accuracy, "
                    + "rounds and fee (tokens).")
    static final class ListJobs implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin
        Endpoints endpoints;
        @Option(names = "--status", paramLabel = "STATUS", description = "POSTED, OPEN or REJECTED")
        String status;
        @Option(names = "--size", defaultValue = "20", description = "jobs per page (default: ${DEFAULT-VALUE})")
        int size;

        @Override
        public Integer call() {
            Marketplace m = endpoints.marketplace();
            String q = "size=" + size + (status == null ? "" : "&status=" + status.toUpperCase(Locale.ROOT));
            JsonNode page = m.jobs(q);
            PrintWriter out = spec.commandLine().getOut();
            out.println(String.format(Locale.ROOT, "%-6s %-9s %-9s %-9s %10s %7s %7s %12s", "id", "chain-id", "status",
                    "on-chain", "parameters", "target", "rounds", "fee"));
            for (JsonNode j : page.path("items")) {
                JsonNode chainJob = j.path("chainJobId");
                out.println(String.format(Locale.ROOT, "%-6s %-9s %-9s %-9s %10d %7s %7d %12s", j.path("id").asText(),
                        chainJob.isMissingNode() || chainJob.isNull() ? "-" : chainJob.asText(), j.path("status").asText(),
                        j.path("submission").isTextual() ? j.path("submission").asText() : "-",
                        j.path("parameterCount").asLong(), j.path("targetAccuracy").asText(), j.path("maxRounds").asInt(),
                        j.path("feeAmount").isMissingNode() ? "-" : Tokens.format(new java.math.BigInteger(j.path("feeAmount").asText("0")))));
            }
            out.println(page.path("total").asText("?") + " job(s)");
            out.flush();
            return TrainerCli.OK;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, header = "Shows one job and its state on chain.",
            description = "The marketplace's view of the job (terms, artefacts) and, when it is on chain, its status, round, "
                    + "committee and trainers as the chain holds them.")
    static final class Show implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin
        Endpoints endpoints;
        @Parameters(paramLabel = "ID", description = "the marketplace's job id")
        long id;

        @Override
        public Integer call() throws Exception {
            JsonNode view = endpoints.marketplace().job(id);
            PrintWriter out = spec.commandLine().getOut();
            out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(view));
            String chainJob = view.path("submission").path("chainJobId").asText(null);
            if (chainJob != null && !chainJob.isBlank()) {
                BigInteger jobId = JobModel.chainJobId(view, id);
                try (TrainerChain chain = TrainerChain.connect(endpoints, null)) {
                    JobState s = chain.guard("jobState", () -> chain.client().market().job(jobId));
                    var p = chain.guard("jobParams", () -> chain.client().market().jobParams(jobId));
                    out.println("on chain: job " + jobId + ", " + JoinCommand.status(s.status()) + ", round " + s.round()
                            + " attempt " + s.attempt() + ", " + s.trainers().size() + " of " + p.maxTrainers
                            + " trainers, model " + s.model() + ", remaining " + Tokens.format(s.remaining()));
                    out.println("committee " + String.join(", ", s.committee()));
                }
            }
            out.flush();
            return TrainerCli.OK;
        }
    }
}
