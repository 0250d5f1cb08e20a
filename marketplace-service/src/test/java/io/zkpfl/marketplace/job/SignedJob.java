package io.zkpfl.marketplace.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.Sign;
import org.web3j.crypto.StructuredDataEncoder;

/**
 * Builds job requests as a model owner's wallet would: the JSON body and an EIP-712 signature over typed
 * data assembled here from the documented schema (not from the service's own encoder), so a test fails if
 * the service signs something other than what docs/marketplace-api.md says.
 */
final class SignedJob {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String MLP = "{\"input\":{\"shape\":[784]},\"layers\":[{\"type\":\"dense\",\"units\":32,\"activation\":\"relu\"},"
            + "{\"type\":\"output\",\"units\":10,\"activation\":\"softmax\"}],\"loss\":\"cross_entropy\"}";
    static final String TINY = "{\"input\":{\"shape\":[4]},\"layers\":[{\"type\":\"output\",\"units\":3,\"activation\":\"softmax\"}],\"loss\":\"cross_entropy\"}";
    static final int TINY_PARAMETERS = 4 * 3 + 3;
    static final String FEE_TOKEN = "0x5fbdb2315678afecb367f032d93f642f64180aa3";

    ObjectNode body = JSON.createObjectNode();
    String canonicalModel;

    static SignedJob tiny(String owner, long nonce) {
        SignedJob job = new SignedJob();
        job.body.put("owner", owner);
        job.model(TINY);
        ObjectNode training = job.body.putObject("training");
        training.put("localEpochs", 2).put("batchSize", 32).put("learningRate", 0.05).put("optimiser", "sgd");
        job.body.put("targetAccuracy", 0.85);
        job.body.put("maxRounds", 20);
        job.body.putObject("fee").put("token", FEE_TOKEN).put("amount", "100000000000000000000");
        job.body.putObject("committee").put("size", 3).put("threshold", 2);
        job.body.put("minTrainers", 2);
        job.body.put("nonce", String.valueOf(nonce));
        job.body.put("deadline", Instant.now().getEpochSecond() + 3600);
        return job;
    }

    SignedJob model(String json) {
        try {
            body.set("model", JSON.readTree(json));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
        try {
            canonicalModel = io.zkpfl.protocol.model.ModelSpec.parse(json).toJson();
        } catch (io.zkpfl.protocol.model.ModelSpecException invalidOnPurpose) {
            canonicalModel = json;
        }
        return this;
    }

    SignedJob weights(byte[] weights) {
        body.put("initialWeights", Base64.getEncoder().encodeToString(weights));
        return this;
    }

    /** Signs the body's current content with {@code privateKey} for chain 31337 and returns the JSON. */
    String signedBy(String privateKey) {
        return signedBy(privateKey, null);
    }

    String signedBy(String privateKey, byte[] multipartWeights) {
        try {
            byte[] digest;
            try {
                digest = new StructuredDataEncoder(typedData(multipartWeights)).hashStructuredData();
            } catch (RuntimeException unencodable) {
                // a deliberately invalid field (e.g. a negative accuracy) has no EIP-712 encoding; the
                // service must reject the field before it looks at the signature
                body.put("signature", "0x" + "00".repeat(65));
                return JSON.writeValueAsString(body);
            }
            Sign.SignatureData sig = Sign.signMessage(digest, Credentials.create(privateKey).getEcKeyPair(), false);
            byte[] rsv = new byte[65];
            System.arraycopy(sig.getR(), 0, rsv, 0, 32);
            System.arraycopy(sig.getS(), 0, rsv, 32, 32);
            rsv[64] = sig.getV()[0];
            body.put("signature", "0x" + HexFormat.of().formatHex(rsv));
            return JSON.writeValueAsString(body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    String typedData(byte[] multipartWeights) throws Exception {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode types = root.putObject("types");
        ArrayNode domain = types.putArray("EIP712Domain");
        domain.addObject().put("name", "name").put("type", "string");
        domain.addObject().put("name", "version").put("type", "string");
        domain.addObject().put("name", "chainId").put("type", "uint256");
        String schema = "owner:address,modelSpecHash:bytes32,initialWeightsHash:bytes32,localEpochs:uint32,batchSize:uint32,"
                + "learningRateE9:uint64,optimiser:string,targetAccuracyPpm:uint32,maxRounds:uint32,feeToken:address,feeAmount:uint256,"
                + "committeeSize:uint8,threshold:uint8,minTrainers:uint32,nonce:uint256,deadline:uint64";
        ArrayNode job = types.putArray("Job");
        for (String field : schema.split(",")) {
            String[] nt = field.split(":");
            job.addObject().put("name", nt[0]).put("type", nt[1]);
        }
        root.put("primaryType", "Job");
        root.putObject("domain").put("name", "zkPFL").put("version", "1").put("chainId", 31337);
        ObjectNode m = root.putObject("message");
        m.put("owner", body.get("owner").asText());
        m.put("modelSpecHash", "0x" + HexFormat.of().formatHex(Hash.sha3(canonicalModel.getBytes(StandardCharsets.UTF_8))));
        byte[] weights = multipartWeights != null ? multipartWeights
                : body.has("initialWeights") ? Base64.getDecoder().decode(body.get("initialWeights").asText()) : null;
        m.put("initialWeightsHash", "0x" + HexFormat.of().formatHex(weights == null ? new byte[32] : Hash.sha3(weights)));
        ObjectNode training = (ObjectNode) body.get("training");
        m.put("localEpochs", training.get("localEpochs").asInt());
        m.put("batchSize", training.get("batchSize").asInt());
        m.put("learningRateE9", training.get("learningRate").decimalValue().movePointRight(9).longValueExact());
        m.put("optimiser", training.get("optimiser").asText());
        m.put("targetAccuracyPpm", body.get("targetAccuracy").decimalValue().movePointRight(6).longValue());
        m.put("maxRounds", body.get("maxRounds").asInt());
        m.put("feeToken", body.get("fee").get("token").asText());
        m.put("feeAmount", body.get("fee").get("amount").asText());
        m.put("committeeSize", body.get("committee").get("size").asInt());
        m.put("threshold", body.get("committee").get("threshold").asInt());
        m.put("minTrainers", body.get("minTrainers").asInt());
        m.put("nonce", new BigInteger(body.get("nonce").asText()).toString());
        m.put("deadline", body.get("deadline").asLong());
        return JSON.writeValueAsString(root);
    }

    static byte[] floats(int n, float start) {
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(4 * n).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            buffer.putFloat(start + i * 0.25f);
        }
        return buffer.array();
    }
}
