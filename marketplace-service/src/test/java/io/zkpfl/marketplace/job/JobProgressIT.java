package io.zkpfl.marketplace.job;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.zkpfl.devstack.quarkus.DevStackTestResource;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;

/**
 * The live job stream and the model endpoint against the real stack, with an audit service that has stalled: the
 * stream pushes the job as it reaches the chain and as its owner stops it, says the audit service is unavailable
 * instead of hanging, sends only what changed and closes after {@code end}; the model endpoint answers 404, 409 and
 * a 503 naming the audit service within its deadline.
 */
@QuarkusTest
@QuarkusTestResource(value = DevStackTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = StalledAuditResource.class, restrictToAnnotatedClass = true)
class JobProgressIT {

    static final ObjectMapper JSON = new ObjectMapper();
    /** The audit deadline (2 s) plus what a loaded 2-core machine adds. */
    static final Duration ANSWER_WITHIN = Duration.ofSeconds(5);
    static final HttpClient HTTP = HttpClient.newHttpClient();

    record Event(String name, JsonNode data) {
    }

    /** A server-sent event stream read on a thread of its own; {@code null} in the queue marks its end. */
    static final class Stream implements AutoCloseable {
        final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
        final List<Event> seen = new ArrayList<>();
        final HttpResponse<java.util.stream.Stream<String>> response;
        boolean ended;

        Stream(String path) throws Exception {
            response = HTTP.send(HttpRequest.newBuilder(URI.create(RestAssured.baseURI + ":" + RestAssured.port + path))
                    .header("Accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofLines());
            Thread reader = new Thread(() -> {
                String name = null;
                StringBuilder data = new StringBuilder();
                try {
                    for (String line : (Iterable<String>) response.body()::iterator) {
                        if (line.startsWith("event:")) {
                            name = line.substring(6).strip();
                        } else if (line.startsWith("data:")) {
                            data.append(line.substring(5).strip());
                        } else if (line.isEmpty() && name != null) {
                            queue.add(new Event(name, JSON.readTree(data.toString())));
                            name = null;
                            data.setLength(0);
                        }
                    }
                } catch (Exception e) {
                    queue.add(e);
                }
                queue.add(END);
            }, "sse-reader");
            reader.setDaemon(true);
            reader.start();
        }

        static final Object END = new Object();

        /** The next event that matches {@code match}, within {@code timeout}. */
        Event await(String what, Duration timeout, Predicate<Event> match) throws Exception {
            long until = System.nanoTime() + timeout.toNanos();
            while (true) {
                Object next = queue.poll(Math.max(1, until - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (next == null) {
                    throw new AssertionError(what + " not seen within " + timeout + "; events so far: " + seen);
                }
                if (next == END) {
                    ended = true;
                    throw new AssertionError("the stream ended before " + what + "; events: " + seen);
                }
                if (next instanceof Exception e) {
                    throw new AssertionError("reading the stream failed before " + what, e);
                }
                Event e = (Event) next;
                seen.add(e);
                if (match.test(e)) {
                    return e;
                }
            }
        }

        /** The first event so far, or else the next one, that matches {@code match}. */
        Event awaitAny(String what, Duration timeout, Predicate<Event> match) throws Exception {
            for (Event e : seen) {
                if (match.test(e)) {
                    return e;
                }
            }
            return await(what, timeout, match);
        }

        /** Waits for the server to close the stream, failing on any event after {@code end}. */
        void awaitClosed(Duration timeout) throws Exception {
            Object next = queue.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (next != END) {
                throw new AssertionError("the stream went on after 'end': " + next);
            }
            ended = true;
        }

        @Override
        public void close() {
            response.body().close();
        }
    }

    static long post() {
        return given().contentType(ContentType.JSON).body(JobResourceIT.job().signedBy(JobResourceIT.OWNER_KEY))
                .when().post("/api/v1/jobs").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    static boolean chainStatus(Event e, String status) {
        return e.name().equals("job") && status.equals(e.data().path("chain").path("status").asText());
    }

    @Test
    void theStreamPushesTheJobAsItReachesTheChainIsStoppedAndEnds() throws Exception {
        long id = post();
        try (Stream stream = new Stream("/api/v1/jobs/" + id + "/events")) {
            assertEquals(200, stream.response.statusCode());
            assertTrue(stream.response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"),
                    "content type " + stream.response.headers().firstValue("Content-Type"));
            Event first = stream.await("the first 'job' event", Duration.ofSeconds(10), e -> e.name().equals("job"));
            assertEquals(id, first.data().get("id").asLong());
            // the relayer may have put the job on chain before the stream opened; the committee is drawn in a later
            // transaction than the creation (ADR 0087), so the job can be ACTIVE for a block before it has one
            java.util.function.Predicate<Event> drawn = e -> chainStatus(e, "ACTIVE")
                    && e.data().path("chain").path("committee").size() == 3;
            Event active = drawn.test(first) ? first
                    : stream.await("the job on chain with its committee", Duration.ofSeconds(60), drawn);
            BigInteger chainJob = new BigInteger(active.data().get("chainJobId").asText());
            assertEquals(3, active.data().path("chain").path("committee").size(), "the drawn committee is shown");
            // the stalled engine: said on the stream within its deadline, the stream goes on
            Event audit = stream.awaitAny("the audit service reported unavailable", ANSWER_WITHIN.plusSeconds(5),
                    e -> e.name().equals("audit") && "unavailable".equals(e.data().path("state").asText()));
            assertEquals("audit", audit.data().get("dependency").asText());
            assertTrue(audit.data().get("detail").asText().contains("did not answer within 2 s"), audit.data().toString());

            ChainJobIT.reader().as(Credentials.create(JobResourceIT.OWNER_KEY)).market().stopJob(chainJob);
            stream.await("the job completed on chain", Duration.ofSeconds(30), e -> chainStatus(e, "COMPLETED"));
            Event end = stream.await("'end'", Duration.ofSeconds(30), e -> e.name().equals("end"));
            assertEquals("COMPLETED", end.data().get("chainStatus").asText());
            stream.awaitClosed(Duration.ofSeconds(10));

            List<String> jobs = stream.seen.stream().filter(e -> e.name().equals("job")).map(e -> e.data().toString()).toList();
            for (int i = 1; i < jobs.size(); i++) {
                assertNotEquals(jobs.get(i - 1), jobs.get(i), "a 'job' event is sent only when the job changed");
            }
            assertTrue(stream.seen.stream().noneMatch(e -> e.name().equals("round")), "a stalled audit service has no rounds");
        }
    }

    @Test
    void anUnknownJobIsANotFoundProblemOnEveryEndpoint() {
        for (String path : List.of("/events", "/rounds", "/model", "/model/weights")) {
            given().accept("*/*").when().get("/api/v1/jobs/987654321" + path).then().statusCode(404)
                    .contentType("application/problem+json")
                    .body("detail", equalTo("no job with id 987654321"));
        }
    }

    @Test
    void theModelIsAConflictUntilTheJobHasAnEvaluatedRoundAndTheStalledAuditServiceA503() throws Exception {
        long id = post();
        given().when().get("/api/v1/jobs/" + id + "/model").then().statusCode(409)
                .contentType("application/problem+json")
                .body("detail", containsString("job " + id + " is"));
        JsonNode view = null;
        for (long until = System.nanoTime() + 60_000_000_000L; System.nanoTime() < until; Thread.sleep(200)) {
            view = JSON.readTree(given().when().get("/api/v1/jobs/" + id).then().statusCode(200).extract().asString());
            if ("ACTIVE".equals(view.path("chain").path("status").asText())) {
                break;
            }
        }
        assertEquals("ACTIVE", view.path("chain").path("status").asText(), "the job reached the chain");
        BigInteger chainJob = new BigInteger(view.path("submission").path("chainJobId").asText());
        given().when().get("/api/v1/jobs/" + id + "/model").then().statusCode(409)
                .contentType("application/problem+json")
                .body("detail", equalTo("job " + id + " is still running (round 0 of " + view.get("maxRounds").asInt()
                        + ", 0 paid); its final model is available once it completes"));

        long started = System.nanoTime();
        given().when().get("/api/v1/jobs/" + id + "/rounds").then().statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", equalTo("5"))
                .body("dependency", equalTo("audit"))
                .body("detail", startsWith("the audit service did not answer within 2 s"));
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertTrue(took.compareTo(ANSWER_WITHIN) < 0, "answered within the deadline, took " + took);

        ChainJobIT.reader().as(Credentials.create(JobResourceIT.OWNER_KEY)).market().stopJob(chainJob);
        for (long until = System.nanoTime() + 10_000_000_000L; System.nanoTime() < until; Thread.sleep(200)) {
            if ("COMPLETED".equals(JSON.readTree(given().when().get("/api/v1/jobs/" + id).asString())
                    .path("chain").path("status").asText())) {
                break;
            }
        }
        given().when().get("/api/v1/jobs/" + id + "/model").then().statusCode(409)
                .contentType("application/problem+json")
                .body("detail", equalTo("job " + id + " ended (COMPLETED) without an evaluated round: no model was trained; "
                        + "its initial weights are /api/v1/jobs/" + id + "/artifacts/weights.bin"));
        given().when().get("/api/v1/jobs/" + id + "/model/weights").then().statusCode(409)
                .contentType("application/problem+json");
    }

    @Test
    void theDashboardIsServedFromTheServiceWithNoOutsideAsset() {
        String page = given().when().get("/dashboard/").then().statusCode(200).contentType(containsString("text/html"))
                .extract().asString();
        String script = given().when().get("/dashboard/dashboard.js").then().statusCode(200).extract().asString();
        String css = given().when().get("/dashboard/dashboard.css").then().statusCode(200).extract().asString();
        for (String asset : List.of(page, script, css)) {
            // the only absolute URL allowed is the SVG namespace, which is a name and is never fetched
            assertTrue(!asset.replace("http://www.w3.org/2000/svg", "").matches("(?s).*(https?:)?//[a-z0-9.-]+\\.[a-z]{2,}.*"),
                    "an asset refers to another host");
        }
        assertTrue(page.contains("src=\"dashboard.js\"") && page.contains("href=\"dashboard.css\""), "the page loads its own assets");
    }
}
