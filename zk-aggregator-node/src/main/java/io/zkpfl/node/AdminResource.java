package io.zkpfl.node;

import io.zkpfl.contracts.ChainClient;
import io.zkpfl.contracts.ChainRevertException;
import io.zkpfl.contracts.generated.StakingRegistry;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * Stakes and registers the operator as a zk-node (signing key = the operator's address, endpoint, capacity). Meant for
 * the operator only: keep {@code /admin} off the public listener (docs/operators.md).
 */
@Path("/admin/registration")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AdminResource {

    private static final Logger LOG = Logger.getLogger(AdminResource.class);
    private static final BigInteger NODE_KIND = BigInteger.TWO;

    /** Stake in token base units; endpoint and capacity default to the node's configuration and "no limit". */
    public record Registration(String stake, String endpoint, Integer capacity) {
    }

    private final Chain chain;
    private final OperatorIdentity identity;
    private final String endpoint;

    public AdminResource(Chain chain, OperatorIdentity identity,
                         @ConfigProperty(name = "zkpfl.node.endpoint") String endpoint) {
        this.chain = chain;
        this.identity = identity;
        this.endpoint = endpoint;
    }

    @POST
    public Response register(Registration r) {
        if (r == null || r.stake() == null) {
            return Problems.badRequest("stake is required (token base units, e.g. \"1000000000000000000000\")");
        }
        BigInteger stake;
        try {
            stake = new BigInteger(r.stake());
        } catch (NumberFormatException e) {
            return Problems.badRequest("stake must be a decimal integer in token base units, got '" + r.stake() + "'");
        }
        if (stake.signum() <= 0) {
            return Problems.badRequest("stake must be positive");
        }
        if (r.capacity() != null && (r.capacity() < 0 || r.capacity() > 65_535)) {
            return Problems.badRequest("capacity must be in 0..65535 committees (0: no limit), got " + r.capacity());
        }
        String url = r.endpoint() == null || r.endpoint().isBlank() ? endpoint : r.endpoint();
        ChainClient client = chain.client();
        StakingRegistry.Account account = client.staking().account(identity.address());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("address", identity.address());
        try {
            if (account.kind.equals(NODE_KIND)) {
                if (r.capacity() != null && client.staking().capacityOf(identity.address()) != r.capacity()) {
                    client.staking().setCapacity(r.capacity());
                }
                out.put("stake", account.stake.toString());
                out.put("capacity", client.staking().capacityOf(identity.address()));
                return Problems.of(409, "already registered", "the operator " + identity.address()
                        + " is already registered as zk-node with stake " + account.stake
                        + (r.capacity() == null ? "" : "; its capacity is now " + r.capacity())
                        + "; the registered endpoint cannot be changed by this node", out);
            }
            if (!account.kind.equals(BigInteger.ZERO)) {
                return Problems.of(409, "registered as trainer", "the operator " + identity.address()
                        + " is staked as a trainer; a node needs its own key", out);
            }
            byte[] signingKey = Hash.sha3(Numeric.hexStringToByteArray(identity.address()));
            client.staking().registerNode(stake, signingKey, url);
            if (r.capacity() != null && r.capacity() > 0) {
                client.staking().setCapacity(r.capacity());
            }
        } catch (ChainRevertException e) {
            return Problems.of(422, "registration reverted", "the chain refused: " + e.reason(), out);
        }
        LOG.infof("registered %s as zk-node: stake %s, endpoint %s", identity.address(), stake, url);
        out.put("stake", stake.toString());
        out.put("endpoint", url);
        out.put("capacity", client.staking().capacityOf(identity.address()));
        return Response.status(201).entity(out).build();
    }
}
