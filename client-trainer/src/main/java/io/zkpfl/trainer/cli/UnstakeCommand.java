package io.zkpfl.trainer.cli;

import io.zkpfl.contracts.generated.StakingRegistry;
import io.zkpfl.trainer.chain.Endpoints;
import io.zkpfl.trainer.chain.TrainerChain;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code unstake}: requestUnbond, or withdraw once the delay is over. */
@Command(name = "unstake", mixinStandardHelpOptions = true,
        header = "Starts unbonding stake, or withdraws it once unbonded.",
        description = {"Without --withdraw: moves --amount tokens (default: the whole stake) into unbonding, which restarts",
            "the registry's unbonding delay. With --withdraw: pays out what has finished unbonding. Both need every job",
            "the trainer joined to have ended and been released."})
final class UnstakeCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;
    @Mixin
    WalletOptions wallet;
    @Mixin
    Endpoints endpoints;
    @Option(names = "--amount", paramLabel = "TOKENS", description = "tokens to unbond (default: all)")
    String amount;
    @Option(names = "--withdraw", description = "withdraw the unbonded tokens instead")
    boolean withdraw;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (TrainerChain chain = TrainerChain.connect(endpoints, wallet.unlock())) {
            if (withdraw) {
                StakingRegistry.Account a = chain.guard("accountOf", () -> chain.client().staking().account(chain.address()));
                chain.send("withdraw", () -> chain.client().staking().withdraw());
                out.println("withdrew " + Tokens.format(a.unbonding) + " tokens to " + chain.address());
            } else {
                StakingRegistry.Account a = chain.guard("accountOf", () -> chain.client().staking().account(chain.address()));
                var value = amount != null ? Tokens.parse(amount) : a.stake;
                if (value.signum() == 0) {
                    throw io.zkpfl.trainer.round.TrainerException.refused("not staked: " + chain.address() + " has no stake to unbond");
                }
                chain.send("requestUnbond", () -> chain.client().staking().requestUnbond(value));
                StakingRegistry.Account after = chain.guard("accountOf", () -> chain.client().staking().account(chain.address()));
                out.println("unbonding " + Tokens.format(after.unbonding) + " tokens; withdraw after block time "
                        + after.unbondingEndsAt + " with 'client-trainer unstake --withdraw'");
            }
            out.flush();
        }
        return TrainerCli.OK;
    }
}
