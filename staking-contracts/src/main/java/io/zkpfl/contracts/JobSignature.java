package io.zkpfl.contracts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkpfl.contracts.generated.JobMarket.JobParams;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Sign;
import org.web3j.crypto.StructuredDataEncoder;
import org.web3j.utils.Numeric;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The owner's EIP-712 signature over a job's parameters (domain {@code zkPFL JobMarket}, version 1,
 * the chain id and the market's address), computed with web3j's EIP-712 encoder from the type below,
 * independently of the contract.
 */
public final class JobSignature {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[][] FIELDS = {
            {"owner", "address"}, {"feeToken", "address"}, {"fee", "uint256"}, {"evaluator", "address"},
            {"modelHash", "bytes32"}, {"bucket", "uint32"}, {"maxRounds", "uint16"}, {"committeeSize", "uint16"},
            {"threshold", "uint16"}, {"minTrainers", "uint16"}, {"maxTrainers", "uint16"}, {"maxSamples", "uint32"},
            {"clipQ16", "uint256"}, {"targetAccuracy", "uint32"}, {"alpha", "uint32"}, {"commitWindow", "uint32"},
            {"complaintWindow", "uint32"}, {"partialWindow", "uint32"}, {"proofWindow", "uint32"},
            {"revealWindow", "uint32"}, {"nonce", "uint256"}, {"deadline", "uint256"}};

    private JobSignature() {
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
        ObjectNode message = root.putObject("message");
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
                .put("deadline", p.deadline.toString());
        return root.toString();
    }
}
