package io.zkpfl.devstack;

import io.zkpfl.devstack.chain.AnvilNode;
import io.zkpfl.devstack.chain.ChainEndpoint;
import io.zkpfl.devstack.ipfs.IpfsEndpoint;
import io.zkpfl.devstack.ipfs.IpfsStore;
import io.zkpfl.devstack.kafka.EmbeddedKafkaBroker;
import io.zkpfl.devstack.kafka.KafkaEndpoint;
import io.zkpfl.devstack.postgres.EmbeddedPostgresServer;
import io.zkpfl.devstack.postgres.PostgresEndpoint;
import io.zkpfl.devstack.quarkus.DevStackTestResource;
import io.zkpfl.protocol.ipfs.KuboClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@WithDevStack
class DevStackIT {

    @Test
    void injectsTheSharedStackWithAllFourEmbeddedComponents(DevStack stack) {
        assertSame(DevStack.shared(), stack);
        assertInstanceOf(EmbeddedPostgresServer.class, stack.postgres());
        assertInstanceOf(EmbeddedKafkaBroker.class, stack.kafka());
        assertInstanceOf(AnvilNode.class, stack.chain());
        assertInstanceOf(IpfsStore.class, stack.ipfs());
        stack.close(); // no effect on the shared instance
        assertTrue(((AnvilNode) stack.chain()).isAlive());
    }

    @Test
    void servicePropertiesReachEveryComponent(DevStack stack) throws Exception {
        Map<String, String> p = stack.serviceProperties();
        assertEquals(List.of("quarkus.datasource.reactive.url", "quarkus.datasource.username",
                "quarkus.datasource.password", "quarkus.datasource.jdbc.url", "kafka.bootstrap.servers",
                "zkpfl.chain.rpc-url", "zkpfl.chain.id", "zkpfl.ipfs.api-url"), List.copyOf(p.keySet()));
        assertEquals("jdbc:" + p.get("quarkus.datasource.reactive.url"), p.get("quarkus.datasource.jdbc.url"));
        try (Connection c = DriverManager.getConnection(p.get("quarkus.datasource.jdbc.url"),
                p.get("quarkus.datasource.username"), p.get("quarkus.datasource.password"));
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select current_database()")) {
            assertTrue(rs.next());
            assertEquals("zkpfl", rs.getString(1));
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                p.get("kafka.bootstrap.servers")))) {
            assertEquals(1, admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).size());
        }
        assertEquals("31337", p.get("zkpfl.chain.id"));
        assertEquals(31337L, ChainEndpoint.External.probe(p.get("zkpfl.chain.rpc-url")).chainId());
        assertEquals(IpfsStore.VERSION, KuboClient.create(p.get("zkpfl.ipfs.api-url")).version());
    }

    /** A loader that defines devstack's classes itself, as Quarkus's test class loader does. */
    private static final class ChildFirstLoader extends java.net.URLClassLoader {
        ChildFirstLoader() {
            super(new java.net.URL[] {DevStack.class.getProtectionDomain().getCodeSource().getLocation()},
                    DevStack.class.getClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                if (!name.startsWith("io.zkpfl.devstack.")) {
                    return super.loadClass(name, resolve);
                }
                Class<?> c = findLoadedClass(name);
                return c != null ? c : findClass(name);
            }
        }
    }

    @Test
    void sharedStackIsFoundFromAnotherClassLoaderInsteadOfStartingASecondOne(DevStack stack) throws Exception {
        try (ChildFirstLoader loader = new ChildFirstLoader()) {
            Class<?> other = loader.loadClass(DevStack.class.getName());
            assertNotEquals(DevStack.class, other);
            Object view = other.getMethod("shared").invoke(null);
            assertEquals(stack.serviceProperties(), other.getMethod("serviceProperties").invoke(view));
            assertEquals("External", other.getMethod("postgres").invoke(view).getClass().getSimpleName());
        }
        assertFalse(System.getProperties().toString().contains(DevStack.SHARED_PREFIX + DevStack.DATASOURCE_PASSWORD));
    }

    @Test
    void quarkusTestResourceReturnsTheSameProperties(DevStack stack) {
        DevStackTestResource resource = new DevStackTestResource();
        assertEquals(stack.serviceProperties(), resource.start());
        resource.stop();
        assertTrue(((AnvilNode) stack.chain()).isAlive());
    }

    @Test
    void externalEndpointsAreUsedAndNothingIsStarted(DevStack shared) {
        Map<String, String> env = new HashMap<>();
        env.put(DevStackConfig.POSTGRES_URL, shared.postgres().reactiveUrl());
        env.put(DevStackConfig.POSTGRES_USER, "postgres");
        env.put(DevStackConfig.POSTGRES_PASSWORD, "s3cret");
        env.put(DevStackConfig.KAFKA_BOOTSTRAP, shared.kafka().bootstrapServers());
        env.put(DevStackConfig.CHAIN_RPC_URL, shared.chain().rpcUrl());
        env.put(DevStackConfig.IPFS_API_URL, shared.ipfs().apiUrl());
        try (DevStack external = DevStack.start(DevStackConfig.fromLookup(env::get))) {
            assertInstanceOf(PostgresEndpoint.External.class, external.postgres());
            assertInstanceOf(KafkaEndpoint.External.class, external.kafka());
            assertInstanceOf(ChainEndpoint.External.class, external.chain());
            assertInstanceOf(IpfsEndpoint.External.class, external.ipfs());
            Map<String, String> p = external.serviceProperties();
            assertEquals(shared.postgres().jdbcUrl(), p.get("quarkus.datasource.jdbc.url"));
            assertEquals("s3cret", p.get("quarkus.datasource.password"));
            assertEquals("31337", p.get("zkpfl.chain.id"));
            assertFalse(external.toString().contains("s3cret"), "password leaked into toString");
        }
        // closing a stack of external endpoints leaves them running
        assertTrue(((AnvilNode) shared.chain()).isAlive());
    }

    @Test
    void malformedOrUnreachableExternalEndpointsFailClearly() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> DevStackConfig.fromLookup(
                Map.of(DevStackConfig.POSTGRES_URL, "mysql://db/x")::get));
        assertThrows(IllegalArgumentException.class, () -> DevStackConfig.fromLookup(
                Map.of(DevStackConfig.IPFS_API_URL, "ftp://x")::get));
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String dead = "http://127.0.0.1:" + port;
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ChainEndpoint.External.probe(dead));
        assertTrue(e.getMessage().contains("does not answer eth_chainId"), e.getMessage());
    }

    @Test
    void environmentVariableNamesFollowTheProperties() {
        assertEquals("ZKPFL_DEVSTACK_CHAIN_RPC_URL", DevStackConfig.envName(DevStackConfig.CHAIN_RPC_URL));
        assertEquals("ZKPFL_DEVSTACK_POSTGRES_URL", DevStackConfig.envName(DevStackConfig.POSTGRES_URL));
    }

    @Test
    void mainPrintsHelpAndRejectsUnknownOptionsWithOneLine(DevStack stack) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        var cl = DevStackMain.commandLine(new PrintStream(out, true, StandardCharsets.UTF_8));
        cl.setOut(new java.io.PrintWriter(out, true, StandardCharsets.UTF_8));
        cl.setErr(new java.io.PrintWriter(err, true, StandardCharsets.UTF_8));
        assertEquals(0, cl.execute("--help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("--ipfs-dir"));
        assertNotEquals(0, cl.execute("--bogus"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("Unknown option: '--bogus'"));

        String table = DevStackMain.table(stack, 1.25);
        assertTrue(table.contains("ready in 1.3 s"), table);
        assertTrue(table.contains(stack.postgres().jdbcUrl()));
        assertTrue(table.contains(stack.kafka().bootstrapServers()));
        assertTrue(table.contains(stack.chain().rpcUrl()));
        assertTrue(table.contains(stack.ipfs().apiUrl()));
    }
}
