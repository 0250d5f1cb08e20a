package io.zkpfl.trainer.cli;

import io.zkpfl.protocol.model.ModelSpec;
import io.zkpfl.protocol.model.ParameterBlock;
import io.zkpfl.trainer.model.BuiltInModel;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Lists the built-in models, prints one as JSON, or validates a spec file. */
@Command(name = "models", mixinStandardHelpOptions = true,
        header = "Lists the built-in models and shows or validates a model specification.",
        description = "Lists the built-in models; --show NAME prints one's specification JSON; --spec FILE validates a file and prints its parameter layout.")
final class ModelsCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--show", paramLabel = "NAME", description = "print the specification of a built-in model")
    String show;

    @Option(names = "--spec", paramLabel = "FILE", description = "validate a specification file and print its parameter layout")
    Path specFile;

    @Override
    public Integer call() {
        CommandLine cmd = spec.commandLine();
        PrintWriter out = cmd.getOut();
        if (show != null) {
            try {
                out.println(BuiltInModel.byName(show).spec().toJson());
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(cmd, e.getMessage());
            }
        } else if (specFile != null) {
            ModelSpec s = ModelOptions.readSpec(specFile);
            out.println(specFile + ": valid, " + s.parameterCount() + " parameters");
            for (ParameterBlock b : s.parameterLayout()) {
                out.println(String.format(Locale.ROOT, "  layers[%d].%s %-20s offset %9d length %9d", b.layerIndex(), b.name(),
                        Arrays.toString(b.shape()), b.offset(), b.length()));
            }
        } else {
            out.println(String.format(Locale.ROOT, "%-8s %10s  %s", "name", "parameters", "description"));
            for (BuiltInModel m : BuiltInModel.values()) {
                out.println(String.format(Locale.ROOT, "%-8s %10d  %s", m.cliName(), m.spec().parameterCount(), m.description()));
            }
        }
        out.flush();
        return TrainerCli.OK;
    }
}
