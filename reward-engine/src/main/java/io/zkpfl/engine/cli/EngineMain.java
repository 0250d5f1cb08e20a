package io.zkpfl.engine.cli;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java -jar quarkus-run.jar} runs the service; {@code … reconcile …} and {@code … replay …} run the offline
 * commands without starting it (no database, no Kafka: the chain and IPFS only).
 */
@QuarkusMain
public final class EngineMain {

    @Command(name = "reward-engine", mixinStandardHelpOptions = true,
            description = "zkPFL reward engine. Without a command it runs the service (configuration: "
                    + "application.properties, -D properties or environment variables).",
            subcommands = {ReconcileCommand.class, ReplayCommand.class})
    static final class Tools {
    }

    public static void main(String... args) {
        if (args.length > 0 && (args[0].equals("reconcile") || args[0].equals("replay") || args[0].equals("--help")
                || args[0].equals("-h"))) {
            CommandLine cli = new CommandLine(new Tools());
            cli.setExecutionExceptionHandler((e, commandLine, parsed) -> {
                commandLine.getErr().println(commandLine.getCommandName() + ": " + e.getMessage());
                return 2;
            });
            System.exit(cli.execute(args));
        }
        Quarkus.run(args);
    }
}
