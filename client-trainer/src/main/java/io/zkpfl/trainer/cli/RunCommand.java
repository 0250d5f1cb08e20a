package io.zkpfl.trainer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkpfl.protocol.ipfs.KuboClient;
import io.zkpfl.trainer.chain.Endpoints;
import io.zkpfl.trainer.chain.RoundEndpoints;
import io.zkpfl.trainer.chain.TrainerChain;
import io.zkpfl.trainer.data.LabelledImages;
import io.zkpfl.trainer.round.JobModel;
import io.zkpfl.trainer.round.RoundRunner;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code run}: takes part in a job's rounds. */
@Command(name = "run", mixinStandardHelpOptions = true, header = "Trains a joined job round after round and delivers the shares.",
        description = {"For each round: waits for the attempt to open and for the committee's round keys, checks the model",
            "against the chain (round 0: the manifest's hash is the signed modelHash; later: w' recomputed from the",
            "posted reveals must chain to the certified C_A and Σn), trains on --data, clips, encodes, secret-shares the",
            "update, commits on chain and delivers one envelope per node through Kafka and IPFS. Stops when the job ends or",
            "after --rounds rounds. Restarting after a commit resends the kept envelopes and never commits twice.",
            "A job whose signed manifest has privacy terms (docs/privacy.md): the update is clipped to their L2 clip and,",
            "after fixed-point encoding, this trainer's share of the job's discrete Gaussian noise is added (exact sampler",
            "on a SecureRandom); the log gives its σ, never the noise."})
final class RunCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;
    @Mixin
    WalletOptions wallet;
    @Mixin
    Endpoints endpoints;
    @Mixin
    RoundEndpoints round;
    @Mixin
    DataOptions data;
    @Mixin
    ThreadOptions threads;
    @Option(names = "--job", required = true, paramLabel = "ID", description = "the marketplace's job id")
    long job;
    @Option(names = "--rounds", paramLabel = "N", defaultValue = "2147483647",
            description = "stop after taking part in N rounds (default: until the job ends)")
    int rounds;
    @Option(names = "--poll", paramLabel = "MILLIS", defaultValue = "500", description = "chain polling interval: how soon "
            + "a new round or the committee's keys are seen; one eth_call per wait (default: ${DEFAULT-VALUE})")
    long poll;
    @Option(names = "--state-dir", paramLabel = "DIR", description = "where the round's sealed envelopes are kept until "
            + "delivered (default: ~/.zkpfl/trainer/rounds)")
    Path stateDir;
    @Option(names = "--seed", paramLabel = "N", description = "training seed (default: random each round)")
    Long seed;
    @Option(names = "--key-wait", paramLabel = "SECONDS", defaultValue = "86400",
            description = "longest wait for the committee's round keys (default: ${DEFAULT-VALUE})")
    int keyWait;

    @Override
    public Integer call() throws Exception {
        CommandLine cmd = spec.commandLine();
        if (rounds < 1) {
            throw new CommandLine.ParameterException(cmd, "--rounds must be at least 1, got " + rounds);
        }
        threads.apply(cmd);
        PrintWriter out = cmd.getOut();
        LabelledImages train = data.train(cmd);
        JsonNode view = endpoints.marketplace().job(job);
        KuboClient ipfs = new KuboClient(java.net.URI.create(round.ipfs), Duration.ofSeconds(5), Duration.ofSeconds(60));
        try (TrainerChain chain = TrainerChain.connect(endpoints, wallet.unlock())) {
            var params = chain.guard("jobParams", () -> chain.client().market().jobParams(JobModel.chainJobId(view, job)));
            JobModel model = JobModel.fetch(endpoints.marketplace(), ipfs, job, view, params.modelHash);
            Path state = stateDir != null ? stateDir : Path.of(System.getProperty("user.home"), ".zkpfl", "trainer", "rounds");
            int done = RoundRunner.run(chain, ipfs, round.kafka, round.srs, model, train,
                    new RoundRunner.Settings(rounds, poll, state, seed, keyWait), out);
            out.println("done: took part in " + done + " round(s)");
            out.flush();
        }
        return TrainerCli.OK;
    }
}
