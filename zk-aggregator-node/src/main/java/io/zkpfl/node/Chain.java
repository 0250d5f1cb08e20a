package io.zkpfl.node;

import io.zkpfl.contracts.ChainClient;
import io.zkpfl.contracts.PlatformAddresses;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.http.HttpService;

/** The node's view of the chain: a {@link ChainClient} signing as the operator, block times and raw market logs. */
@ApplicationScoped
public class Chain {

    private final Web3j web3j;
    private final ChainClient client;
    private final String rpcUrl;

    public Chain(OperatorIdentity identity, @ConfigProperty(name = "zkpfl.chain.rpc-url") String rpcUrl,
                 @ConfigProperty(name = "zkpfl.chain.id") long chainId,
                 @ConfigProperty(name = "zkpfl.chain.contracts.token") String token,
                 @ConfigProperty(name = "zkpfl.chain.contracts.registry") String registry,
                 @ConfigProperty(name = "zkpfl.chain.contracts.market") String market) {
        this.rpcUrl = rpcUrl;
        this.web3j = Web3j.build(new HttpService(rpcUrl));
        this.client = ChainClient.connect(web3j, chainId, identity.credentials(),
                new PlatformAddresses(token, registry, "0x0000000000000000000000000000000000000000", market));
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

    /** The market's logs in blocks {@code from..to}. */
    public List<Log> marketLogs(long from, long to) {
        EthFilter filter = new EthFilter(DefaultBlockParameter.valueOf(BigInteger.valueOf(from)),
                DefaultBlockParameter.valueOf(BigInteger.valueOf(to)), client.addresses().market());
        try {
            EthLog logs = web3j.ethGetLogs(filter).send();
            if (logs.hasError()) {
                throw new IllegalStateException("eth_getLogs failed: " + logs.getError().getMessage());
            }
            List<Log> out = new ArrayList<>();
            for (EthLog.LogResult<?> r : logs.getLogs()) {
                out.add((Log) r.get());
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("eth_getLogs failed", e);
        }
    }

    @PreDestroy
    void close() {
        web3j.shutdown();
    }
}
