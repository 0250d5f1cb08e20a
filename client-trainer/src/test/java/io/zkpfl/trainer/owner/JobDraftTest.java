package io.zkpfl.trainer.owner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkpfl.contracts.JobSignature;
import io.zkpfl.contracts.generated.JobMarket.JobParams;
import io.zkpfl.protocol.chain.DevChainKeys;
import io.zkpfl.protocol.model.ModelSpec;
import io.zkpfl.trainer.round.TrainerException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

class JobDraftTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Credentials OWNER = Credentials.create(DevChainKeys.privateKey(1));
    private static final String TOKEN = "0x5fbdb2315678afecb367f032d93f642f64180aa3";
    private static final String MARKET = "0xcf7ed3acca5a467e9e704c703e8d87f634fb0fc9";
    private static final String EVALUATOR = "0xa0ee7a142d267c1f36714e4a8f75612f20a79720";
    private static final String MANIFEST = "{\"version\":1,\"modelSpec\":\"0x01\",\"parameterCount\":10,\"initialWeights\":"
            + "{\"keccak256\":\"0x02\",\"bytes\":40,\"initialisation\":null},\"training\":{\"localEpochs\":2,\"batchSize\":32,"
            + "\"learningRate\":\"0.1\",\"optimiser\":\"sgd\"}}";

    @Test
    void committeeIsSizeSlashThresholdWithTAtLeastTwoAndMAtLeastTwoTMinusOne() {
        assertEquals(new JobDraft.Committee(3, 2), JobDraft.Committee.parse("3/2"));
        assertEquals(new JobDraft.Committee(5, 3), JobDraft.Committee.parse(" 5 / 3 "));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> JobDraft.Committee.parse("3/1")).getMessage().contains("at least 2"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> JobDraft.Committee.parse("4/3")).getMessage().contains("2t - 1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> JobDraft.Committee.parse("3")).getMessage().contains("no threshold"));
        for (String bad : List.of("", "x/2", "3/2/1", "-3/2", "3/0")) {
            assertTrue(assertThrows(IllegalArgumentException.class, () -> JobDraft.Committee.parse(bad)).getMessage()
                    .contains("SIZE/THRESHOLD"), bad);
        }
    }

    @Test
    void trainersAreMinSlashMaxOrMinWithTheMarketplacesDefaultMaximum() {
        assertEquals(new JobDraft.Trainers(2, 16), JobDraft.Trainers.parse("2/16"));
        assertEquals(new JobDraft.Trainers(4, 16), JobDraft.Trainers.parse("4"));
        assertEquals(new JobDraft.Trainers(20, 20), JobDraft.Trainers.parse("20"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> JobDraft.Trainers.parse("1/4")).getMessage().contains("at least 2"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> JobDraft.Trainers.parse("5/3")).getMessage().contains("below"));
        assertThrows(IllegalArgumentException.class, () -> JobDraft.Trainers.parse("two"));
    }

    @Test
    void windowsOverrideTheDemosDefaultsByName() {
        assertEquals(Map.of("commit", 600L, "complaint", 10L, "partial", 120L, "proof", 300L, "reveal", 120L), JobDraft.windows(null));
        Map<String, Long> w = JobDraft.windows(Map.of("Commit", 3_600L, "reveal", 60L));
        assertEquals(List.of(3_600L, 10L, 120L, 300L, 60L), List.copyOf(w.values()), "in the contract's order");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> JobDraft.windows(Map.of("vote", 5L))).getMessage()
                .contains("commit, complaint, partial, proof, reveal"));
        assertThrows(IllegalArgumentException.class, () -> JobDraft.windows(Map.of("proof", 0L)));
        assertThrows(IllegalArgumentException.class, () -> JobDraft.windows(Map.of("proof", 604_801L)));
    }

    @Test
    void theJsonIsTheMarketplacesRequestWithoutSignature() throws Exception {
        ObjectNode j = draft(null, new JobDraft.Privacy(new BigDecimal("8"), new BigDecimal("1e-5"), new BigDecimal("5"),
                BigDecimal.ONE)).toJson();
        assertEquals(OWNER.getAddress().toLowerCase(), j.get("owner").asText());
        assertEquals(10, ModelSpec.parse(j.get("model").toString()).parameterCount());
        assertFalse(j.has("initialWeights"), "no weights: the marketplace initialises them");
        assertFalse(j.has("signature"));
        assertEquals("1000000000000000000000", j.at("/fee/amount").asText());
        assertEquals(3, j.at("/committee/size").asInt());
        assertEquals(2, j.at("/committee/threshold").asInt());
        assertEquals("0.00001", j.at("/privacy/delta").asText());
        assertEquals(600, j.at("/windows/commit").asInt());
        byte[] weights = new byte[40];
        weights[3] = 7;
        assertArrayEquals(weights, java.util.Base64.getDecoder().decode(draft(weights, null).toJson().get("initialWeights").asText()));
    }

    @Test
    void typedDataWithExactlyTheAskedTermsGivesTheContractsDigestAndASignatureByTheOwner() throws Exception {
        JobDraft d = draft(null, null);
        byte[] digest = d.checkTypedData(answer(params(d, BigInteger.ZERO), MANIFEST), 31337, MARKET);
        assertArrayEquals(JobSignature.digest(params(d, BigInteger.ZERO), 31337, MARKET), digest);
        assertEquals(OWNER.getAddress().toLowerCase(), JobSignature.recoverSigner(digest, JobDraft.sign(digest, OWNER)).toLowerCase());
    }

    @Test
    void typedDataThatDiffersFromTheAskedJobIsNotSigned() throws Exception {
        JobDraft d = draft(null, null);
        assertRefused("its fee is", () -> d.checkTypedData(answer(params(d, BigInteger.ONE), MANIFEST), 31337, MARKET));
        assertRefused("JobMarket", () -> d.checkTypedData(answer(params(d, BigInteger.ZERO), MANIFEST), 31337,
                "0x0000000000000000000000000000000000000001"));
        assertRefused("chainId", () -> d.checkTypedData(answer(params(d, BigInteger.ZERO), MANIFEST), 1, MARKET));
        ObjectNode a = answer(params(d, BigInteger.ZERO), MANIFEST);
        a.set("manifest", JSON.readTree(MANIFEST.replace("\"version\":1", "\"version\":2")));
        assertRefused("modelHash", () -> d.checkTypedData(a, 31337, MARKET));
        ObjectNode b = answer(params(d, BigInteger.ZERO), MANIFEST);
        b.put("digest", Numeric.toHexString(Hash.sha3(new byte[] {1})));
        assertRefused("digest", () -> d.checkTypedData(b, 31337, MARKET));
        JobDraft withWeights = draft(new byte[40], null);
        assertRefused("--weights", () -> withWeights.checkTypedData(answer(params(withWeights, BigInteger.ZERO), MANIFEST), 31337, MARKET));
    }

    private static void assertRefused(String fragment, org.junit.jupiter.api.function.Executable call) {
        TrainerException e = assertThrows(TrainerException.class, call);
        assertEquals(TrainerException.REFUSED, e.exitCode());
        assertTrue(e.getMessage().contains(fragment) && e.getMessage().contains("nothing was signed"), e.getMessage());
    }

    private static JobDraft draft(byte[] weights, JobDraft.Privacy privacy) {
        return new JobDraft(OWNER.getAddress(), ModelSpec.parse("{\"input\":{\"shape\":[4]},\"layers\":[{\"type\":\"output\","
                + "\"units\":2,\"activation\":\"softmax\"}],\"loss\":\"cross_entropy\"}"), weights,
                new JobDraft.Training(2, 32, new BigDecimal("0.1"), "sgd"), new BigDecimal("0.85"), 20, TOKEN,
                new BigInteger("1000000000000000000000"), new JobDraft.Committee(3, 2), new JobDraft.Trainers(2, 16), 60_000,
                new BigDecimal("0.5"), JobDraft.windows(null), EVALUATOR, BigInteger.valueOf(42), 1_795_000_000L, privacy);
    }

    /** The chain's JobParams of {@code d} as the marketplace derives them, its fee raised by {@code extraFee}. */
    private static JobParams params(JobDraft d, BigInteger extraFee) {
        Map<String, Long> w = d.windows();
        return new JobParams(d.owner(), d.feeToken(), d.fee().add(extraFee), d.evaluator(),
                Hash.sha3(MANIFEST.getBytes(StandardCharsets.UTF_8)), BigInteger.valueOf(16), BigInteger.valueOf(d.maxRounds()),
                BigInteger.valueOf(d.committee().size()), BigInteger.valueOf(d.committee().threshold()),
                BigInteger.valueOf(d.trainers().min()), BigInteger.valueOf(d.trainers().max()), BigInteger.valueOf(d.maxSamples()),
                BigInteger.valueOf(262_144), BigInteger.valueOf(850_000), BigInteger.valueOf(500_000), BigInteger.valueOf(w.get("commit")),
                BigInteger.valueOf(w.get("complaint")), BigInteger.valueOf(w.get("partial")), BigInteger.valueOf(w.get("proof")),
                BigInteger.valueOf(w.get("reveal")), d.nonce(), BigInteger.valueOf(d.deadline()), new byte[32],
                io.zkpfl.contracts.JobSignature.evaluatorVersion(io.zkpfl.contracts.JobSignature.DEFAULT_EVALUATOR_RELEASE),
                io.zkpfl.contracts.JobSignature.defaultEvaluatorBond(d.owner(), d.evaluator(), d.fee().add(extraFee)),
                BigInteger.ZERO);
    }

    /** The marketplace's answer to POST /api/v1/jobs/typed-data for {@code p}, built with the contracts' own encoder. */
    private static ObjectNode answer(JobParams p, String manifest) throws Exception {
        ObjectNode a = JSON.createObjectNode();
        a.set("typedData", JSON.readTree(JobSignature.typedDataJson(p, 31337, MARKET)));
        a.put("digest", Numeric.toHexString(JobSignature.digest(p, 31337, MARKET)));
        a.set("manifest", JSON.readTree(manifest));
        a.put("modelHash", Numeric.toHexString(p.modelHash));
        return a;
    }
}
