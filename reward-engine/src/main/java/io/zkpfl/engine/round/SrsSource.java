package io.zkpfl.engine.round;

import io.zkpfl.zk.kzg.Srs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** The platform's SRS from its {@code .ptau} file, read once per (vector length, blinding length). */
public final class SrsSource {

    private final Path file;
    private final Map<String, Srs> cache = new HashMap<>();

    public SrsSource(Path file) {
        this.file = file;
    }

    public synchronized Srs forLengths(int length, int blinding) {
        return cache.computeIfAbsent(length + "/" + blinding, k -> {
            try {
                return Srs.fromPtau(file, length, blinding);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the SRS " + file, e);
            }
        });
    }
}
