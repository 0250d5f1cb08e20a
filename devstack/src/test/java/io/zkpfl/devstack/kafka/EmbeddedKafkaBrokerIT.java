package io.zkpfl.devstack.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbeddedKafkaBrokerIT {

    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void start() {
        broker = EmbeddedKafkaBroker.start();
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    @Test
    void aFatalFaultOfTheBrokerIsReportedInsteadOfEndingTheHostJvm() {
        long before = EmbeddedKafkaBroker.fatalFaults();
        // what Kafka's ProcessTerminatingFaultHandler does on a fault it deems fatal
        IllegalStateException halted = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> org.apache.kafka.common.utils.Exit.halt(1, "metadata publishing failed"));
        assertTrue(halted.getMessage().contains("status 1: metadata publishing failed"), halted.getMessage());
        IllegalStateException exited = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> org.apache.kafka.common.utils.Exit.exit(1));
        assertTrue(exited.getMessage().contains("status 1"), exited.getMessage());
        assertEquals(before + 2, EmbeddedKafkaBroker.fatalFaults());
    }

    @Test
    void plainProducerAndConsumerRoundTrip() throws Exception {
        String topic = "devstack-roundtrip";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            assertTrue(admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(topic));
        }
        Map<String, Object> producerConf = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConf)) {
            for (int i = 0; i < 3; i++) {
                RecordMetadata md = producer.send(new ProducerRecord<>(topic, "job-" + i, "{\"n\":" + i + "}"))
                        .get(30, TimeUnit.SECONDS);
                assertEquals(i, md.offset());
            }
        }
        Map<String, Object> consumerConf = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "devstack-it",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<String> received = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConf)) {
            consumer.subscribe(Set.of(topic));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (received.size() < 3 && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    received.add(r.key() + "=" + r.value());
                }
            }
            consumer.commitSync();
        }
        assertEquals(List.of("job-0={\"n\":0}", "job-1={\"n\":1}", "job-2={\"n\":2}"), received);
    }

    @Test
    void clusterHasOneNodeOnTheAdvertisedLoopbackPort() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            var cluster = admin.describeCluster();
            var nodes = cluster.nodes().get(30, TimeUnit.SECONDS);
            assertEquals(1, nodes.size());
            assertEquals("127.0.0.1", nodes.iterator().next().host());
            assertEquals(broker.port(), nodes.iterator().next().port());
            assertEquals(broker.clusterId(), cluster.clusterId().get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void closeShutsDownFreesPortsAndDeletesLogs() {
        EmbeddedKafkaBroker temp = EmbeddedKafkaBroker.start();
        Path logDir = temp.logDirectory();
        int port = temp.port();
        int controllerPort = temp.controllerPort();
        assertTrue(Files.isDirectory(logDir));
        temp.close();
        temp.close();
        assertFalse(Files.exists(logDir), logDir + " still exists");
        for (int p : new int[] {port, controllerPort}) {
            try (ServerSocket s = new ServerSocket(p, 1, InetAddress.getLoopbackAddress())) {
                assertEquals(p, s.getLocalPort());
            } catch (IOException e) {
                throw new AssertionError("port " + p + " still bound", e);
            }
        }
    }
}
