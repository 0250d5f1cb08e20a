package io.zkpfl.node;

import io.zkpfl.contracts.ChainClient;
import io.zkpfl.contracts.MarketEvent;
import io.zkpfl.contracts.PlatformAddresses;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.http.HttpService;

/** The node's view of the chain: a {@link ChainClient} signing as the operator, block times and raw market logs. */
@ApplicationScoped
public class Chain {

    private final Web3j web3j;
    private final ChainClient client;
    private final String rpcUrl;
    private final io.zkpfl.contracts.generated.StakingRegistry registry;

    public Chain(OperatorIdentity identity, @ConfigProperty(name = "zkpfl.chain.rpc-url") String rpcUrl,
                 @ConfigProperty(name = "zkpfl.chain.id") long chainId,
                 @ConfigProperty(name = "zkpfl.chain.contracts.token") String token,
                 @ConfigProperty(name = "zkpfl.chain.contracts.registry") String registry,
                 @ConfigProperty(name = "zkpfl.chain.contracts.market") String market) {
        this.rpcUrl = rpcUrl;
        this.web3j = Web3j.build(new HttpService(rpcUrl));
        this.client = ChainClient.connect(web3j, chainId, identity.credentials(),
                new PlatformAddresses(token, registry, "0x0000000000000000000000000000000000000000", market));
        this.registry = io.zkpfl.contracts.generated.StakingRegistry.load(registry, web3j, identity.credentials(),
                new org.web3j.tx.gas.StaticGasProvider(BigInteger.ZERO, BigInteger.ZERO));
    }

    public ChainClient client() {
        return client;
    }

    public Web3j web3j() {
        return web3j;
    }

    public String rpcUrl() {
        return rpcUrl;
    }

    public long blockNumber() {
        try {
            return web3j.ethBlockNumber().send().getBlockNumber().longValue();
        } catch (IOException e) {
            throw new UncheckedIOException("eth_blockNumber failed", e);
        }
    }

    /** The latest block's time (Unix seconds): the deadlines are compared with it. */
    public long now() {
        try {
            return web3j.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false).send().getBlock().getTimestamp()
                    .longValue();
        } catch (IOException e) {
            throw new UncheckedIOException("eth_getBlockByNumber failed", e);
        }
    }

    /** The market's events in blocks {@code from..to}, in chain order. */
    public List<MarketEvent> marketEvents(long from, long to) {
        return client.events().events(from, to);
    }

    /** The endpoint and signing key a node registered. */
    public io.zkpfl.contracts.generated.StakingRegistry.NodeInfo nodeInfo(String node) {
        try {
            return registry.nodeInfoOf(node).send();
        } catch (Exception e) {
            throw new IllegalStateException("nodeInfoOf(" + node + ") failed: " + e.getMessage(), e);
        }
    }

    @PreDestroy
    void close() {
        web3j.shutdown();
    }
}
