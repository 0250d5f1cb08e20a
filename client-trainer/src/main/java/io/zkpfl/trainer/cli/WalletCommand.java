package io.zkpfl.trainer.cli;

import io.zkpfl.contracts.generated.StakingRegistry;
import io.zkpfl.trainer.chain.Endpoints;
import io.zkpfl.trainer.chain.TrainerChain;
import io.zkpfl.trainer.wallet.Keystore;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code wallet new|import|show}. */
@Command(name = "wallet", mixinStandardHelpOptions = true,
        header = "Creates, imports or shows the trainer's keystore.",
        description = "The trainer signs with one key kept in a Web3 Secret Storage keystore (default "
                + "~/.zkpfl/trainer/keystore.json). The password comes from --password-file or ZKPFL_WALLET_PASSWORD.",
        subcommands = {WalletCommand.New.class, WalletCommand.Import.class, WalletCommand.Show.class})
final class WalletCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required (new, import, show)");
    }

    @Command(name = "new", mixinStandardHelpOptions = true, header = "Creates a keystore for a fresh key.",
            description = "Creates a keystore for a fresh secp256k1 key and prints its address.")
    static final class New implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin
        WalletOptions wallet;
        @Option(names = "--light", description = "scrypt n = 4096 instead of 262144 (fast; for dev and test wallets)")
        boolean light;

        @Override
        public Integer call() throws Exception {
            String address = Keystore.create(wallet.keystore(), wallet.password(true), light);
            PrintWriter out = spec.commandLine().getOut();
            out.println("address " + address);
            out.println("keystore " + wallet.keystore());
            out.flush();
            return TrainerCli.OK;
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true, header = "Creates a keystore for an existing private key.",
            description = "Reads a hex private key from --private-key-file (or env ZKPFL_PRIVATE_KEY), encrypts it into "
                    + "the keystore and prints its address.")
    static final class Import implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin
        WalletOptions wallet;
        @Option(names = "--private-key-file", paramLabel = "FILE", description = "file holding the key as hex")
        Path keyFile;
        @Option(names = "--light", description = "scrypt n = 4096 instead of 262144 (fast; for dev and test wallets)")
        boolean light;

        @Override
        public Integer call() throws Exception {
            String key;
            if (keyFile != null) {
                if (!Files.isRegularFile(keyFile)) {
                    throw new IllegalArgumentException("private key file " + keyFile + " does not exist");
                }
                key = Files.readString(keyFile, StandardCharsets.UTF_8).strip();
            } else if (System.getenv("ZKPFL_PRIVATE_KEY") != null) {
                key = System.getenv("ZKPFL_PRIVATE_KEY").strip();
            } else {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "give --private-key-file FILE or set ZKPFL_PRIVATE_KEY");
            }
            String address = Keystore.importKey(wallet.keystore(), key, wallet.password(true), light);
            PrintWriter out = spec.commandLine().getOut();
            out.println("address " + address);
            out.println("keystore " + wallet.keystore());
            out.flush();
            return TrainerCli.OK;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, header = "Shows the address, its balances and its stake.",
            description = {"Prints the keystore's address; with --check-password also decrypts it; with --rpc (or any "
                    + "connection option) also its ether, token balance and stake."})
    static final class Show implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin
        WalletOptions wallet;
        @Mixin
        Endpoints endpoints;
        @Option(names = "--check-password", description = "decrypt the keystore to check the password")
        boolean checkPassword;
        @Option(names = "--offline", description = "do not contact the chain")
        boolean offline;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            String address = Keystore.address(wallet.keystore());
            if (checkPassword) {
                String unlocked = wallet.unlock().getAddress();
                if (!unlocked.equalsIgnoreCase(address)) {
                    throw new IllegalArgumentException("keystore " + wallet.keystore() + " holds the key of " + unlocked
                            + " but names " + address);
                }
            }
            out.println("address " + address);
            out.println("keystore " + wallet.keystore());
            if (!offline) {
                try (TrainerChain chain = TrainerChain.connect(endpoints, null)) {
                    StakingRegistry.Account a = chain.guard("accountOf", () -> chain.client().staking().account(address));
                    out.println("ether " + Tokens.format(chain.etherBalance(address)));
                    out.println("tokens " + Tokens.format(chain.guard("balanceOf",
                            () -> chain.client().token().balanceOf(chain.addresses().token(), address))));
                    out.println("stake " + Tokens.format(a.stake) + (a.kind.intValue() == 1 ? " (trainer)"
                            : a.kind.intValue() == 2 ? " (node)" : " (not staked)") + ", locked by " + a.locks + " job(s)");
                    out.println("unbonding " + Tokens.format(a.unbonding) + (a.unbonding.signum() > 0
                            ? " (withdrawable after block time " + a.unbondingEndsAt + ")" : ""));
                }
            }
            out.flush();
            return TrainerCli.OK;
        }
    }
}
