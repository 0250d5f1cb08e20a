package io.zkpfl.marketplace.job;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.zkpfl.devstack.chain.DevAccounts;
import io.zkpfl.devstack.quarkus.DevStackTestResource;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Every kind of bad job request gets a problem naming the field, and nothing is stored. */
@QuarkusTest
@QuarkusTestResource(value = DevStackTestResource.class, restrictToAnnotatedClass = false)
class BadJobInputIT {

    private void rejects(String body, int status, String field, String detailFragment) {
        long before = JobResourceIT.total();
        given().contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/jobs")
                .then().statusCode(status)
                .contentType("application/problem+json")
                .body("status", equalTo(status))
                .body("type", matchesPattern("https://zkpfl\\.io/problems/[a-z]+(-[a-z]+)*"))
                .body("field", equalTo(field))
                .body("detail", containsString(detailFragment));
        assertEquals(before, JobResourceIT.total(), "a rejected job must not be stored");
    }

    private String signed(Consumer<SignedJob> change) {
        SignedJob job = JobResourceIT.job();
        change.accept(job);
        return job.signedBy(JobResourceIT.OWNER_KEY);
    }

    @Test
    void malformedJson() {
        rejects("{\"owner\": \"0x12", 400, "$", "malformed JSON");
        rejects("[1, 2, 3]", 400, "$", "JSON object");
        rejects(JobResourceIT.job().signedBy(JobResourceIT.OWNER_KEY) + "}", 400, "$", "malformed JSON");
    }

    @Test
    void unknownLayerType() {
        rejects(signed(j -> j.model("{\"input\":{\"shape\":[4]},\"layers\":[{\"type\":\"transformer\",\"units\":3},"
                + "{\"type\":\"output\",\"units\":3}]}")), 400, "model.layers[0].type", "unknown layer type 'transformer'");
    }

    @Test
    void weightsOfTheWrongLength() {
        rejects(signed(j -> j.weights(SignedJob.floats(SignedJob.TINY_PARAMETERS - 1, 0f))), 400, "initialWeights",
                "expected " + 4 * SignedJob.TINY_PARAMETERS + " bytes");
    }

    @Test
    void feeBelowMinimum() {
        // the chain's minimum for the fee token is the authority: a 422 with the contract's own revert reason
        rejects(signed(j -> j.body.with("fee").put("amount", "99999999999999999999")), 422, "fee.amount",
                "FeeBelowMinimum(99999999999999999999, 100000000000000000000)");
    }

    @Test
    void thresholdAboveCommitteeSize() {
        rejects(signed(j -> j.body.with("committee").put("size", 3).put("threshold", 4)), 400, "committee.threshold", "exceeds");
        rejects(signed(j -> j.body.with("committee").put("size", 4).put("threshold", 3)), 400, "committee.size", "m ≥ 2t − 1");
        rejects(signed(j -> j.body.with("committee").put("size", 3).put("threshold", 1)), 400, "committee.threshold", "[2, 32]");
    }

    @Test
    void targetAccuracyOutsideUnitInterval() {
        rejects(signed(j -> j.body.put("targetAccuracy", 0)), 400, "targetAccuracy", "(0, 1]");
        rejects(signed(j -> j.body.put("targetAccuracy", 1.5)), 400, "targetAccuracy", "(0, 1]");
        rejects(signed(j -> j.body.put("targetAccuracy", -0.2)), 400, "targetAccuracy", "(0, 1]");
    }

    @Test
    void privacyTermsOutOfRangeOrBeyondTheBudget() {
        rejects(signed(j -> j.body.putObject("privacy").put("epsilon", 3).put("delta", 0.5).put("noiseMultiplier", 1)
                .put("l2Clip", 1)), 400, "privacy.delta", "(0, 0.01]");
        rejects(signed(j -> j.body.put("maxTrainers", 200).putObject("privacy").put("epsilon", 3).put("delta", 0.005)
                .put("noiseMultiplier", 1).put("l2Clip", 1)), 400, "privacy.delta", "below 1/maxTrainers = 1/200");
        rejects(signed(j -> j.body.putObject("privacy").put("epsilon", 3).put("delta", "1e-5").put("l2Clip", 1)), 400,
                "privacy.noiseMultiplier", "required");
        rejects(signed(j -> j.body.put("maxRounds", 10).putObject("privacy").put("epsilon", 1).put("delta", "1e-5")
                .put("noiseMultiplier", 1).put("l2Clip", 1)), 400, "privacy.noiseMultiplier", "only 0 round(s) fit the budget");
        rejects(signed(j -> j.body.put("maxRounds", 100).put("maxSamples", 60_000).putObject("privacy").put("epsilon", 8)
                .put("delta", "1e-5").put("noiseMultiplier", 5).put("l2Clip", 1)), 400, "maxRounds", "at most 61");
    }

    @Test
    void badSignature() {
        SignedJob job = JobResourceIT.job();
        job.signedBy(JobResourceIT.OWNER_KEY);
        job.body.put("signature", "0x" + "11".repeat(64) + "1b");
        rejects(job.body.toString(), 401, "signature", "signature");
        job.body.put("signature", "0xdeadbeef");
        rejects(job.body.toString(), 400, "signature", "65 bytes");
    }

    @Test
    void signatureFromAnotherAddress() {
        String body = JobResourceIT.job().signedBy(DevAccounts.privateKey(5));
        rejects(body, 401, "signature", DevAccounts.address(5).toLowerCase().substring(2, 10));
    }

    @Test
    void tamperedContentAfterSigning() {
        SignedJob job = JobResourceIT.job();
        job.signedBy(JobResourceIT.OWNER_KEY);
        job.body.put("maxRounds", 999);
        rejects(job.body.toString(), 401, "signature", "not by the owner");
    }

    @Test
    void expiredSignature() {
        rejects(JobResourceIT.expiredJob(), 400, "deadline", "expired");
    }

    @Test
    void oversizedBodyGets413WithTheLimit() {
        long before = JobResourceIT.total();
        byte[] big = new byte[3 * 1024 * 1024];
        java.util.Arrays.fill(big, (byte) 'x');
        given().contentType(ContentType.JSON).body(big)
                .when().post("/api/v1/jobs")
                .then().statusCode(413)
                .contentType("application/problem+json")
                .body("type", equalTo("https://zkpfl.io/problems/body-too-large"))
                .body("detail", containsString("limit is 2097152 bytes"));
        assertEquals(before, JobResourceIT.total());
    }

    @TestHTTPResource("/")
    URL base;

    /**
     * A 20 MB body sent without a length (chunked) is refused with 413 once the limit is passed, not read to
     * its end: the answer arrives while most of the body is still unsent.
     */
    @Test
    void oversizedChunkedBodyIsRefusedBeforeItIsReadInFull() throws Exception {
        assertRefusedEarly(base.getPort());
    }

    private static void assertRefusedEarly(int port) throws Exception {
        long before = JobResourceIT.total();
        int total = 20 * 1024 * 1024;
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/jobs HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            AtomicLong sent = new AtomicLong();
            Thread writer = Thread.ofPlatform().daemon().start(() -> {
                byte[] chunk = new byte[64 * 1024];
                Arrays.fill(chunk, (byte) 'x');
                try {
                    while (sent.get() < total) {
                        out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                        out.write(chunk);
                        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                        sent.addAndGet(chunk.length);
                    }
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException closedByServer) {
                    // the server stopped reading: what this test wants
                }
            });
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.UTF_8));
            String status = in.readLine();
            long sentWhenAnswered = sent.get();
            assertTrue(status != null && status.startsWith("HTTP/1.1 413"), "status line: " + status);
            assertTrue(sentWhenAnswered < total / 2, "answered only after " + sentWhenAnswered + " of " + total + " bytes were sent");
            writer.join(30_000);
        }
        assertEquals(before, JobResourceIT.total());
    }

    @Test
    void replayedSignatureWithMalleatedSIsRejected() {
        SignedJob job = JobResourceIT.job();
        job.signedBy(JobResourceIT.OWNER_KEY);
        byte[] sig = HexFormat.of().parseHex(job.body.get("signature").asText().substring(2));
        java.math.BigInteger n = new java.math.BigInteger("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141", 16);
        java.math.BigInteger s = new java.math.BigInteger(1, java.util.Arrays.copyOfRange(sig, 32, 64));
        byte[] high = n.subtract(s).toByteArray();
        byte[] padded = new byte[32];
        System.arraycopy(high, Math.max(0, high.length - 32), padded, 32 - Math.min(32, high.length), Math.min(32, high.length));
        System.arraycopy(padded, 0, sig, 32, 32);
        sig[64] = (byte) (sig[64] == 27 ? 28 : 27);
        job.body.put("signature", "0x" + HexFormat.of().formatHex(sig));
        rejects(job.body.toString(), 401, "signature", "non-canonical");
    }

    @Test
    void aValidationSetThatIsNotACidACommitmentOrAGroupCount() {
        String cid = "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy";
        String commitment = "0x" + "ab".repeat(32);
        rejects(signed(j -> j.body.put("validation", "bafy")), 400, "validation", "must be an object");
        rejects(signed(j -> j.body.putObject("validation").put("cid", "not-a-cid").put("commitment", commitment)), 400,
                "validation.cid", "not a CID");
        rejects(signed(j -> j.body.putObject("validation").put("cid", cid).put("commitment", "0x1234")), 400,
                "validation.commitment", "32 bytes of 0x-hex");
        rejects(signed(j -> j.body.putObject("validation").put("cid", cid).put("commitment", "0x" + "00".repeat(32))), 400,
                "validation.commitment", "must not be zero");
        rejects(signed(j -> j.body.putObject("validation").put("cid", cid).put("commitment", commitment).put("groups", 0)),
                400, "validation.groups", "1..64");
        rejects(signed(j -> j.body.putObject("validation").put("cid", cid).put("commitment", commitment).put("groups", 65)),
                400, "validation.groups", "1..64");
    }
}
