package io.zkpfl.trainer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkpfl.trainer.chain.Endpoints;
import io.zkpfl.trainer.chain.TrainerChain;
import io.zkpfl.trainer.owner.JobProgress;
import io.zkpfl.trainer.owner.ServiceApi;
import io.zkpfl.trainer.round.JobModel;
import io.zkpfl.trainer.round.TrainerException;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code job watch ID}: a line per paid round until the job ends (docs/owner.md). */
@Command(name = "watch", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Follows a job: a line per paid round until it completes or fails.",
        description = {"Reads the job from the marketplace (GET /api/v1/jobs/{id}) and its paid rounds from the JobMarket's "
                + "events, or from the reward engine's audit API with --audit. Prints round, trainers included, accuracy and "
                + "tokens paid to trainers, then one line when the job ends.",
            "Exit 0 when the job completed; 4 with one line when it failed or was rejected."})
final class JobWatchCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;
    @Mixin
    Endpoints endpoints;
    @Parameters(paramLabel = "ID", description = "the marketplace's job id (as 'job post' printed it)")
    long id;
    @Option(names = "--audit", paramLabel = "URL", defaultValue = "${env:ZKPFL_AUDIT}",
            description = "reward engine base URL: rounds from its audit API instead of the chain (env ZKPFL_AUDIT)")
    String audit;
    @Option(names = "--once", description = "print the rounds so far and the job's state, then exit")
    boolean once;
    @Option(names = "--poll", paramLabel = "SECONDS", defaultValue = "2", description = "seconds between reads (default: ${DEFAULT-VALUE})")
    double poll;

    private TrainerChain chain;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        ServiceApi engine = audit == null || audit.isBlank() ? null : new ServiceApi("the reward engine", audit);
        try {
            Set<Integer> printed = new HashSet<>();
            boolean waiting = false;
            while (true) {
                JsonNode view = endpoints.marketplace().job(id);
                JsonNode s = view.path("submission");
                String state = s.path("state").asText();
                if ("FAILED".equals(state)) {
                    throw TrainerException.refused("job " + id + " was rejected: it did not reach the chain ("
                            + s.path("error").asText("no reason given") + ")");
                }
                if (!"ON_CHAIN".equals(state)) {
                    if (once || !waiting) {
                        out.println("job " + id + ": submission " + state + ", not on chain yet");
                        out.flush();
                        waiting = true;
                    }
                    if (once) {
                        return TrainerCli.OK;
                    }
                    pause();
                    continue;
                }
                BigInteger chainJob = JobModel.chainJobId(view, id);
                List<JobProgress.Round> rounds = engine != null
                        ? JobProgress.fromAudit(engine.get("/api/v1/audit/jobs/" + chainJob + "/rounds?limit=100"))
                        : JobProgress.fromChain(chain(), chainJob);
                if (printed.isEmpty() && !rounds.isEmpty() || once && printed.isEmpty()) {
                    out.println("job " + id + " (chain job " + chainJob + ")");
                    out.println(JobProgress.HEADER);
                }
                JobProgress.Round last = null;
                for (JobProgress.Round r : rounds) {
                    last = r;
                    if (printed.add(r.round())) {
                        out.println(r.line());
                    }
                }
                out.flush();
                String status = view.path("chain").path("status").asText("");
                if (status.isEmpty()) { // the marketplace could not read the chain: read it here
                    TrainerChain c = chain();
                    status = c.guard("jobState", () -> c.client().market().job(chainJob)).status().name();
                }
                String accuracy = last == null ? "no round paid" : String.format(Locale.ROOT, "accuracy %.4f after round %d",
                        last.accuracyPpm() / 1e6, last.round());
                if ("COMPLETED".equals(status)) {
                    out.println("job " + id + " completed: " + accuracy + " (target " + view.path("targetAccuracy").asText("?")
                            + "); 'job fetch " + id + "' downloads the model");
                    out.flush();
                    return TrainerCli.OK;
                }
                if ("FAILED".equals(status)) {
                    throw TrainerException.refused("job " + id + " failed: " + accuracy + ", last event "
                            + view.path("chain").path("lastEvent").path("type").asText("unknown"));
                }
                if (once) {
                    out.println("job " + id + " is " + status.toLowerCase(Locale.ROOT) + ": round "
                            + view.path("chain").path("round").asText("?") + ", attempt " + view.path("chain").path("attempt").asText("?")
                            + ", " + accuracy + ", last event " + view.path("chain").path("lastEvent").path("type").asText("unknown"));
                    out.flush();
                    return TrainerCli.OK;
                }
                pause();
            }
        } finally {
            if (chain != null) {
                chain.close();
            }
        }
    }

    /** The chain, read-only, connected when first needed. */
    private TrainerChain chain() {
        if (chain == null) {
            chain = TrainerChain.connect(endpoints, null);
        }
        return chain;
    }

    private void pause() throws InterruptedException {
        Thread.sleep(Math.max(100, (long) (poll * 1000)));
    }
}
