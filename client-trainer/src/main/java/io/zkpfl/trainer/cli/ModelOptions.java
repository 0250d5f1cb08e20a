package io.zkpfl.trainer.cli;

import io.zkpfl.protocol.model.ModelSpec;
import io.zkpfl.protocol.model.ModelSpecException;
import io.zkpfl.trainer.model.BuiltInModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** {@code --model NAME} or {@code --spec FILE}: which network to use. */
final class ModelOptions {

    /** Largest spec file read, in bytes. */
    static final long MAX_SPEC_BYTES = 1 << 20;

    @Option(names = "--model", paramLabel = "NAME", description = "built-in model: logreg, mlp or cnn (default: mlp)")
    String model;

    @Option(names = "--spec", paramLabel = "FILE", description = "model specification JSON file (instead of --model)")
    Path specFile;

    /** The chosen specification. */
    ModelSpec resolve(CommandLine cmd) {
        if (model != null && specFile != null) {
            throw new CommandLine.ParameterException(cmd, "give either --model or --spec, not both");
        }
        if (specFile != null) {
            return readSpec(specFile);
        }
        try {
            return BuiltInModel.byName(model == null ? "mlp" : model).spec();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cmd, e.getMessage());
        }
    }

    /** Human-readable name of the chosen model. */
    String label() {
        return specFile != null ? specFile.getFileName().toString() : model == null ? "mlp" : model;
    }

    static ModelSpec readSpec(Path file) {
        String json;
        try {
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("spec file " + file + " does not exist");
            }
            if (Files.size(file) > MAX_SPEC_BYTES) {
                throw new IllegalArgumentException("spec file " + file + " is larger than " + MAX_SPEC_BYTES + " bytes");
            }
            json = Files.readString(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read spec file " + file + ": " + e.getMessage(), e);
        }
        try {
            return ModelSpec.parse(json);
        } catch (ModelSpecException e) {
            throw new IllegalArgumentException("spec file " + file + ": " + e.getMessage(), e);
        }
    }
}
