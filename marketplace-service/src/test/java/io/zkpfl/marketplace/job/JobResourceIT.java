package io.zkpfl.marketplace.job;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.zkpfl.devstack.chain.DevAccounts;
import io.zkpfl.devstack.quarkus.DevStackTestResource;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = DevStackTestResource.class, restrictToAnnotatedClass = false)
class JobResourceIT {

    static final AtomicLong NONCE = new AtomicLong(System.nanoTime());
    static final String OWNER_KEY = DevAccounts.privateKey(1);
    static final String OWNER = DevAccounts.address(1).toLowerCase();

    static SignedJob job() {
        return SignedJob.tiny(OWNER, NONCE.incrementAndGet());
    }

    static long total() {
        return given().when().get("/api/v1/jobs?size=1").then().statusCode(200).extract().jsonPath().getLong("total");
    }

    @Test
    void postStoresTheJobItsArtifactsAndServesThemBack() {
        byte[] weights = SignedJob.floats(SignedJob.TINY_PARAMETERS, -1.0f);
        SignedJob job = job().weights(weights);
        String body = job.signedBy(OWNER_KEY);

        var created = given().contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/jobs")
                .then().statusCode(201)
                .header("Location", containsString("/api/v1/jobs/"))
                .body("status", equalTo("POSTED"))
                .body("submission.state", equalTo("PENDING"))
                .body("owner", equalTo(OWNER))
                .body("parameterCount", equalTo(SignedJob.TINY_PARAMETERS))
                .body("committee.size", equalTo(3))
                .body("fee.amount", equalTo("100000000000000000000"))
                .body("initialisation", nullValue())
                .body("artifacts.'weights.bin'.cid", notNullValue())
                .extract().jsonPath();
        long id = created.getLong("id");

        given().when().get("/api/v1/jobs/" + id).then().statusCode(200)
                .body("digest", equalTo(created.getString("digest")))
                .body("targetAccuracy", equalTo(0.85f))
                .body("training.learningRate", equalTo(0.05f))
                .body("model.layers[0].type", equalTo("output"));

        byte[] served = given().when().get("/api/v1/jobs/" + id + "/artifacts/weights.bin")
                .then().statusCode(200).header("ETag", containsString(created.getString("artifacts.'weights.bin'.cid")))
                .extract().asByteArray();
        assertArrayEquals(weights, served);
        String model = given().when().get("/api/v1/jobs/" + id + "/artifacts/model.json")
                .then().statusCode(200).extract().asString();
        assertEquals(job.canonicalModel, model);
    }

    @Test
    void withoutWeightsTheServiceInitialisesThemAndSaysSo() {
        String body = job().signedBy(OWNER_KEY);
        var created = given().contentType(ContentType.JSON).body(body).when().post("/api/v1/jobs")
                .then().statusCode(201)
                .body("initialisation.seed", notNullValue())
                .body("artifacts.'weights.bin'.size", equalTo(4 * SignedJob.TINY_PARAMETERS))
                .extract().jsonPath();
        byte[] served = given().when().get("/api/v1/jobs/" + created.getLong("id") + "/artifacts/weights.bin")
                .then().statusCode(200).extract().asByteArray();
        assertEquals(4 * SignedJob.TINY_PARAMETERS, served.length);
        assertEquals(created.getString("artifacts.'weights.bin'.keccak256"), "0x" + java.util.HexFormat.of().formatHex(org.web3j.crypto.Hash.sha3(served)));
    }

    @Test
    void privacyTermsAreSignedThroughTheManifestAndTheBudgetIsShown() {
        SignedJob job = job();
        job.body.put("maxRounds", 10).put("maxSamples", 60_000);
        job.body.putObject("privacy").put("epsilon", 8).put("delta", "0.00001").put("noiseMultiplier", 5).put("l2Clip", 1);
        var created = given().contentType(ContentType.JSON).body(job.signedBy(OWNER_KEY)).when().post("/api/v1/jobs")
                .then().statusCode(201)
                .body("privacy.epsilon", equalTo("8"))
                .body("privacy.noiseMultiplier", equalTo("5"))
                .body("privacy.minTrainers", equalTo(job.body.get("minTrainers").asInt()))
                .body("privacy.spent.completedRounds", equalTo(0))
                .extract().jsonPath();
        // z = 5 at δ = 1e-5 fits 61 rounds within ε = 8 (docs/privacy.md); the job asked for 10
        assertEquals(61, created.getLong("privacy.roundsWithinBudget"));
        String manifest = given().when().get("/api/v1/jobs/" + created.getLong("id") + "/artifacts/manifest.json")
                .then().statusCode(200).extract().asString();
        assertTrue(manifest.endsWith(",\"privacy\":{\"epsilon\":\"8\",\"delta\":\"0.00001\",\"noiseMultiplier\":\"5\","
                + "\"l2Clip\":\"1\",\"minTrainers\":" + job.body.get("minTrainers").asInt() + "}}"), manifest);
        assertEquals(created.getString("artifacts.'manifest.json'.keccak256"),
                "0x" + java.util.HexFormat.of().formatHex(org.web3j.crypto.Hash.sha3(manifest.getBytes(java.nio.charset.StandardCharsets.UTF_8))),
                "the on-chain modelHash commits to the privacy terms");
    }

    @Test
    void replayingTheSameSignedJobReturnsTheExistingJob() {
        String body = job().signedBy(OWNER_KEY);
        long id = given().contentType(ContentType.JSON).body(body).when().post("/api/v1/jobs")
                .then().statusCode(201).extract().jsonPath().getLong("id");
        long before = total();
        given().contentType(ContentType.JSON).body(body).when().post("/api/v1/jobs")
                .then().statusCode(200).body("id", equalTo((int) id));
        assertEquals(before, total());
    }

    @Test
    void multipartCarriesLargeWeights() {
        SignedJob job = SignedJob.tiny(OWNER, NONCE.incrementAndGet()).model(SignedJob.MLP);
        byte[] weights = SignedJob.floats(784 * 32 + 32 + 32 * 10 + 10, 0.5f);
        String json = job.signedBy(OWNER_KEY, weights);
        long id = given().multiPart("job", json, "application/json").multiPart("weights", "weights.bin", weights, "application/octet-stream")
                .when().post("/api/v1/jobs")
                .then().statusCode(201).body("parameterCount", equalTo(25450)).extract().jsonPath().getLong("id");
        byte[] served = given().when().get("/api/v1/jobs/" + id + "/artifacts/weights.bin").then().statusCode(200).extract().asByteArray();
        assertArrayEquals(weights, served);
    }

    @Test
    void listingFiltersByOwnerAndStatusAndPages() {
        String otherKey = DevAccounts.privateKey(2);
        String other = DevAccounts.address(2).toLowerCase();
        for (int i = 0; i < 3; i++) {
            given().contentType(ContentType.JSON).body(SignedJob.tiny(other, NONCE.incrementAndGet()).signedBy(otherKey))
                    .when().post("/api/v1/jobs").then().statusCode(201);
        }
        // the relayer puts them on chain in the background: POSTED, then OPEN
        awaitListing("/api/v1/jobs?owner=" + other + "&status=OPEN&size=2&page=0", 3);
        given().when().get("/api/v1/jobs?owner=" + other + "&status=OPEN&size=2&page=0")
                .then().statusCode(200).body("items", hasSize(2)).body("total", equalTo(3))
                .body("items[0].owner", equalTo(other)).body("items[0].submission", equalTo("ON_CHAIN"))
                .body("items[0].chainJobId", notNullValue());
        given().when().get("/api/v1/jobs?owner=" + other + "&status=POSTED").then().statusCode(200).body("total", equalTo(0));
        given().when().get("/api/v1/jobs?owner=" + other + "&size=2&page=1")
                .then().statusCode(200).body("items", hasSize(1));
        given().when().get("/api/v1/jobs?status=REJECTED&owner=" + other)
                .then().statusCode(200).body("items", hasSize(0));

        var first = given().when().get("/api/v1/jobs?owner=" + other + "&size=2").then().statusCode(200)
                .body("items", hasSize(2)).extract().jsonPath();
        long cursor = first.getLong("next");
        assertEquals(first.getLong("items[1].id"), cursor);
        given().when().get("/api/v1/jobs?owner=" + other + "&size=2&after=" + cursor)
                .then().statusCode(200).body("items", hasSize(1))
                .body("items[0].id", org.hamcrest.Matchers.lessThan((int) cursor))
                .body("next", nullValue());
        given().when().get("/api/v1/jobs?page=1&after=" + cursor).then().statusCode(400).body("field", equalTo("after"));
    }

    @Test
    void unknownJobsAndArtifactsAreProblems() {
        given().when().get("/api/v1/jobs/987654321").then().statusCode(404)
                .contentType("application/problem+json").body("detail", containsString("987654321"));
        long id = given().contentType(ContentType.JSON).body(job().signedBy(OWNER_KEY)).when().post("/api/v1/jobs")
                .then().statusCode(201).extract().jsonPath().getLong("id");
        given().when().get("/api/v1/jobs/" + id + "/artifacts/secrets.txt").then().statusCode(404)
                .contentType("application/problem+json").body("detail", containsString("model.json"));
        given().when().get("/api/v1/jobs?size=1000").then().statusCode(400)
                .contentType("application/problem+json").body("field", equalTo("size"));
        given().when().get("/api/v1/jobs?owner=alice").then().statusCode(400).body("field", equalTo("owner"));
    }

    @Test
    void healthOpenApiAndMetricsAreServed() {
        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body(containsString("ipfs"));
        given().when().get("/q/openapi?format=json").then().statusCode(200).body(containsString("/api/v1/jobs"));
        given().contentType(ContentType.JSON).body(job().signedBy(OWNER_KEY)).when().post("/api/v1/jobs").then().statusCode(201);
        given().when().get("/q/metrics").then().statusCode(200).body(containsString("zkpfl_jobs_posted_total"));
    }

    /** Waits (up to 30 s) until the listing at {@code url} has {@code total} jobs. */
    static void awaitListing(String url, int total) {
        long until = System.nanoTime() + 30_000_000_000L;
        while (given().when().get(url).then().statusCode(200).extract().jsonPath().getInt("total") != total) {
            if (System.nanoTime() > until) {
                throw new AssertionError("listing " + url + " never reached " + total + " jobs");
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    static String expiredJob() {
        SignedJob job = job();
        job.body.put("deadline", Instant.now().getEpochSecond() - 60);
        return job.signedBy(OWNER_KEY);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
