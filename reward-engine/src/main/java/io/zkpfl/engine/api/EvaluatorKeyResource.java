package io.zkpfl.engine.api;

import io.zkpfl.engine.chain.EngineChain;
import io.zkpfl.protocol.validation.EvaluatorEncryptionKey;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The evaluator's encryption key for owners' validation sets (docs/adr/0105), with the evaluator's EIP-191 signature
 * over {@code message}, so an owner checks that the key belongs to the job's evaluator without trusting this server.
 */
@Path("/api/v1/evaluator/key")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "evaluator")
public class EvaluatorKeyResource {

    private final EngineChain chain;

    public EvaluatorKeyResource(EngineChain chain) {
        this.chain = chain;
    }

    @GET
    @Operation(summary = "The evaluator's BN254 encryption key for validation bundles, signed by its Ethereum address",
            description = "publicKey is the 64-byte EVM form of a BN254 G1 point (hex); message is the exact text signed "
                    + "with personal_sign (EIP-191) by evaluator; signature is r ‖ s ‖ v (65 bytes, hex). Check that the "
                    + "signature recovers the job's evaluator and that message names chainId, evaluator and publicKey.")
    public EvaluatorEncryptionKey.Statement key() {
        return chain.keyStatement();
    }
}
