package io.zkpfl.marketplace.job;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.zkpfl.devstack.DevStack;
import io.zkpfl.devstack.quarkus.DevStackTestResource;
import io.zkpfl.protocol.ipfs.Cid;
import io.zkpfl.protocol.ipfs.KuboClient;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Hash;

/**
 * A job that names the owner's sealed validation set carries it in its manifest (bound on chain by modelHash), and
 * once on chain its artefacts are handed to the reward engine: retried while the engine answers 503, never holding
 * up the job's submission, done at the first 200 and not repeated; an engine that refuses is not asked again.
 */
@QuarkusTest
@QuarkusTestResource(value = DevStackTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = RecordingEngineResource.class, restrictToAnnotatedClass = true)
class EngineRegistrationIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonPath awaitEngine(long id, String state) {
        long until = System.nanoTime() + 60_000_000_000L;
        while (true) {
            JsonPath job = given().when().get("/api/v1/jobs/" + id).then().statusCode(200).extract().jsonPath();
            if (state.equals(job.getString("engine.state"))) {
                return job;
            }
            if (System.nanoTime() > until) {
                throw new AssertionError("job " + id + " engine hand-over is " + job.getString("engine.state") + ", not "
                        + state + ": " + job.getString("engine.error"));
            }
            ChainJobIT.sleep(100);
        }
    }

    private static String engine() {
        return org.eclipse.microprofile.config.ConfigProvider.getConfig().getValue("zkpfl.audit.url", String.class);
    }

    private static String http(String method, String path) {
        try {
            java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(java.net.URI.create(engine() + path));
            b = method.equals("POST") ? b.POST(java.net.http.HttpRequest.BodyPublishers.noBody()) : b.GET();
            return java.net.http.HttpClient.newHttpClient().send(b.build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The requests the engine's stand-in received for {@code chainJob} with the artefacts of marketplace job {@code id}
     * (the shared chain may have been restarted by other tests, so chain ids alone can repeat), in order.
     */
    private static List<RecordingEngineResource.Received> received(String chainJob, long id) {
        String path = "/api/v1/jobs/" + chainJob + "/artifacts";
        String manifestCid = given().when().get("/api/v1/jobs/" + id).then().statusCode(200).extract().jsonPath()
                .getString("artifacts['manifest.json'].cid");
        return http("GET", "/recorded").lines().map(l -> l.split(" ", 4))
                .filter(f -> f[0].equals(path) && f.length > 3 && f[3].contains(manifestCid))
                .map(f -> new RecordingEngineResource.Received(f[0], f.length > 3 ? f[3] : "", Integer.parseInt(f[1]),
                        Long.parseLong(f[2]))).toList();
    }

    @Test
    void theArtefactsOfAJobWithAnOwnersSetReachTheEngineAfterItsRestart() throws Exception {
        KuboClient ipfs = KuboClient.create(DevStack.shared().ipfs().apiUrl());
        Cid sealed = ipfs.add("stand-in for a sealed validation bundle".getBytes(StandardCharsets.UTF_8));
        String commitment = "0x" + HexFormat.of().formatHex(Hash.sha3("commitment".getBytes(StandardCharsets.UTF_8)));
        SignedJob job = JobResourceIT.job();
        job.body.putObject("validation").put("cid", sealed.toString()).put("commitment", commitment.toUpperCase()
                .replace("0X", "0x")).put("groups", 5);
        long id = ChainJobIT.post(job.signedBy(JobResourceIT.OWNER_KEY), 201).getLong("id");

        // on chain while the engine still answers 503: the hand-over does not hold up the submission
        JsonPath onChain = ChainJobIT.awaitSubmitted(id);
        assertEquals("ON_CHAIN", onChain.getString("submission.state"), onChain.getString("submission.error"));
        String chainJob = onChain.getString("submission.chainJobId");
        JsonPath done = awaitEngine(id, "registered");
        assertEquals(sealed.toString(), done.getString("validation.cid"));
        assertEquals(commitment, done.getString("validation.commitment"));
        assertEquals(5, done.getInt("validation.groups"));

        List<RecordingEngineResource.Received> calls = received(chainJob, id);
        assertEquals(RecordingEngineResource.FAILING + 1, calls.size(), "retried past the 503s, then stopped: " + calls);
        assertEquals(List.of(503, 503, 200), calls.stream().map(RecordingEngineResource.Received::answered).toList());
        assertEquals(RecordingEngineResource.FAILING + 1, done.getInt("engine.attempts"));
        assertTrue(calls.get(2).atNanos() - calls.get(1).atNanos() >= 1_500_000_000L,
                "the second retry waits longer than the first (exponential back-off)");

        // the posted CIDs are the job's artefacts, and the manifest on IPFS is what the chain's modelHash commits to,
        // validation object included
        JsonNode body = JSON.readTree(calls.get(2).body());
        assertEquals(done.getString("artifacts['manifest.json'].cid"), body.get("manifestCid").asText());
        assertEquals(done.getString("artifacts['model.json'].cid"), body.get("modelCid").asText());
        assertEquals(done.getString("artifacts['weights.bin'].cid"), body.get("weightsCid").asText());
        byte[] manifest = ipfs.catVerifiedBytes(Cid.parse(body.get("manifestCid").asText()), 1 << 20);
        assertArrayEquals(Hash.sha3(manifest), ChainJobIT.jobParams(new BigInteger(chainJob)).modelHash);
        JsonNode v = JSON.readTree(manifest).get("validation");
        assertEquals(sealed.toString(), v.get("cid").asText());
        assertEquals(commitment, v.get("commitment").asText());
        assertEquals(5, v.get("groups").asInt());
        assertEquals(job.manifest, new String(manifest, StandardCharsets.UTF_8), "the manifest as docs/owner.md writes it");

        ChainJobIT.sleep(1_500);
        assertEquals(RecordingEngineResource.FAILING + 1, received(chainJob, id).size(), "not registered twice");
    }

    @Test
    void anEngineThatRefusesTheArtefactsIsNotAskedAgain() {
        SignedJob job = JobResourceIT.job();
        long id = ChainJobIT.post(job.signedBy(JobResourceIT.OWNER_KEY), 201).getLong("id");
        String chainJob = ChainJobIT.awaitSubmitted(id).getString("submission.chainJobId");
        http("POST", "/refuse/" + chainJob);
        JsonPath refused = awaitEngine(id, "refused");
        assertTrue(refused.getString("engine.error").contains("names another evaluator"), refused.getString("engine.error"));
        int asked = received(chainJob, id).size();
        ChainJobIT.sleep(1_500);
        assertEquals(asked, received(chainJob, id).size(), "a refusal is final");
        assertEquals(null, refused.getString("validation"), "a job without a set has no validation object");
    }
}
