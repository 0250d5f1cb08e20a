package io.zkpfl.trainer.cli;

import io.zkpfl.protocol.model.FlatParameters;
import io.zkpfl.protocol.model.ModelSpec;
import io.zkpfl.protocol.model.ModelSpecException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Weights on disk: the canonical flat vector as little-endian float32, nothing else. */
final class WeightsFile {

    private WeightsFile() {
    }

    static float[] read(Path file, ModelSpec spec) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("weights file " + file + " does not exist");
        }
        long expected = spec.parameterCount() * Float.BYTES;
        if (Files.size(file) != expected) {
            throw new IllegalArgumentException("weights file " + file + " has " + Files.size(file) + " bytes but the model needs "
                    + expected + " (" + spec.parameterCount() + " float32 values)");
        }
        try {
            return FlatParameters.decode(Files.readAllBytes(file), spec);
        } catch (ModelSpecException e) {
            throw new IllegalArgumentException("weights file " + file + ": " + e.reason(), e);
        }
    }

    static void write(Path file, byte[] bytes) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".part");
        Files.write(tmp, bytes);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
