package io.zkpfl.zk.kzg;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.function.Consumer;

/**
 * The development SRS (docs/adr/0068-dev-srs-and-round-platform.md): a powers-of-tau file made on this machine by
 * the project's own phase-1 ceremony — three contributions with fresh entropy from {@link SecureRandom} that is
 * never stored — checked with {@link PowersOfTau#verify} and cached, so the demo, the services and the tests share
 * one file. Whoever could read this process's memory while it ran could break binding: it binds nothing outside
 * a dev machine. Production points every service at a public ceremony's {@code .ptau} instead.
 */
public final class DevSrs {

    /** Contributions made to a new dev SRS. */
    public static final int CONTRIBUTIONS = 3;

    private DevSrs() {
    }

    /**
     * The dev SRS of {@code 2^power} in {@code dir} ({@code dev-<power>.ptau}), made if missing (a half-written file
     * never replaces a good one: it is written aside and moved into place).
     *
     * @param progress told what is happening, one line at a time
     * @return the file
     * @throws IllegalStateException if an existing file is smaller than asked for
     * @throws PtauException if an existing file is malformed (delete it to make a new one); the
     *     services check the points they use when they load it
     */
    public static Path ensure(Path dir, int power, Consumer<String> progress) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve("dev-" + power + ".ptau");
        if (Files.isRegularFile(file)) {
            Ptau existing = Ptau.read(file, 2, 2);
            if (existing.power() < power) {
                throw new IllegalStateException(file + " holds 2^" + existing.power() + " powers, not 2^" + power);
            }
            return file;
        }
        SecureRandom entropy = new SecureRandom();
        Ptau ptau = PowersOfTau.start(power);
        for (int c = 1; c <= CONTRIBUTIONS; c++) {
            progress.accept("dev SRS 2^" + power + ": contribution " + c + " of " + CONTRIBUTIONS);
            ptau = PowersOfTau.contribute(ptau, "zkpfl-dev-" + c, entropy);
        }
        progress.accept("dev SRS 2^" + power + ": verifying the transcript");
        PowersOfTau.Verification v = PowersOfTau.verify(ptau);
        if (v.contributions() != CONTRIBUTIONS) {
            throw new IllegalStateException("dev SRS transcript holds " + v.contributions() + " contributions");
        }
        Path tmp = Files.createTempFile(dir, "dev-" + power, ".ptau.part");
        try {
            ptau.write(tmp);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        progress.accept("dev SRS 2^" + power + ": written to " + file);
        return file;
    }
}
