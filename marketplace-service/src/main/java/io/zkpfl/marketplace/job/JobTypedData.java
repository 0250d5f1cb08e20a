package io.zkpfl.marketplace.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkpfl.marketplace.problem.ProblemException;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import org.web3j.crypto.Hash;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;
import org.web3j.crypto.StructuredDataEncoder;

/**
 * The EIP-712 typed data an owner signs to post a job, and the check of that signature.
 *
 * <p>Domain {@code {name: "zkPFL", version: "1", chainId}}; primary type
 * {@code Job(address owner,bytes32 modelSpecHash,bytes32 initialWeightsHash,uint32 localEpochs,uint32 batchSize,
 * uint64 learningRateE9,string optimiser,uint32 targetAccuracyPpm,uint32 maxRounds,address feeToken,uint256 feeAmount,
 * uint8 committeeSize,uint8 threshold,uint32 minTrainers,uint256 nonce,uint64 deadline)}, where
 * {@code modelSpecHash} is keccak-256 of the canonical model JSON ({@code ModelSpec.toJson()}, UTF-8) and
 * {@code initialWeightsHash} keccak-256 of the weight bytes, or zero when the service initialises them.
 * Wallets show every field; the digest is the job's identity, so re-posting a signed job is idempotent.
 */
public final class JobTypedData {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final BigInteger SECP256K1_HALF_N =
            new BigInteger("7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0", 16);
    private static final String[][] JOB_TYPE = {
        {"owner", "address"}, {"modelSpecHash", "bytes32"}, {"initialWeightsHash", "bytes32"},
        {"localEpochs", "uint32"}, {"batchSize", "uint32"}, {"learningRateE9", "uint64"}, {"optimiser", "string"},
        {"targetAccuracyPpm", "uint32"}, {"maxRounds", "uint32"}, {"feeToken", "address"}, {"feeAmount", "uint256"},
        {"committeeSize", "uint8"}, {"threshold", "uint8"}, {"minTrainers", "uint32"}, {"nonce", "uint256"},
        {"deadline", "uint64"},
    };

    private JobTypedData() {
    }

    /** The EIP-712 typed-data JSON (as {@code eth_signTypedData_v4} takes it) for a request on a chain. */
    public static String json(JobRequest request, long chainId) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode types = root.putObject("types");
        ArrayNode domainType = types.putArray("EIP712Domain");
        domainType.addObject().put("name", "name").put("type", "string");
        domainType.addObject().put("name", "version").put("type", "string");
        domainType.addObject().put("name", "chainId").put("type", "uint256");
        ArrayNode jobType = types.putArray("Job");
        for (String[] field : JOB_TYPE) {
            jobType.addObject().put("name", field[0]).put("type", field[1]);
        }
        root.put("primaryType", "Job");
        root.putObject("domain").put("name", "zkPFL").put("version", "1").put("chainId", chainId);
        ObjectNode message = root.putObject("message");
        message.put("owner", request.owner());
        message.put("modelSpecHash", hex(Hash.sha3(request.model().toJson().getBytes(StandardCharsets.UTF_8))));
        message.put("initialWeightsHash", hex(weightsHash(request.initialWeights())));
        message.put("localEpochs", request.training().localEpochs());
        message.put("batchSize", request.training().batchSize());
        message.put("learningRateE9", scaled(BigDecimal.valueOf(request.training().learningRate()), 9));
        message.put("optimiser", request.training().optimiser().name().toLowerCase(Locale.ROOT));
        message.put("targetAccuracyPpm", scaled(request.targetAccuracy(), 6));
        message.put("maxRounds", request.maxRounds());
        message.put("feeToken", request.feeToken());
        message.put("feeAmount", request.feeAmount().toString());
        message.put("committeeSize", request.committeeSize());
        message.put("threshold", request.threshold());
        message.put("minTrainers", request.minTrainers());
        message.put("nonce", request.nonce().toString());
        message.put("deadline", request.deadline());
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The 32-byte EIP-712 digest of a request: the job's identity. */
    public static byte[] digest(JobRequest request, long chainId) {
        try {
            return new StructuredDataEncoder(json(request, chainId)).hashStructuredData();
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot encode the job as EIP-712 typed data", e);
        }
    }

    /** keccak-256 of the initial weights, or 32 zero bytes when there are none. */
    public static byte[] weightsHash(byte[] weights) {
        return weights == null ? new byte[32] : Hash.sha3(weights);
    }

    /**
     * Checks that {@code signature} over {@code digest} was made by {@code owner}.
     *
     * @throws ProblemException 401 naming the {@code signature} field when it is malformed, malleable or by another address
     */
    public static void verify(byte[] digest, byte[] signature, String owner) {
        byte v = signature[64];
        if (v < 27) {
            v += 27;
        }
        if (v != 27 && v != 28) {
            throw ProblemException.unauthorised("signature", "recovery byte v must be 27 or 28 (or 0 or 1), got " + signature[64]);
        }
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, 32, 64));
        if (s.compareTo(SECP256K1_HALF_N) > 0) {
            throw ProblemException.unauthorised("signature", "non-canonical signature (s in the upper half of the curve order)");
        }
        String signer;
        try {
            BigInteger key = Sign.signedMessageHashToKey(digest,
                    new Sign.SignatureData(v, Arrays.copyOfRange(signature, 0, 32), Arrays.copyOfRange(signature, 32, 64)));
            signer = "0x" + Keys.getAddress(key);
        } catch (java.security.SignatureException | RuntimeException e) {
            throw ProblemException.unauthorised("signature", "not a valid secp256k1 signature over the job's EIP-712 digest");
        }
        if (!signer.equalsIgnoreCase(owner)) {
            throw ProblemException.unauthorised("signature", "the signature is by " + signer + ", not by the owner " + owner
                    + "; sign the job's EIP-712 typed data with the owner's wallet");
        }
    }

    private static long scaled(BigDecimal value, int decimals) {
        return value.movePointRight(decimals).setScale(0, java.math.RoundingMode.HALF_EVEN).longValueExact();
    }

    private static String hex(byte[] bytes) {
        return "0x" + HexFormat.of().formatHex(bytes);
    }
}
