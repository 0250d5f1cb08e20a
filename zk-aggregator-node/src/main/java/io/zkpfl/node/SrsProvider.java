package io.zkpfl.node;

import io.zkpfl.zk.kzg.Srs;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The platform's SRS from the snarkjs {@code .ptau} file {@code zkpfl.srs.ptau}: {@code D} tauG1 powers (the job's
 * bucket) and {@code m + 2} alphaTauG1 powers, read and checked once per shape.
 */
@ApplicationScoped
public class SrsProvider {

    private final Optional<String> ptau;
    private final Map<String, Srs> cache = new ConcurrentHashMap<>();

    public SrsProvider(@ConfigProperty(name = "zkpfl.srs.ptau") Optional<String> ptau) {
        this.ptau = ptau;
    }

    public Srs srs(int length, int blindingLength) {
        return cache.computeIfAbsent(length + "/" + blindingLength, key -> {
            Path file = Path.of(ptau.orElseThrow(() -> new IllegalStateException(
                    "zkpfl.srs.ptau is not set: the node needs the platform's .ptau file")));
            if (!Files.isReadable(file)) {
                throw new IllegalStateException("zkpfl.srs.ptau: cannot read " + file);
            }
            try {
                return Srs.fromPtau(file, length, blindingLength);
            } catch (IOException e) {
                throw new UncheckedIOException("zkpfl.srs.ptau: " + e.getMessage(), e);
            }
        });
    }

    public boolean configured() {
        return ptau.isPresent() && Files.isReadable(Path.of(ptau.get()));
    }
}
