package io.zkpfl.trainer.cli;

import io.zkpfl.contracts.generated.StakingRegistry;
import io.zkpfl.trainer.chain.Endpoints;
import io.zkpfl.trainer.chain.TrainerChain;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code stake}: registers as trainer with a stake, or adds to it. */
@Command(name = "stake", mixinStandardHelpOptions = true,
        header = "Stakes platform tokens as a trainer, or adds to the stake.",
        description = "Approves the staking registry and stakes --amount tokens (default: the registry's trainer minimum). "
                + "A trainer already staked adds the amount to its stake.")
final class StakeCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;
    @Mixin
    WalletOptions wallet;
    @Mixin
    Endpoints endpoints;
    @Option(names = "--amount", paramLabel = "TOKENS", description = "whole tokens, up to 18 decimals (default: the minimum)")
    String amount;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (TrainerChain chain = TrainerChain.connect(endpoints, wallet.unlock())) {
            StakingRegistry registry = chain.registry();
            BigInteger value = amount != null ? Tokens.parse(amount) : chain.guard("trainerMinStake", () -> registry.trainerMinStake().send());
            StakingRegistry.Account before = chain.guard("accountOf", () -> chain.client().staking().account(chain.address()));
            if (before.kind.intValue() == 2) {
                throw new IllegalArgumentException(chain.address() + " is registered as a zk-node; a trainer needs its own key");
            }
            if (before.kind.intValue() == 0) {
                chain.send("stakeAsTrainer", () -> chain.client().staking().stakeAsTrainer(value));
            } else {
                chain.send("approve", () -> chain.client().token().approve(chain.addresses().token(), chain.addresses().registry(), value));
                chain.send("addStake", () -> registry.addStake(value).send());
            }
            StakingRegistry.Account after = chain.guard("accountOf", () -> chain.client().staking().account(chain.address()));
            out.println("staked " + Tokens.format(value) + "; stake of " + chain.address() + " is now " + Tokens.format(after.stake));
            out.flush();
        }
        return TrainerCli.OK;
    }
}
