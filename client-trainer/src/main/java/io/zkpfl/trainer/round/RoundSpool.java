package io.zkpfl.trainer.round;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a trainer delivers for one attempt, kept on disk before it commits: the manifest and the sealed envelopes
 * (ciphertexts only; no share, key or blinding is ever written). A trainer restarted after its commit finds its
 * messages here and publishes them again instead of dealing anew, so it never commits twice and the nodes still get
 * the envelopes whose digest is on chain.
 */
final class RoundSpool {

    private final Path dir;

    /** One trainer's messages: several trainers may share a state directory (one user running several keys). */
    RoundSpool(Path stateDir, long chainId, String market, String trainer, BigInteger job, int round, int attempt) {
        this.dir = stateDir.resolve("chain-" + chainId).resolve(market.toLowerCase()).resolve(trainer.toLowerCase())
                .resolve("job-" + job).resolve("round-" + round + "-attempt-" + attempt);
    }

    Path dir() {
        return dir;
    }

    /** Writes the manifest and envelopes (envelope key → bytes) before the commit. */
    void save(String manifestKey, byte[] manifest, Map<String, byte[]> envelopes) {
        try {
            Files.createDirectories(dir);
            Files.write(dir.resolve("manifest.bin"), manifest);
            Files.writeString(dir.resolve("manifest.key"), manifestKey);
            int n = 0;
            for (var e : envelopes.entrySet()) {
                Files.write(dir.resolve("envelope-" + n + ".bin"), e.getValue());
                Files.writeString(dir.resolve("envelope-" + n + ".key"), e.getKey());
                n++;
            }
            Files.deleteIfExists(dir.resolve("published"));
        } catch (IOException e) {
            throw new UncheckedIOException("the round's envelopes could not be kept in " + dir, e);
        }
    }

    /** The saved manifest, if any. */
    Optional<byte[]> manifest() {
        try {
            Path f = dir.resolve("manifest.bin");
            return Files.isRegularFile(f) ? Optional.of(Files.readAllBytes(f)) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String manifestKey() throws IOException {
        return Files.readString(dir.resolve("manifest.key"));
    }

    Map<String, byte[]> envelopes() throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (int n = 0; Files.isRegularFile(dir.resolve("envelope-" + n + ".bin")); n++) {
            out.put(Files.readString(dir.resolve("envelope-" + n + ".key")), Files.readAllBytes(dir.resolve("envelope-" + n + ".bin")));
        }
        return out;
    }

    boolean published() {
        return Files.exists(dir.resolve("published"));
    }

    void markPublished() {
        try {
            Files.writeString(dir.resolve("published"), "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
