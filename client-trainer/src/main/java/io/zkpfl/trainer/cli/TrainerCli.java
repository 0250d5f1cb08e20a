package io.zkpfl.trainer.cli;

import io.zkpfl.protocol.model.ModelSpecException;
import io.zkpfl.trainer.data.DatasetException;
import io.zkpfl.trainer.round.TrainerException;
import java.io.IOException;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code client-trainer} command line. Exit codes: {@value #OK} success, {@value #BAD_INPUT} bad
 * input (missing or malformed data, spec, weights or files), {@value #USAGE} bad command-line usage,
 * {@value #INTERNAL} an unexpected failure, {@value #REFUSED} a refusal (not staked, job full or closed, model hash
 * mismatch, wrong password, a revert), {@value #UNAVAILABLE} the chain, Kafka, IPFS or the marketplace cannot be
 * reached. Errors are one line on stderr.
 */
@Command(name = "client-trainer",
        mixinStandardHelpOptions = true,
        versionProvider = TrainerCli.Version.class,
        description = {"Takes part in zkPFL jobs as a trainer (wallet, stake, jobs, join, run, rewards), and prepares data,",
            "trains and evaluates models locally and simulates plaintext FedAvg. A model owner posts, follows and",
            "fetches jobs with 'job post|watch|fetch'."},
        subcommands = {WalletCommand.class, StakeCommand.class, UnstakeCommand.class, JobsCommand.class, JoinCommand.class,
            RunCommand.class, RewardsCommand.class, ReleaseCommand.class, PartitionCommand.class, TrainCommand.class, EvaluateCommand.class,
            SimulateCommand.class, ModelsCommand.class, JobCommand.class, CommandLine.HelpCommand.class})
public final class TrainerCli implements Runnable {

    /** Success. */
    public static final int OK = 0;
    /** Bad input: data, model spec or weights. */
    public static final int BAD_INPUT = 1;
    /** Bad command-line usage. */
    public static final int USAGE = 2;
    /** Unexpected failure. */
    public static final int INTERNAL = 3;
    /** A refusal: the chain, a check or the wallet said no. */
    public static final int REFUSED = TrainerException.REFUSED;
    /** A dependency could not be reached. */
    public static final int UNAVAILABLE = TrainerException.UNAVAILABLE;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
    }

    /** Entry point of the jar. */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** A configured command line: case-insensitive enum values, one-line errors, the exit codes above. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new TrainerCli());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setParameterExceptionHandler((ex, args) -> {
            CommandLine cmd = ex.getCommandLine();
            cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": " + ex.getMessage()
                    + " (see '" + cmd.getCommandSpec().qualifiedName() + " --help')");
            cmd.getErr().flush();
            return USAGE;
        });
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof TrainerException te) {
                cmd.getErr().println("error: " + te.getMessage().replace('\n', ' '));
                cmd.getErr().flush();
                return te.exitCode();
            }
            boolean expected = ex instanceof DatasetException || ex instanceof ModelSpecException
                    || ex instanceof IOException || ex instanceof UncheckedIOException || ex instanceof IllegalArgumentException;
            String message = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage().replace('\n', ' ');
            cmd.getErr().println("error: " + (expected ? message : "unexpected " + ex.getClass().getSimpleName() + ": " + message));
            cmd.getErr().flush();
            return expected ? BAD_INPUT : INTERNAL;
        });
        return cli;
    }

    /** The jar's implementation version. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = TrainerCli.class.getPackage().getImplementationVersion();
            return new String[] {"client-trainer " + (v == null ? "development build" : v)};
        }
    }
}
