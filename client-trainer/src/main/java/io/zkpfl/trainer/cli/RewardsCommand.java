package io.zkpfl.trainer.cli;

import io.zkpfl.trainer.chain.Endpoints;
import io.zkpfl.trainer.chain.TrainerChain;
import io.zkpfl.trainer.round.TrainerException;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code rewards [--claim]}. */
@Command(name = "rewards", mixinStandardHelpOptions = true, header = "Shows the rewards credited to the trainer, or claims them.",
        description = "Rounds credit trainers in the job's fee token; credits accumulate in the JobMarket until claimed. "
                + "--claim transfers them to the trainer's address.")
final class RewardsCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;
    @Mixin
    WalletOptions wallet;
    @Mixin
    Endpoints endpoints;
    @Option(names = "--token", paramLabel = "ADDRESS", description = "fee token (default: the platform token)")
    String token;
    @Option(names = "--claim", description = "claim the credited rewards")
    boolean claim;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (!claim) {
            String address = io.zkpfl.trainer.wallet.Keystore.address(wallet.keystore());
            try (TrainerChain chain = TrainerChain.connect(endpoints, null)) {
                String t = token != null ? token : chain.addresses().token();
                BigInteger owed = chain.guard("claimable", () -> chain.client().market().claimable(address, t));
                out.println("claimable " + Tokens.format(owed) + " of token " + t + " for " + address);
            }
        } else {
            try (TrainerChain chain = TrainerChain.connect(endpoints, wallet.unlock())) {
                String t = token != null ? token : chain.addresses().token();
                BigInteger owed = chain.guard("claimable", () -> chain.client().market().claimable(chain.address(), t));
                if (owed.signum() == 0) {
                    throw TrainerException.refused("nothing to claim: no rewards of token " + t + " are credited to " + chain.address());
                }
                chain.send("claim", () -> chain.client().market().claim(t));
                out.println("claimed " + Tokens.format(owed) + " of token " + t + " to " + chain.address());
            }
        }
        out.flush();
        return TrainerCli.OK;
    }
}
