package io.zkpfl.marketplace.job;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.zkpfl.devstack.DevStack;
import io.zkpfl.devstack.quarkus.DevStackTestResource;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/** The JobPosted event, read back from the broker with a plain Kafka consumer. */
@QuarkusTest
@QuarkusTestResource(value = DevStackTestResource.class, restrictToAnnotatedClass = false)
class JobPostedEventIT {

    @Test
    void aPostedJobIsAnnouncedOnceOnTheJobsTopic() throws Exception {
        String body = JobResourceIT.job().signedBy(JobResourceIT.OWNER_KEY);
        JsonPath job = given().contentType(ContentType.JSON).body(body).when().post("/api/v1/jobs")
                .then().statusCode(201).extract().jsonPath();
        long id = job.getLong("id");
        // a replay must not produce a second event
        given().contentType(ContentType.JSON).body(body).when().post("/api/v1/jobs").then().statusCode(200);

        List<ConsumerRecord<String, String>> all = new ArrayList<>();
        List<ConsumerRecord<String, String>> mine = List.of();
        try (KafkaConsumer<String, String> consumer = consumer()) {
            consumer.subscribe(List.of("zkpfl.jobs"));
            Instant deadline = Instant.now().plusSeconds(30);
            while (Instant.now().isBefore(deadline) && mine.isEmpty()) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.key().equals(String.valueOf(id))) {
                        all.add(record);
                    }
                }
                mine = ofType(all, "JobPosted");
            }
            // the relayer then creates it on chain: one JobOnChain under the same key
            while (Instant.now().isBefore(deadline) && ofType(all, "JobOnChain").isEmpty()) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.key().equals(String.valueOf(id))) {
                        all.add(record);
                    }
                }
            }
            // give a duplicate the chance to show up
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofSeconds(2))) {
                if (record.key().equals(String.valueOf(id))) {
                    all.add(record);
                }
            }
        }
        mine = ofType(all, "JobPosted");
        List<ConsumerRecord<String, String>> onChain = ofType(all, "JobOnChain");
        assertEquals(1, onChain.size(), "exactly one JobOnChain for job " + id);
        JsonNode created = new ObjectMapper().readTree(onChain.get(0).value());
        assertEquals(id, created.get("jobId").asLong());
        assertEquals(SignedJob.market(), created.get("market").asText());
        String chainJobId = given().when().get("/api/v1/jobs/" + id).then().statusCode(200).extract().jsonPath()
                .getString("submission.chainJobId");
        assertEquals(chainJobId, created.get("chainJobId").asText());
        assertTrue(created.get("txHash").asText().matches("0x[0-9a-f]{64}"));
        assertEquals(1, mine.size(), "exactly one JobPosted for job " + id);
        ConsumerRecord<String, String> record = mine.get(0);
        assertEquals("JobPosted", new String(record.headers().lastHeader("type").value(), StandardCharsets.UTF_8));
        JsonNode event = new ObjectMapper().readTree(record.value());
        assertEquals("JobPosted", event.get("type").asText());
        assertEquals(id, event.get("jobId").asLong());
        assertEquals(job.getString("digest"), event.get("digest").asText());
        assertEquals(job.getString("artifacts.'weights.bin'.cid"), event.get("weightsCid").asText());
        assertEquals(JobResourceIT.OWNER, event.get("owner").asText());
        assertEquals(SignedJob.TINY_PARAMETERS, event.get("parameterCount").asInt());
        assertNotNull(event.get("postedAt"));
        assertTrue(event.get("modelCid").asText().startsWith("Qm"));
    }

    private static List<ConsumerRecord<String, String>> ofType(List<ConsumerRecord<String, String>> records, String type) {
        return records.stream()
                .filter(r -> type.equals(new String(r.headers().lastHeader("type").value(), StandardCharsets.UTF_8)))
                .toList();
    }

    private static KafkaConsumer<String, String> consumer() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, DevStack.shared().serviceProperties().get(DevStack.KAFKA_BOOTSTRAP_SERVERS));
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return new KafkaConsumer<>(props);
    }
}
