package io.zkpfl.devstack.postgres;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EmbeddedPostgresServerIT {

    private static EmbeddedPostgresServer server;

    @BeforeAll
    static void start() {
        server = EmbeddedPostgresServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(server.jdbcUrl(), server.username(), server.password());
    }

    @Test
    @Order(1)
    void selectOneOnTheZkpflDatabase() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select 1, current_database(), inet_server_addr()::text")) {
            assertTrue(rs.next());
            assertEquals(1, rs.getInt(1));
            assertEquals("zkpfl", rs.getString(2));
            assertEquals("127.0.0.1/32", rs.getString(3));
        }
    }

    @Test
    @Order(2)
    void tableRoundTripKeepsRowsAndRejectsDuplicates() throws SQLException {
        byte[] payload = {0, 1, 2, (byte) 0xff};
        try (Connection c = connect()) {
            try (Statement s = c.createStatement()) {
                s.execute("create table roundtrip(id bigint primary key, name text not null, data bytea)");
            }
            try (PreparedStatement p = c.prepareStatement("insert into roundtrip values (?, ?, ?)")) {
                p.setLong(1, 42);
                p.setString(2, "zkPFL ✓");
                p.setBytes(3, payload);
                assertEquals(1, p.executeUpdate());
                SQLException dup = assertThrows(SQLException.class, p::executeUpdate);
                assertEquals("23505", dup.getSQLState());
            }
        }
        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select id, name, data from roundtrip")) {
            assertTrue(rs.next());
            assertEquals(42, rs.getLong(1));
            assertEquals("zkPFL ✓", rs.getString(2));
            assertArrayEquals(payload, rs.getBytes(3));
            assertFalse(rs.next());
        }
    }

    @Test
    @Order(3)
    void urlsNameTheSamePortAndDatabase() {
        assertEquals("jdbc:postgresql://127.0.0.1:" + server.port() + "/zkpfl", server.jdbcUrl());
        assertEquals("postgresql://127.0.0.1:" + server.port() + "/zkpfl", server.reactiveUrl());
        assertEquals("zkpfl", server.database());
    }

    /** Runs last: closes the class's server (one PostgreSQL start fewer than a separate instance). */
    @Test
    @Order(Integer.MAX_VALUE)
    void closeStopsTheServerFreesThePortAndDeletesTheDataDirectory() throws Exception {
        EmbeddedPostgresServer temp = server;
        Path dataDir = temp.dataDirectory();
        int port = temp.port();
        long pid = temp.pid();
        assertTrue(Files.isDirectory(dataDir));
        temp.close();
        temp.close();
        assertFalse(Files.exists(dataDir), dataDir + " still exists");
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        assertThrows(SQLException.class, () -> DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + port + "/zkpfl?connectTimeout=2", "postgres", "postgres").close());
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertEquals(port, s.getLocalPort());
        } catch (IOException e) {
            throw new AssertionError("port " + port + " still bound", e);
        }
    }
}
