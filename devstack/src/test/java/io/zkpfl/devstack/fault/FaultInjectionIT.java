package io.zkpfl.devstack.fault;

import io.zkpfl.devstack.DevStack;
import io.zkpfl.devstack.WithDevStack;
import io.zkpfl.devstack.chain.AnvilNode;
import io.zkpfl.devstack.chain.DevAccounts;
import io.zkpfl.protocol.ipfs.Cid;
import io.zkpfl.protocol.ipfs.KuboClient;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Stall, resume, kill and restart of each embedded component, as its clients see them: a stalled
 * component accepts connections and answers nothing, a killed one refuses connections, and a restarted one
 * serves on the same port what was stored before.
 */
@WithDevStack
class FaultInjectionIT {

    private static final Duration PATIENCE = Duration.ofSeconds(2);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(PATIENCE).build();

    private DevStack stack;

    @AfterEach
    void everythingRunsAgain() {
        if (stack == null) {
            return;
        }
        for (Component c : Component.values()) {
            FaultControl control = stack.faults(c);
            if (control.state() == FaultState.STALLED) {
                control.resume();
            } else if (control.state() == FaultState.KILLED) {
                control.restart();
            }
        }
    }

    @Test
    void postgresStallsResumesAndRestartsOnItsDataAndPort(DevStack stack) throws Exception {
        this.stack = stack;
        FaultControl pg = stack.faults(Component.POSTGRES);
        String table = "fault_" + UUID.randomUUID().toString().replace("-", "");
        sql(stack, "CREATE TABLE " + table + " (v text); INSERT INTO " + table + " VALUES ('before')");

        pg.stall();
        assertEquals(FaultState.STALLED, pg.state());
        assertTrue(accepts(stack.postgres().jdbcUrl()), "a stalled server still accepts connections");
        SQLException stalled = assertThrows(SQLException.class, () -> sql(stack, "SELECT 1"));
        assertTrue(stalled.getMessage().contains("timed out") || stalled.getMessage().contains("attempt"),
                stalled.getMessage());
        pg.resume();
        assertEquals(List.of("before"), column(stack, "SELECT v FROM " + table));

        sql(stack, "INSERT INTO " + table + " VALUES ('just before the kill')");
        pg.kill();
        assertEquals(FaultState.KILLED, pg.state());
        assertTrue(!accepts(stack.postgres().jdbcUrl()), "a killed server refuses connections");
        pg.restart();
        assertEquals(FaultState.RUNNING, pg.state());
        sql(stack, "INSERT INTO " + table + " VALUES ('after')");
        assertEquals(List.of("after", "before", "just before the kill"),
                column(stack, "SELECT v FROM " + table + " ORDER BY v"));
    }

    @Test
    void kafkaStallsResumesAndRestartsOnItsLogAndPort(DevStack stack) throws Exception {
        this.stack = stack;
        FaultControl kafka = stack.faults(Component.KAFKA);
        String topic = "fault-" + UUID.randomUUID();
        try (KafkaProducer<String, String> producer = producer(stack)) {
            producer.send(new ProducerRecord<>(topic, "k1", "before")).get(30, TimeUnit.SECONDS);

            kafka.stall();
            assertTrue(accepts("kafka://" + stack.kafka().bootstrapServers()));
            var pending = producer.send(new ProducerRecord<>(topic, "k2", "during"));
            assertThrows(TimeoutException.class, () -> pending.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS));
            kafka.resume();
            pending.get(30, TimeUnit.SECONDS);

            kafka.kill();
            assertTrue(!accepts("kafka://" + stack.kafka().bootstrapServers()));
            kafka.restart();
            assertEquals(FaultState.RUNNING, kafka.state());
            producer.send(new ProducerRecord<>(topic, "k3", "after")).get(60, TimeUnit.SECONDS);
        }
        assertEquals(List.of("k1=before", "k2=during", "k3=after"), consume(stack, topic, 3));
    }

    @Test
    void anvilStallsResumesAndRestartsFromItsStateOnItsPort(DevStack stack) throws Exception {
        this.stack = stack;
        FaultControl chain = stack.faults(Component.CHAIN);
        String rpc = stack.chain().rpcUrl();
        String to = DevAccounts.address(9);
        String balanceBefore = rpc(rpc, "eth_getBalance", "[\"" + to + "\",\"latest\"]");
        rpc(rpc, "eth_sendTransaction", "[{\"from\":\"" + DevAccounts.address(0) + "\",\"to\":\"" + to
                + "\",\"value\":\"0x1234\"}]");
        String block = rpc(rpc, "eth_blockNumber", "[]");
        String balance = rpc(rpc, "eth_getBalance", "[\"" + to + "\",\"latest\"]");
        assertTrue(!balance.equals(balanceBefore));

        chain.stall();
        assertTrue(accepts(rpc));
        assertThrows(HttpTimeoutException.class, () -> rpc(rpc, "eth_blockNumber", "[]"));
        chain.resume();
        assertEquals(block, rpc(rpc, "eth_blockNumber", "[]"));

        chain.kill();
        assertTrue(!accepts(rpc));
        assertThrows(ConnectException.class, () -> rpc(rpc, "eth_blockNumber", "[]"));
        chain.restart();
        assertEquals(rpc, stack.chain().rpcUrl());
        assertEquals(block, rpc(rpc, "eth_blockNumber", "[]"));
        assertEquals(balance, rpc(rpc, "eth_getBalance", "[\"" + to + "\",\"latest\"]"));
        assertTrue(((AnvilNode) stack.chain()).isAlive());
    }

    @Test
    void ipfsStallsResumesAndRestartsOnItsBlocksAndPortThroughTheAdminApi(DevStack stack) throws Exception {
        this.stack = stack;
        FaultControl ipfs = new RemoteFaultControl(stack.faultsUrl(), Component.IPFS);
        KuboClient client = new KuboClient(URI.create(stack.ipfs().apiUrl()), PATIENCE, PATIENCE);
        byte[] data = ("kept across restarts " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        Cid cid = client.add(data);

        ipfs.stall();
        assertEquals(FaultState.STALLED, stack.faults(Component.IPFS).state());
        assertTrue(accepts(stack.ipfs().apiUrl()));
        assertThrows(IOException.class, client::version);
        ipfs.resume();
        assertArrayEquals(data, client.catVerifiedBytes(cid, 1 << 20));

        ipfs.kill();
        assertEquals(FaultState.KILLED, ipfs.state());
        assertTrue(!accepts(stack.ipfs().apiUrl()));
        ipfs.restart();
        assertEquals(FaultState.RUNNING, ipfs.state());
        assertArrayEquals(data, client.catVerifiedBytes(cid, 1 << 20));
    }

    @Test
    void theAdminApiRefusesUnknownComponentsAndFaults(DevStack stack) throws Exception {
        for (String path : List.of("/zookeeper/stall", "/postgres/explode")) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(stack.faultsUrl() + path))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(404, r.statusCode(), r.body());
        }
        HttpResponse<String> states = HTTP.send(HttpRequest.newBuilder(URI.create(stack.faultsUrl())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals("{\"postgres\":\"RUNNING\",\"kafka\":\"RUNNING\",\"chain\":\"RUNNING\",\"ipfs\":\"RUNNING\"}",
                states.body());
    }

    private static boolean accepts(String url) {
        URI uri = URI.create(url.startsWith("jdbc:") ? url.substring(5) : url);
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), (int) PATIENCE.toMillis());
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void sql(DevStack stack, String statements) throws SQLException {
        try (Connection c = connect(stack); Statement s = c.createStatement()) {
            s.execute(statements);
        }
    }

    private static List<String> column(DevStack stack, String query) throws SQLException {
        try (Connection c = connect(stack); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            List<String> values = new ArrayList<>();
            while (rs.next()) {
                values.add(rs.getString(1));
            }
            return values;
        }
    }

    private static Connection connect(DevStack stack) throws SQLException {
        long seconds = PATIENCE.toSeconds();
        return DriverManager.getConnection(stack.postgres().jdbcUrl() + "?connectTimeout=" + seconds
                + "&socketTimeout=" + seconds + "&loginTimeout=" + seconds, stack.postgres().username(),
                stack.postgres().password());
    }

    private static KafkaProducer<String, String> producer(DevStack stack) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers(),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000),
                new StringSerializer(), new StringSerializer());
    }

    private static List<String> consume(DevStack stack, String topic, int count) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new StringDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            List<String> seen = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (seen.size() < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    seen.add(r.key() + "=" + r.value());
                }
            }
            return seen;
        }
    }

    private static String rpc(String url, String method, String params) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(PATIENCE)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method
                        + "\",\"params\":" + params + "}")).build(), HttpResponse.BodyHandlers.ofString());
        String body = r.body();
        int at = body.indexOf("\"result\":");
        if (at < 0) {
            throw new IOException(body);
        }
        return body.substring(at + 9, body.lastIndexOf('}'));
    }
}
