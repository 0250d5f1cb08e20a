package io.zkpfl.marketplace.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zkpfl.marketplace.MarketplaceConfig;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A chain that cannot be read degrades a job's on-chain state to an error field; it never throws into the GET. */
class MarketChainTest {

    @Test
    void anUnreachableChainGivesAnErrorStateThatIsCachedBriefly() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        MarketChain chain = new MarketChain(config(URI.create("http://127.0.0.1:" + closedPort), Duration.ofMinutes(1)));
        chain.start(null);
        try {
            MarketChain.OnChainState state = chain.state(BigInteger.valueOf(7), 0);
            assertEquals("7", state.jobId());
            assertNull(state.status());
            assertNotNull(state.error());
            assertTrue(state.error().startsWith("the chain could not be read: "), state.error());
            assertSame(state, chain.state(BigInteger.valueOf(7), 0), "served from cache within the TTL");
            chain.forget(BigInteger.valueOf(7));
            MarketChain.OnChainState again = chain.state(BigInteger.valueOf(7), 0);
            assertTrue(again != state && again.error() != null, "read again after forget");
        } finally {
            chain.stop(null);
        }
    }

    @Test
    void withoutARelayerKeyOnlyADevPlatformStarts() {
        MarketChain chain = new MarketChain(config(URI.create("http://127.0.0.1:1"), Duration.ofMinutes(1),
                MarketplaceConfig.Bootstrap.NONE, Optional.empty()));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> chain.start(null));
        assertTrue(e.getMessage().contains("zkpfl.chain.relayer-key is not set"), e.getMessage());
    }

    private static MarketplaceConfig config(URI rpc, Duration ttl) {
        return config(rpc, ttl, MarketplaceConfig.Bootstrap.NONE, Optional.of(DevPlatform.devKey(0)));
    }

    private static MarketplaceConfig config(URI rpc, Duration ttl, MarketplaceConfig.Bootstrap bootstrap,
                                            Optional<String> relayerKey) {
        MarketplaceConfig.Contracts contracts = new MarketplaceConfig.Contracts() {
            public Optional<String> token() { return Optional.of("0x5fbdb2315678afecb367f032d93f642f64180aa3"); }
            public Optional<String> registry() { return Optional.of("0xe7f1725e7734ce288f8367e1bb143e90bb3f0512"); }
            public Optional<String> certifier() { return Optional.of("0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0"); }
            public Optional<String> market() { return Optional.of("0xcf7ed3acca5a467e9e704c703e8d87f634fb0fc9"); }
        };
        MarketplaceConfig.Chain chain = new MarketplaceConfig.Chain() {
            public long id() { return 31337; }
            public URI rpcUrl() { return rpc; }
            public MarketplaceConfig.Contracts contracts() { return contracts; }
            public MarketplaceConfig.Bootstrap bootstrap() { return bootstrap; }
            public Optional<String> relayerKey() { return relayerKey; }
            public Optional<String> evaluator() { return Optional.empty(); }
            public Duration stateTtl() { return ttl; }
            public String submitInterval() { return "1s"; }
            public int maxAttempts() { return 10; }
            public Duration timeout() { return Duration.ofSeconds(2); }
        };
        return new MarketplaceConfig() {
            public Jobs jobs() { throw new UnsupportedOperationException(); }
            public Chain chain() { return chain; }
            public Ipfs ipfs() { throw new UnsupportedOperationException(); }
            public Outbox outbox() { throw new UnsupportedOperationException(); }
            public Db db() { throw new UnsupportedOperationException(); }
            public Kafka kafka() { throw new UnsupportedOperationException(); }
            public Srs srs() { return Optional::empty; }
            public Audit audit() { throw new UnsupportedOperationException(); }
        };
    }
}
