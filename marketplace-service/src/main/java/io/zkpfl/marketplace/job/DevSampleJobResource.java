package io.zkpfl.marketplace.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.zkpfl.contracts.JobSignature;
import io.zkpfl.marketplace.chain.DevPlatform;
import io.zkpfl.marketplace.chain.MarketChain;
import io.zkpfl.marketplace.problem.ProblemException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.HexFormat;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.web3j.crypto.Credentials;

/**
 * Dev chains only: a ready-to-post job signed by dev account 1 (a public Anvil key), so the demo can show a working
 * {@code curl} without a wallet. 404 unless this instance bootstrapped its own dev platform.
 */
@Path("/api/v1/chain/dev-sample-job")
public class DevSampleJobResource {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TINY_MODEL = "{\"input\":{\"shape\":[4]},\"layers\":[{\"type\":\"dense\",\"units\":8,"
            + "\"activation\":\"relu\"},{\"type\":\"output\",\"units\":3,\"activation\":\"softmax\"}],\"loss\":\"cross_entropy\"}";

    private final JobService jobs;
    private final MarketChain chain;
    private final Vertx vertx;

    public DevSampleJobResource(JobService jobs, MarketChain chain, Vertx vertx) {
        this.jobs = jobs;
        this.chain = chain;
        this.vertx = vertx;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Dev chains only: a sample job signed by dev account 1, to POST to /api/v1/jobs")
    public Uni<String> sample() {
        if (!chain.devBootstrapped()) {
            return Uni.createFrom().failure(ProblemException.notFound("sample jobs exist only on a dev platform (zkpfl.chain.bootstrap=dev)"));
        }
        return vertx.executeBlocking(Uni.createFrom().item(this::signedSample));
    }

    private String signedSample() {
        try {
            Credentials owner = Credentials.create(DevPlatform.devKey(1));
            ObjectNode body = JSON.createObjectNode();
            body.put("owner", owner.getAddress());
            body.set("model", JSON.readTree(TINY_MODEL));
            body.putObject("training").put("localEpochs", 1).put("batchSize", 32).put("learningRate", 0.05).put("optimiser", "sgd");
            body.put("targetAccuracy", 0.9);
            body.put("maxRounds", 10);
            body.putObject("fee").put("token", chain.addresses().token()).put("amount", "100000000000000000000");
            body.putObject("committee").put("size", 3).put("threshold", 2);
            body.put("minTrainers", 2);
            body.put("nonce", String.valueOf(System.currentTimeMillis()));
            body.put("deadline", Instant.now().getEpochSecond() + 86_400);
            JobService.Prepared prepared = jobs.prepare(new JobRequestParser().parse(body.toString(), null, false));
            byte[] signature = JobSignature.sign(prepared.params(), chain.chainId(), chain.addresses().market(), owner);
            body.put("signature", "0x" + HexFormat.of().formatHex(signature));
            return body.toString();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
