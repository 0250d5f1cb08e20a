package io.zkpfl.marketplace.chain;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The chain and contracts this marketplace creates its jobs on: what an owner's wallet needs to sign for. */
@Path("/api/v1/chain")
@Tag(name = "chain", description = "The deployment jobs are signed for")
public class ChainResource {

    private final MarketChain chain;

    public ChainResource(MarketChain chain) {
        this.chain = chain;
    }

    /**
     * @param chainId          EIP-155 chain id of the EIP-712 domain
     * @param market           the JobMarket: the domain's verifyingContract; owners approve it for their fee
     * @param token            the platform token (allow-listed as fee token)
     * @param registry         the staking registry
     * @param certifier        the round certifier
     * @param relayer          the account that sends {@code createJob} for the owners
     * @param defaultEvaluator the evaluator a job gets when its request names none
     * @param devBootstrap     whether this instance deployed the platform itself on a dev chain
     */
    public record ChainInfo(long chainId, String market, String token, String registry, String certifier, String relayer,
                            String defaultEvaluator, boolean devBootstrap) {
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Chain id and contract addresses jobs are signed for and created on")
    public ChainInfo info() {
        var a = chain.addresses();
        return new ChainInfo(chain.chainId(), a.market(), a.token(), a.registry(), a.certifier(), chain.relayer(),
                chain.defaultEvaluator(), chain.devBootstrapped());
    }
}
