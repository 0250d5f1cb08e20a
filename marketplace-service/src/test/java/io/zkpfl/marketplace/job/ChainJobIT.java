package io.zkpfl.marketplace.job;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.zkpfl.contracts.ChainClient;
import io.zkpfl.contracts.JobSignature;
import io.zkpfl.contracts.JobState;
import io.zkpfl.contracts.MarketEvent;
import io.zkpfl.contracts.PlatformAddresses;
import io.zkpfl.contracts.generated.JobMarket.JobParams;
import io.zkpfl.contracts.generated.PlatformToken;
import io.zkpfl.devstack.DevStack;
import io.zkpfl.devstack.chain.DevAccounts;
import io.zkpfl.devstack.quarkus.DevStackTestResource;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.Sign;
import org.web3j.crypto.StructuredDataEncoder;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;

/**
 * Jobs on chain, read back with {@link ChainClient} from the EVM itself: a signed job is created by the relayer with
 * the derived modelHash and bucket, its fee escrowed and its committee drawn; replays create nothing; every chain-side
 * rejection is a problem and stores nothing; the worker finds its own earlier submission after a restart.
 */
@QuarkusTest
@QuarkusTestResource(value = DevStackTestResource.class, restrictToAnnotatedClass = false)
class ChainJobIT {

    static final Web3j WEB3J = Web3j.build(new HttpService(DevStack.shared().chain().rpcUrl()));
    /** Dev account 4: minted tokens by the dev bootstrap, but no allowance for the market. */
    static final String UNAPPROVED_KEY = DevAccounts.privateKey(4);
    static final String UNAPPROVED = DevAccounts.address(4).toLowerCase(Locale.ROOT);

    @AfterAll
    static void close() {
        WEB3J.shutdown();
    }

    static ChainClient reader() {
        PlatformAddresses a = new PlatformAddresses(SignedJob.chain().getString("token"), SignedJob.chain().getString("registry"),
                SignedJob.chain().getString("certifier"), SignedJob.market());
        return ChainClient.connect(WEB3J, SignedJob.chainId(), Credentials.create(DevAccounts.privateKey(8)), a);
    }

    static JsonPath post(String body, int status) {
        return given().contentType(ContentType.JSON).body(body).when().post("/api/v1/jobs").then().statusCode(status)
                .extract().jsonPath();
    }

    /** Waits until job {@code id}'s submission leaves PENDING; returns the job. */
    static JsonPath awaitSubmitted(long id) {
        long until = System.nanoTime() + 30_000_000_000L;
        while (true) {
            JsonPath job = given().when().get("/api/v1/jobs/" + id).then().statusCode(200).extract().jsonPath();
            if (!"PENDING".equals(job.getString("submission.state"))) {
                return job;
            }
            if (System.nanoTime() > until) {
                throw new AssertionError("job " + id + " is still PENDING: " + job.getString("submission.error"));
            }
            sleep(100);
        }
    }

    /** What a job's fee leaves in escrow on the dev platform, whose creation fee is 1 % (docs/contracts.md). */
    static BigInteger escrowedOf(String fee) {
        BigInteger f = new BigInteger(fee);
        return f.subtract(f.divide(BigInteger.valueOf(100)));
    }

    /** {@code JobMarket.jobParams(id)}, decoded by the contract client under Quarkus' test class loaders. */
    static JobParams jobParams(BigInteger id) {
        return reader().market().jobParams(id);
    }

    /** The on-chain job ids whose parameters have EIP-712 digest {@code digest}, from the JobCreated events. */
    static List<BigInteger> chainJobsWithDigest(String owner, byte[] digest) {
        ChainClient chain = reader();
        long latest;
        try {
            latest = WEB3J.ethBlockNumber().send().getBlockNumber().longValueExact();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return chain.events().events(0, latest).stream()
                .filter(e -> e instanceof MarketEvent.JobCreated c && c.owner().equalsIgnoreCase(owner))
                .map(MarketEvent::jobId)
                .filter(id -> Arrays.equals(chain.market().jobDigest(jobParams(id)), digest))
                .toList();
    }

    @Test
    void devTrainersAreFundedToStakeAtOnce() throws Exception {
        ChainClient chain = reader();
        for (int i : new int[] {0, io.zkpfl.protocol.chain.DevChainKeys.TRAINERS - 1}) {
            String trainer = Credentials.create(io.zkpfl.protocol.chain.DevChainKeys.trainerKey(i)).getAddress();
            assertEquals(io.zkpfl.contracts.PlatformConfig.tokens(10_000), chain.token().balanceOf(chain.addresses().token(), trainer),
                    "dev trainer " + i + " holds tokens to stake");
            java.math.BigInteger wei = WEB3J.ethGetBalance(trainer, org.web3j.protocol.core.DefaultBlockParameterName.LATEST)
                    .send().getBalance();
            assertEquals(0, wei.compareTo(java.math.BigInteger.TEN.pow(21)), "dev trainer " + i + " holds 1000 ether for gas");
        }
    }

    @Test
    void aSignedJobReachesTheChainWithTheDerivedModelHashAndBucket() {
        SignedJob job = JobResourceIT.job();
        String body = job.signedBy(JobResourceIT.OWNER_KEY);
        JobParams signed = job.params;

        // the typed-data endpoint gives a wallet exactly what this client signed
        JsonPath typed = given().contentType(ContentType.JSON).body(body).when().post("/api/v1/jobs/typed-data")
                .then().statusCode(200).extract().jsonPath();
        byte[] digest = JobSignature.digest(signed, SignedJob.chainId(), SignedJob.market());
        assertEquals("0x" + HexFormat.of().formatHex(digest), typed.getString("digest"));
        assertEquals(SignedJob.keccak(job.manifest.getBytes(StandardCharsets.UTF_8)), typed.getString("modelHash"));
        assertEquals(typed.getString("modelHash"), typed.getString("typedData.message.modelHash"));
        assertEquals(32, typed.getLong("bucket"), "15 parameters: the smallest power of two ≥ 17");
        assertEquals("JobParams", typed.getString("typedData.primaryType"));
        assertEquals(SignedJob.market().toLowerCase(Locale.ROOT), typed.getString("typedData.domain.verifyingContract").toLowerCase(Locale.ROOT));
        // ... and the contract computes the same digest (an independent EIP-712 implementation: the EVM)
        assertArrayEquals(digest, reader().market().jobDigest(signed));

        JsonPath created = post(body, 201);
        long id = created.getLong("id");
        assertEquals(typed.getString("digest"), created.getString("digest"));
        JsonPath done = awaitSubmitted(id);
        assertEquals("ON_CHAIN", done.getString("submission.state"), done.getString("submission.error"));
        assertEquals("OPEN", done.getString("status"));
        BigInteger chainJobId = new BigInteger(done.getString("submission.chainJobId"));

        ChainClient chain = reader();
        JobParams onChain = jobParams(chainJobId);
        assertEquals(JobResourceIT.OWNER, onChain.owner.toLowerCase(Locale.ROOT));
        assertEquals(BigInteger.valueOf(32), onChain.bucket);
        byte[] manifest = given().when().get("/api/v1/jobs/" + id + "/artifacts/manifest.json").then().statusCode(200)
                .extract().asByteArray();
        assertEquals(job.manifest, new String(manifest, StandardCharsets.UTF_8));
        assertArrayEquals(Hash.sha3(manifest), onChain.modelHash, "modelHash = keccak-256 of the manifest artefact");
        byte[] weights = given().when().get("/api/v1/jobs/" + id + "/artifacts/weights.bin").then().statusCode(200)
                .extract().asByteArray();
        assertTrue(job.manifest.contains(SignedJob.keccak(weights)), "the manifest binds the stored weights");

        JobState state = chain.market().job(chainJobId);
        assertEquals(JobState.Status.ACTIVE, state.status());
        assertEquals(escrowedOf(SignedJob.FEE), state.escrowed(), "the fee less the creation fee is escrowed");
        assertEquals(3, state.committee().size(), "a committee of m = 3 is drawn");

        // GET shows the chain's state of the job
        given().when().get("/api/v1/jobs/" + id).then().statusCode(200)
                .body("chain.jobId", equalTo(chainJobId.toString()))
                .body("chain.status", equalTo("ACTIVE"))
                .body("chain.escrowed", equalTo(escrowedOf(SignedJob.FEE).toString()))
                .body("chain.remaining", equalTo(escrowedOf(SignedJob.FEE).toString()))
                .body("chain.paid", equalTo("0"))
                .body("chain.committee", hasSize(3))
                .body("chain.lastEvent.type", org.hamcrest.Matchers.notNullValue())
                // the committee is drawn in a block after the creation block, which opens round 0
                .body("chain.lastEvent.type", equalTo("AttemptOpened"))
                .body("chain.lastEvent.block", org.hamcrest.Matchers.greaterThan(done.getInt("submission.block")))
                .body("chain.committee[0]", equalTo(state.committee().getFirst().toLowerCase(Locale.ROOT)))
                .body("onChainTerms.modelHash", equalTo("0x" + HexFormat.of().formatHex(Hash.sha3(manifest))))
                .body("submission.txHash", org.hamcrest.Matchers.matchesPattern("0x[0-9a-f]{64}"));
    }

    @Test
    void theDevSampleJobIsSignedForThisDeploymentAndReachesTheChain() {
        String sample = given().when().get("/api/v1/chain/dev-sample-job").then().statusCode(200).extract().asString();
        long id = post(sample, 201).getLong("id");
        JsonPath done = awaitSubmitted(id);
        assertEquals("ON_CHAIN", done.getString("submission.state"), done.getString("submission.error"));
        assertEquals(DevAccounts.address(1).toLowerCase(Locale.ROOT), done.getString("owner"));
    }

    @Test
    void aReplayedJobIsOneJobOnChain() {
        SignedJob job = JobResourceIT.job();
        String body = job.signedBy(JobResourceIT.OWNER_KEY);
        long id = post(body, 201).getLong("id");
        assertEquals(id, post(body, 200).getLong("id"));
        awaitSubmitted(id);
        assertEquals(id, post(body, 200).getLong("id"), "a replay after the job is on chain still returns it");
        byte[] digest = JobSignature.digest(job.params, SignedJob.chainId(), SignedJob.market());
        assertEquals(1, chainJobsWithDigest(JobResourceIT.OWNER, digest).size());
    }

    private static void rejects(String body, int status, String field, String detail) {
        long before = JobResourceIT.total();
        given().contentType(ContentType.JSON).body(body).when().post("/api/v1/jobs").then().statusCode(status)
                .contentType("application/problem+json").body("field", equalTo(field)).body("detail", containsString(detail))
                .body("type", equalTo("https://zkpfl.io/problems/" + switch (status) {
                    case 401 -> "signature-rejected";
                    case 422 -> "rejected-by-the-chain";
                    default -> "invalid-request";
                }));
        assertEquals(before, JobResourceIT.total(), "a rejected job must not be stored");
    }

    @Test
    void aSignatureOverOtherParametersIsRefused() {
        SignedJob job = JobResourceIT.job();
        job.signedBy(JobResourceIT.OWNER_KEY);
        job.body.with("fee").put("amount", "200000000000000000000");
        rejects(job.body.toString(), 401, "signature", "not by the owner");
        SignedJob other = JobResourceIT.job();
        other.signedBy(JobResourceIT.OWNER_KEY);
        other.body.put("minTrainers", 3);
        rejects(other.body.toString(), 401, "signature", "not by the owner");
    }

    @Test
    void aSignatureForAnotherChainOrContractIsRefused() {
        rejects(JobResourceIT.job().signedBy(JobResourceIT.OWNER_KEY, null, 1, SignedJob.market()), 401, "signature",
                "chain id " + SignedJob.chainId());
        rejects(JobResourceIT.job().signedBy(JobResourceIT.OWNER_KEY, null, SignedJob.chainId(),
                SignedJob.chain().getString("registry")), 401, "signature", SignedJob.market());
    }

    @Test
    void chainSideRejectionsAre422WithTheRevertReason() {
        String notAllowed = SignedJob.chain().getString("registry").toLowerCase(Locale.ROOT);
        rejects(signed(j -> j.body.with("fee").put("token", notAllowed)), 422, "fee.token", "FeeTokenNotAllowed(" + notAllowed);
        rejects(signed(j -> j.body.with("fee").put("amount", "1000")), 422, "fee.amount", "FeeBelowMinimum(1000, 100000000000000000000)");
        rejects(signed(j -> j.body.with("committee").put("size", 4).put("threshold", 2)), 422, "committee.size",
                "NotEnoughNodes(3, 4)");
        rejects(SignedJob.tiny(UNAPPROVED, JobResourceIT.NONCE.incrementAndGet()).signedBy(UNAPPROVED_KEY), 422, "fee.amount",
                "ERC20InsufficientAllowance");
        rejects(JobResourceIT.expiredJob(), 400, "deadline", "expired");

        // a nonce the owner already used on chain (here by a job created directly, not through this service)
        String ownerKey = DevAccounts.privateKey(3);
        String owner = DevAccounts.address(3).toLowerCase(Locale.ROOT);
        long nonce = JobResourceIT.NONCE.incrementAndGet();
        SignedJob direct = SignedJob.tiny(owner, nonce);
        direct.signedBy(ownerKey);
        reader().as(Credentials.create(ownerKey)).market().createJob(direct.params,
                HexFormat.of().parseHex(direct.body.get("signature").asText().substring(2)));
        SignedJob again = SignedJob.tiny(owner, nonce);
        again.body.put("maxRounds", 9);
        rejects(again.signedBy(ownerKey), 422, "nonce", "NonceAlreadyUsed(" + owner + ", " + nonce + ")");
    }

    @Test
    void aSecondJobWithTheSameOwnerNonceIsRefused() {
        long nonce = JobResourceIT.NONCE.incrementAndGet();
        post(SignedJob.tiny(JobResourceIT.OWNER, nonce).signedBy(JobResourceIT.OWNER_KEY), 201);
        SignedJob other = SignedJob.tiny(JobResourceIT.OWNER, nonce);
        other.body.put("maxRounds", 7);
        long before = JobResourceIT.total();
        given().contentType(ContentType.JSON).body(other.signedBy(JobResourceIT.OWNER_KEY)).when().post("/api/v1/jobs")
                .then().statusCode(409).contentType("application/problem+json")
                .body("field", equalTo("nonce")).body("detail", containsString("already used by job"));
        assertEquals(before, JobResourceIT.total());
    }

    @Test
    void theTypedDataEndpointValidatesLikeThePost() {
        SignedJob job = JobResourceIT.job();
        job.body.with("committee").put("threshold", 5);
        given().contentType(ContentType.JSON).body(job.body.toString()).when().post("/api/v1/jobs/typed-data").then()
                .statusCode(400).contentType("application/problem+json").body("field", equalTo("committee.threshold"));
        given().contentType(ContentType.JSON).body("{\"owner\": 1}").when().post("/api/v1/jobs/typed-data").then()
                .statusCode(400).body("field", equalTo("owner"));
    }

    @Test
    void aFeePermitStandsInForTheAllowance() throws Exception {
        SignedJob job = SignedJob.tiny(UNAPPROVED, JobResourceIT.NONCE.incrementAndGet());
        long deadline = Instant.now().getEpochSecond() + 3600;
        PlatformToken token = PlatformToken.load(SignedJob.token(), WEB3J, new ReadonlyTransactionManager(WEB3J, UNAPPROVED),
                new DefaultGasProvider());
        BigInteger permitNonce = token.nonces(UNAPPROVED).send();
        String permit = "{\"types\":{\"EIP712Domain\":[{\"name\":\"name\",\"type\":\"string\"},{\"name\":\"version\",\"type\":\"string\"},"
                + "{\"name\":\"chainId\",\"type\":\"uint256\"},{\"name\":\"verifyingContract\",\"type\":\"address\"}],"
                + "\"Permit\":[{\"name\":\"owner\",\"type\":\"address\"},{\"name\":\"spender\",\"type\":\"address\"},"
                + "{\"name\":\"value\",\"type\":\"uint256\"},{\"name\":\"nonce\",\"type\":\"uint256\"},{\"name\":\"deadline\",\"type\":\"uint256\"}]},"
                + "\"primaryType\":\"Permit\",\"domain\":{\"name\":\"zkPFL Token\",\"version\":\"1\",\"chainId\":" + SignedJob.chainId()
                + ",\"verifyingContract\":\"" + SignedJob.token() + "\"},\"message\":{\"owner\":\"" + UNAPPROVED + "\",\"spender\":\""
                + SignedJob.market() + "\",\"value\":\"" + SignedJob.FEE + "\",\"nonce\":\"" + permitNonce + "\",\"deadline\":\""
                + deadline + "\"}}";
        Sign.SignatureData sig = Sign.signMessage(new StructuredDataEncoder(permit).hashStructuredData(),
                Credentials.create(UNAPPROVED_KEY).getEcKeyPair(), false);
        job.body.with("fee").putObject("permit").put("deadline", deadline).put("v", sig.getV()[0] & 0xff)
                .put("r", "0x" + HexFormat.of().formatHex(sig.getR())).put("s", "0x" + HexFormat.of().formatHex(sig.getS()));
        long id = post(job.signedBy(UNAPPROVED_KEY), 201).getLong("id");
        JsonPath done = awaitSubmitted(id);
        assertEquals("ON_CHAIN", done.getString("submission.state"), done.getString("submission.error"));
        assertEquals(escrowedOf(SignedJob.FEE), reader().market().job(new BigInteger(done.getString("submission.chainJobId"))).escrowed());
    }

    @Test
    void aRestartedWorkerFindsItsEarlierSubmissionInsteadOfCreatingTheJobTwice() throws Exception {
        // an earlier instance sent createJob and died before recording it: the job is on chain, its row still PENDING
        awaitRow(insertPendingRowForAJobAlreadyOnChain(Instant.now().getEpochSecond() + 3600, 0));
        // the same after the signature's deadline: the chain now answers SignatureExpired, not NonceAlreadyUsed
        awaitRow(insertPendingRowForAJobAlreadyOnChain(Instant.now().getEpochSecond() + 3, 4_000));
    }

    private record Inserted(long id, BigInteger chainJobId, byte[] digest, String owner) {
    }

    private void awaitRow(Inserted row) {
        JsonPath done = awaitSubmitted(row.id());
        assertEquals("ON_CHAIN", done.getString("submission.state"), done.getString("submission.error"));
        assertEquals(row.chainJobId().toString(), done.getString("submission.chainJobId"));
        assertEquals(List.of(row.chainJobId()), chainJobsWithDigest(row.owner(), row.digest()), "created exactly once");
    }

    private Inserted insertPendingRowForAJobAlreadyOnChain(long deadline, long waitBeforeInsertMillis) throws Exception {
        String ownerKey = DevAccounts.privateKey(3);
        String owner = DevAccounts.address(3).toLowerCase(Locale.ROOT);
        SignedJob job = SignedJob.tiny(owner, JobResourceIT.NONCE.incrementAndGet());
        job.body.put("deadline", deadline);
        job.signedBy(ownerKey);
        byte[] digest = JobSignature.digest(job.params, SignedJob.chainId(), SignedJob.market());
        long block = WEB3J.ethBlockNumber().send().getBlockNumber().longValueExact();
        byte[] signature = HexFormat.of().parseHex(job.body.get("signature").asText().substring(2));
        BigInteger chainJobId = reader().as(Credentials.create(ownerKey)).market().createJob(job.params, signature);
        sleep(waitBeforeInsertMillis);
        var pg = DevStack.shared().postgres();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password());
             PreparedStatement insert = c.prepareStatement("INSERT INTO job (digest, owner, status, model_spec, parameter_count, "
                     + "local_epochs, batch_size, learning_rate, optimiser, target_accuracy, max_rounds, fee_token, fee_amount, "
                     + "committee_size, threshold, min_trainers, nonce, deadline, signature, model_cid, weights_cid, weights_hash, "
                     + "weights_bytes, created_at, chain_params, submission, submit_attempts, next_submit_at, chain_from_block) "
                     + "VALUES (?, ?, 'POSTED', ?, 15, 2, 32, 0.05, 'sgd', 0.85, 20, ?, ?, 3, 2, 2, ?, ?, ?, 'QmUnused', 'QmUnused', "
                     + "'0x00', 60, now(), ?, 'PENDING', 1, now(), ?) RETURNING id")) {
            insert.setString(1, "0x" + HexFormat.of().formatHex(digest));
            insert.setString(2, owner);
            insert.setString(3, job.canonicalModel);
            insert.setString(4, SignedJob.token());
            insert.setBigDecimal(5, new BigDecimal(SignedJob.FEE));
            insert.setBigDecimal(6, new BigDecimal(job.params.nonce));
            insert.setLong(7, deadline);
            insert.setString(8, job.body.get("signature").asText());
            insert.setString(9, JobSignature.messageJson(job.params));
            insert.setLong(10, block);
            try (var rs = insert.executeQuery()) {
                rs.next();
                return new Inserted(rs.getLong(1), chainJobId, digest, owner);
            }
        }
    }

    private static String signed(java.util.function.Consumer<SignedJob> change) {
        SignedJob job = JobResourceIT.job();
        change.accept(job);
        return job.signedBy(JobResourceIT.OWNER_KEY);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
