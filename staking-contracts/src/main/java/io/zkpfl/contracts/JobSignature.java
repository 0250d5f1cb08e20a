package io.zkpfl.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkpfl.contracts.generated.JobMarket.JobParams;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;
import org.web3j.crypto.StructuredDataEncoder;
import org.web3j.utils.Numeric;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.SignatureException;
import java.util.Arrays;

/**
 * The owner's EIP-712 signature over a job's parameters (domain {@code zkPFL JobMarket}, version 1,
 * the chain id and the market's address), computed with web3j's EIP-712 encoder from the type below,
 * independently of the contract. Also gives the typed data as wallets take it ({@code eth_signTypedData_v4})
 * and recovers the signer of a signature, refusing non-canonical (high-s) signatures as the contract does.
 */
public final class JobSignature {

    /** The release id of the platform's evaluator (the reward engine) whose keccak256 jobs sign by default. */
    public static final String DEFAULT_EVALUATOR_RELEASE = "zkpfl-reward-engine/1";

    /** keccak256 of {@code releaseId}, the {@code evaluatorVersion} a job signs. */
    public static byte[] evaluatorVersion(String releaseId) {
        return org.web3j.crypto.Hash.sha3(releaseId.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * The evaluator bond a job carries unless its owner asks otherwise: none, except when the owner is its own
     * evaluator, then the minimum the development economics ask ({@link PlatformConfig.Economics#DEV}, 10 % of the
     * fee). The marketplace proposes it and the owner CLI expects it.
     */
    public static BigInteger defaultEvaluatorBond(String owner, String evaluator, BigInteger fee) {
        return defaultEvaluatorBond(owner, evaluator, fee, new byte[32]);
    }

    /**
     * As {@link #defaultEvaluatorBond(String, String, BigInteger)}, and the same minimum when the job commits to the
     * owner's own validation set ({@code validationCommitment} non-zero), as the contract requires (ADR 0100).
     */
    public static BigInteger defaultEvaluatorBond(String owner, String evaluator, BigInteger fee, byte[] validationCommitment) {
        boolean ownSet = validationCommitment != null && new BigInteger(1, validationCommitment).signum() != 0;
        return ownSet || owner != null && owner.equalsIgnoreCase(evaluator) ? PlatformConfig.Economics.DEV.minOwnerBond(fee)
                : BigInteger.ZERO;
    }

    /** keccak256(abi.encode(bundleHash, contentKey)): the {@code validationCommitment} of an encrypted validation set. */
    public static byte[] validationCommitment(byte[] bundleHash, byte[] contentKey) {
        if (bundleHash.length != 32 || contentKey.length != 32) {
            throw new IllegalArgumentException("bundle hash and content key are 32 bytes each");
        }
        byte[] both = new byte[64];
        System.arraycopy(bundleHash, 0, both, 0, 32);
        System.arraycopy(contentKey, 0, both, 32, 32);
        return org.web3j.crypto.Hash.sha3(both);
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[][] FIELDS = {
            {"owner", "address"}, {"feeToken", "address"}, {"fee", "uint256"}, {"evaluator", "address"},
            {"modelHash", "bytes32"}, {"bucket", "uint32"}, {"maxRounds", "uint16"}, {"committeeSize", "uint16"},
            {"threshold", "uint16"}, {"minTrainers", "uint16"}, {"maxTrainers", "uint16"}, {"maxSamples", "uint32"},
            {"clipQ16", "uint256"}, {"targetAccuracy", "uint32"}, {"alpha", "uint32"}, {"commitWindow", "uint32"},
            {"complaintWindow", "uint32"}, {"partialWindow", "uint32"}, {"proofWindow", "uint32"},
            {"revealWindow", "uint32"}, {"nonce", "uint256"}, {"deadline", "uint256"},
            {"validationCommitment", "bytes32"}, {"evaluatorVersion", "bytes32"}, {"evaluatorBond", "uint256"},
            {"groups", "uint16"}};

    private static final BigInteger SECP256K1_HALF_N =
            new BigInteger("7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0", 16);

    private JobSignature() {
    }

    /**
     * The typed data of {@code p} as the JSON that {@code eth_signTypedData_v4} takes: {@code types},
     * {@code primaryType}, {@code domain}, {@code message}, every integer as a decimal string.
     */
    public static String typedDataJson(JobParams p, long chainId, String market) {
        return typedData(p, chainId, market);
    }

    /** The {@code message} object of {@link #typedDataJson} for {@code p}, as JSON. */
    public static String messageJson(JobParams p) {
        return message(JSON.createObjectNode(), p).toString();
    }

    /**
     * The parameters in a {@code message} object of {@link #typedDataJson} (inverse of {@link #messageJson}).
     *
     * @throws IllegalArgumentException if a field is missing or not a number/address of its type
     */
    public static JobParams fromMessageJson(String json) {
        JsonNode m;
        try {
            m = JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage());
        }
        try {
            return new JobParams(text(m, "owner"), text(m, "feeToken"), uint(m, "fee"), text(m, "evaluator"),
                    Numeric.hexStringToByteArray(text(m, "modelHash")), uint(m, "bucket"), uint(m, "maxRounds"),
                    uint(m, "committeeSize"), uint(m, "threshold"), uint(m, "minTrainers"), uint(m, "maxTrainers"),
                    uint(m, "maxSamples"), uint(m, "clipQ16"), uint(m, "targetAccuracy"), uint(m, "alpha"),
                    uint(m, "commitWindow"), uint(m, "complaintWindow"), uint(m, "partialWindow"),
                    uint(m, "proofWindow"), uint(m, "revealWindow"), uint(m, "nonce"), uint(m, "deadline"),
                    bytes32(m, "validationCommitment"), bytes32(m, "evaluatorVersion"), uint(m, "evaluatorBond"),
                    uint(m, "groups"));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a JobParams message: " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode m, String field) {
        JsonNode v = m.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("missing " + field);
        }
        return v.asText();
    }

    private static byte[] bytes32(JsonNode m, String field) {
        byte[] word = Numeric.hexStringToByteArray(text(m, field));
        if (word.length != 32) {
            throw new IllegalArgumentException(field + " is not 32 bytes");
        }
        return word;
    }

    private static BigInteger uint(JsonNode m, String field) {
        BigInteger v = new BigInteger(text(m, field));
        if (v.signum() < 0) {
            throw new IllegalArgumentException(field + " is negative");
        }
        return v;
    }

    /**
     * The address (lower-case {@code 0x…}) whose key made the 65-byte signature {@code r ‖ s ‖ v} over
     * {@code digest}. {@code v} may be 27/28 or 0/1.
     *
     * @throws IllegalArgumentException if the signature is malformed, has a high {@code s} (a malleated copy
     *                                  of another signature, refused by the contract too) or recovers no key
     */
    public static String recoverSigner(byte[] digest, byte[] signature) {
        if (signature.length != 65) {
            throw new IllegalArgumentException("an EIP-712 signature is 65 bytes (r ‖ s ‖ v), got " + signature.length);
        }
        int v = signature[64] & 0xff;
        if (v < 27) {
            v += 27;
        }
        if (v != 27 && v != 28) {
            throw new IllegalArgumentException("recovery byte v must be 27 or 28 (or 0 or 1), got " + (signature[64] & 0xff));
        }
        byte[] r = Arrays.copyOfRange(signature, 0, 32);
        byte[] s = Arrays.copyOfRange(signature, 32, 64);
        if (new BigInteger(1, s).compareTo(SECP256K1_HALF_N) > 0) {
            throw new IllegalArgumentException("non-canonical signature (s in the upper half of the curve order)");
        }
        try {
            BigInteger key = Sign.signedMessageHashToKey(digest, new Sign.SignatureData((byte) v, r, s));
            return "0x" + Keys.getAddress(key);
        } catch (SignatureException | RuntimeException e) {
            throw new IllegalArgumentException("not a valid secp256k1 signature over the digest");
        }
    }

    /** The EIP-712 digest of {@code p} for the market at {@code market} on chain {@code chainId}. */
    public static byte[] digest(JobParams p, long chainId, String market) {
        try {
            return new StructuredDataEncoder(typedData(p, chainId, market)).hashStructuredData();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The owner's 65-byte signature (r ‖ s ‖ v) over {@link #digest}. */
    public static byte[] sign(JobParams p, long chainId, String market, Credentials owner) {
        Sign.SignatureData sig = Sign.signMessage(digest(p, chainId, market), owner.getEcKeyPair(), false);
        byte[] out = new byte[65];
        System.arraycopy(sig.getR(), 0, out, 0, 32);
        System.arraycopy(sig.getS(), 0, out, 32, 32);
        out[64] = sig.getV()[0];
        return out;
    }

    private static String typedData(JobParams p, long chainId, String market) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode types = root.putObject("types");
        ArrayNode domainType = types.putArray("EIP712Domain");
        domainType.addObject().put("name", "name").put("type", "string");
        domainType.addObject().put("name", "version").put("type", "string");
        domainType.addObject().put("name", "chainId").put("type", "uint256");
        domainType.addObject().put("name", "verifyingContract").put("type", "address");
        ArrayNode jobType = types.putArray("JobParams");
        for (String[] field : FIELDS) {
            jobType.addObject().put("name", field[0]).put("type", field[1]);
        }
        root.put("primaryType", "JobParams");
        ObjectNode domain = root.putObject("domain");
        domain.put("name", "zkPFL JobMarket").put("version", "1").put("chainId", chainId).put("verifyingContract", market);
        message(root.putObject("message"), p);
        return root.toString();
    }

    private static ObjectNode message(ObjectNode message, JobParams p) {
        message.put("owner", p.owner).put("feeToken", p.feeToken).put("fee", p.fee.toString())
                .put("evaluator", p.evaluator).put("modelHash", Numeric.toHexString(p.modelHash))
                .put("bucket", p.bucket.toString()).put("maxRounds", p.maxRounds.toString())
                .put("committeeSize", p.committeeSize.toString()).put("threshold", p.threshold.toString())
                .put("minTrainers", p.minTrainers.toString()).put("maxTrainers", p.maxTrainers.toString())
                .put("maxSamples", p.maxSamples.toString()).put("clipQ16", p.clipQ16.toString())
                .put("targetAccuracy", p.targetAccuracy.toString()).put("alpha", p.alpha.toString())
                .put("commitWindow", p.commitWindow.toString()).put("complaintWindow", p.complaintWindow.toString())
                .put("partialWindow", p.partialWindow.toString()).put("proofWindow", p.proofWindow.toString())
                .put("revealWindow", p.revealWindow.toString()).put("nonce", p.nonce.toString())
                .put("deadline", p.deadline.toString())
                .put("validationCommitment", Numeric.toHexString(p.validationCommitment))
                .put("evaluatorVersion", Numeric.toHexString(p.evaluatorVersion))
                .put("evaluatorBond", p.evaluatorBond.toString()).put("groups", p.groups.toString());
        return message;
    }
}
