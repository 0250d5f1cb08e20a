package io.zkpfl.marketplace;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;

/** Configuration of the marketplace service ({@code zkpfl.*} in application.properties). */
@ConfigMapping(prefix = "zkpfl")
public interface MarketplaceConfig {

    /** Job API settings. */
    Jobs jobs();

    /** The chain jobs are signed for. */
    Chain chain();

    /** The IPFS (Kubo RPC) node artefacts are stored on. */
    Ipfs ipfs();

    /** Transactional outbox relay. */
    Outbox outbox();

    interface Jobs {
        /** Smallest fee in token base units: 100 tokens of 18 decimals. */
        @WithName("min-fee")
        @WithDefault("100000000000000000000")
        BigInteger minFee();

        /** Largest page a listing returns. */
        @WithName("max-page-size")
        @WithDefault("100")
        int maxPageSize();

        /** How long a listing's total may be served from cache. */
        @WithName("total-ttl")
        @WithDefault("PT1S")
        java.time.Duration totalTtl();

        /** Kafka topic of job events. */
        @WithDefault("zkpfl.jobs")
        String topic();
    }

    interface Chain {
        /** EIP-155 chain id in the EIP-712 domain jobs are signed for. */
        @WithDefault("31337")
        long id();

        /** JSON-RPC endpoint of the chain. */
        @WithName("rpc-url")
        java.util.Optional<URI> rpcUrl();
    }

    interface Ipfs {
        /** Base URL of the Kubo RPC API, e.g. {@code http://127.0.0.1:5001}. */
        @WithName("api-url")
        URI apiUrl();

        /** Timeout of one IPFS request. */
        @WithDefault("PT60S")
        Duration timeout();
    }

    interface Outbox {
        /** Most events relayed per poll. */
        @WithName("batch-size")
        @WithDefault("100")
        int batchSize();

        /** How often the relay looks for unpublished events. */
        @WithName("poll-interval")
        @WithDefault("1s")
        String pollInterval();
    }
}
