package io.zkpfl.marketplace.job;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.zkpfl.devstack.DevStack;
import io.zkpfl.devstack.fault.Component;
import io.zkpfl.devstack.fault.FaultControl;
import io.zkpfl.devstack.fault.FaultState;
import io.zkpfl.devstack.quarkus.DevStackTestResource;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The service under a stalled, killed and restarted PostgreSQL, Kafka, chain and IPFS store: requests
 * answer within the deadline (a 503 naming the dependency, or, for Kafka, which only the outbox needs,
 * a success), readiness goes DOWN and liveness stays UP; once the dependency is back everything works
 * without restarting the service, and every accepted job is on chain once and announced once per kind.
 */
@QuarkusTest
@QuarkusTestResource(value = DevStackTestResource.class, restrictToAnnotatedClass = false)
class DependencyFaultIT {

    /** The configured deadline (3 s) plus what a loaded 2-core machine adds to a request. */
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(6);
    private static final Duration RECOVER_WITHIN = Duration.ofSeconds(60);

    private final List<Long> accepted = new ArrayList<>();

    @AfterEach
    void restore() {
        for (Component c : Component.values()) {
            FaultControl control = DevStack.shared().faults(c);
            if (control.state() == FaultState.STALLED) {
                control.resume();
            } else if (control.state() == FaultState.KILLED) {
                control.restart();
            }
        }
    }

    @Test
    void postgresql() {
        FaultControl pg = DevStack.shared().faults(Component.POSTGRES);
        accepted.add(post(201));
        String body = JobResourceIT.job().signedBy(JobResourceIT.OWNER_KEY);

        pg.stall();
        unavailable(() -> given().when().get("/api/v1/jobs"), "postgresql");
        unavailable(() -> given().when().get("/api/v1/jobs/" + accepted.getFirst()), "postgresql");
        unavailable(() -> given().contentType(ContentType.JSON).body(body).when().post("/api/v1/jobs"), "postgresql");
        notReady("postgresql");
        pg.resume();
        recovered();
        accepted.add(postBody(body));

        pg.kill();
        unavailable(() -> given().when().get("/api/v1/jobs"), "postgresql");
        notReady("postgresql");
        pg.restart();
        recovered();
        accepted.add(post(201));
        everyAcceptedJobIsOnChainAndAnnouncedOnce();
    }

    @Test
    void kafka() {
        FaultControl kafka = DevStack.shared().faults(Component.KAFKA);
        kafka.stall();
        accepted.add(timed(() -> given().contentType(ContentType.JSON).body(JobResourceIT.job().signedBy(JobResourceIT.OWNER_KEY))
                .when().post("/api/v1/jobs")).then().statusCode(201).extract().jsonPath().getLong("id"));
        notReady("kafka");
        kafka.resume();
        recovered();

        kafka.kill();
        accepted.add(timed(() -> given().contentType(ContentType.JSON).body(JobResourceIT.job().signedBy(JobResourceIT.OWNER_KEY))
                .when().post("/api/v1/jobs")).then().statusCode(201).extract().jsonPath().getLong("id"));
        notReady("kafka");
        kafka.restart();
        recovered();
        everyAcceptedJobIsOnChainAndAnnouncedOnce();
    }

    @Test
    void chain() {
        FaultControl chain = DevStack.shared().faults(Component.CHAIN);
        long onChain = post(201);
        awaitOnChain(onChain);
        accepted.add(onChain);
        accepted.add(post(201)); // its submission may still be under way when the chain stalls

        chain.stall();
        unavailable(() -> given().contentType(ContentType.JSON).body(JobResourceIT.job().signedBy(JobResourceIT.OWNER_KEY))
                .when().post("/api/v1/jobs"), "chain");
        JsonPath degraded = timed(() -> given().when().get("/api/v1/jobs/" + onChain)).then().statusCode(200)
                .extract().jsonPath();
        assertTrue(degraded.getString("chain.error").contains("chain"), degraded.prettify());
        notReady("chain");
        chain.resume();
        recovered();
        accepted.add(post(201));

        chain.kill();
        unavailable(() -> given().contentType(ContentType.JSON).body(JobResourceIT.job().signedBy(JobResourceIT.OWNER_KEY))
                .when().post("/api/v1/jobs"), "chain");
        notReady("chain");
        chain.restart();
        recovered();
        accepted.add(post(201));
        everyAcceptedJobIsOnChainAndAnnouncedOnce();
    }

    @Test
    void ipfs() {
        FaultControl ipfs = DevStack.shared().faults(Component.IPFS);
        ipfs.stall();
        unavailable(() -> given().contentType(ContentType.JSON).body(JobResourceIT.job().signedBy(JobResourceIT.OWNER_KEY))
                .when().post("/api/v1/jobs"), "ipfs");
        notReady("ipfs");
        ipfs.resume();
        recovered();
        accepted.add(post(201));

        ipfs.kill();
        unavailable(() -> given().contentType(ContentType.JSON).body(JobResourceIT.job().signedBy(JobResourceIT.OWNER_KEY))
                .when().post("/api/v1/jobs"), "ipfs");
        notReady("ipfs");
        ipfs.restart();
        recovered();
        long id = post(201);
        accepted.add(id);
        given().when().get("/api/v1/jobs/" + id + "/artifacts/model.json").then().statusCode(200);
        everyAcceptedJobIsOnChainAndAnnouncedOnce();
    }

    private static long post(int status) {
        return postBody(JobResourceIT.job().signedBy(JobResourceIT.OWNER_KEY), status);
    }

    private static long postBody(String body) {
        return postBody(body, 201);
    }

    private static long postBody(String body, int status) {
        return given().contentType(ContentType.JSON).body(body).when().post("/api/v1/jobs")
                .then().statusCode(status).extract().jsonPath().getLong("id");
    }

    /** Runs {@code request} and checks that it was answered within {@link #ANSWER_WITHIN}. */
    private static Response timed(Supplier<Response> request) {
        long t0 = System.nanoTime();
        Response response = request.get();
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        assertTrue(took.compareTo(ANSWER_WITHIN) <= 0, "answered after " + took.toMillis() + " ms");
        return response;
    }

    private static void unavailable(Supplier<Response> request, String dependency) {
        timed(request).then().statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", notNullValue())
                .body("type", equalTo("https://zkpfl.io/problems/dependency-unavailable"))
                .body("dependency", equalTo(dependency));
    }

    /** Readiness is DOWN because of {@code dependency}, and says so in time; liveness stays UP. */
    private static void notReady(String dependency) {
        JsonPath ready = timed(() -> given().when().get("/q/health/ready")).then().statusCode(503).extract().jsonPath();
        assertEquals("DOWN", ready.getString("checks.find { it.name == '" + dependency + "' }.status"), ready.prettify());
        timed(() -> given().when().get("/q/health/live")).then().statusCode(200);
    }

    /** Readiness comes back UP and the job API answers, without restarting the service. */
    private static void recovered() {
        long deadline = System.nanoTime() + RECOVER_WITHIN.toNanos();
        int ready = 0;
        while (System.nanoTime() < deadline) {
            ready = given().when().get("/q/health/ready").statusCode();
            if (ready == 200 && given().when().get("/api/v1/jobs?size=1").statusCode() == 200) {
                return;
            }
            pause();
        }
        throw new AssertionError("not ready " + RECOVER_WITHIN + " after the dependency returned (last " + ready + ")");
    }

    private static void awaitOnChain(long id) {
        long deadline = System.nanoTime() + RECOVER_WITHIN.toNanos();
        String state = null;
        while (System.nanoTime() < deadline) {
            Response r = given().when().get("/api/v1/jobs/" + id);
            state = r.statusCode() == 200 ? r.jsonPath().getString("submission.state") : "HTTP " + r.statusCode();
            if ("ON_CHAIN".equals(state)) {
                return;
            }
            pause();
        }
        throw new AssertionError("job " + id + " not on chain after " + RECOVER_WITHIN + ": " + state);
    }

    private void everyAcceptedJobIsOnChainAndAnnouncedOnce() {
        List<String> chainJobIds = new ArrayList<>();
        for (long id : accepted) {
            awaitOnChain(id);
            chainJobIds.add(given().when().get("/api/v1/jobs/" + id).then().statusCode(200).extract().jsonPath()
                    .getString("submission.chainJobId"));
        }
        assertEquals(chainJobIds.size(), chainJobIds.stream().distinct().count(), "one chain job per job: " + chainJobIds);
        Map<String, Integer> events = announcements();
        for (long id : accepted) {
            assertEquals(1, events.getOrDefault(id + "/JobPosted", 0), "JobPosted of job " + id + ": " + events);
            assertEquals(1, events.getOrDefault(id + "/JobOnChain", 0), "JobOnChain of job " + id + ": " + events);
        }
    }

    /** Count of records per "key/type" for the accepted jobs, read until each has both events (bounded). */
    private Map<String, Integer> announcements() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, DevStack.shared().kafka().bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "fault-it-" + UUID.randomUUID());
        Map<String, Integer> counts = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            TopicPartition tp = new TopicPartition("zkpfl.jobs", 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp), Duration.ofSeconds(30)).get(tp);
            long deadline = System.nanoTime() + RECOVER_WITHIN.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    String type = new String(r.headers().lastHeader("type").value(), StandardCharsets.UTF_8);
                    counts.merge(r.key() + "/" + type, 1, Integer::sum);
                }
                boolean complete = accepted.stream().allMatch(id -> counts.containsKey(id + "/JobPosted")
                        && counts.containsKey(id + "/JobOnChain"));
                if (complete && consumer.position(tp) >= end) {
                    // a duplicate would follow its original closely: read a little past what is complete
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofSeconds(2))) {
                        String type = new String(r.headers().lastHeader("type").value(), StandardCharsets.UTF_8);
                        counts.merge(r.key() + "/" + type, 1, Integer::sum);
                    }
                    return counts;
                }
            }
        }
        return counts;
    }

    private static void pause() {
        try {
            Thread.sleep(250);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
