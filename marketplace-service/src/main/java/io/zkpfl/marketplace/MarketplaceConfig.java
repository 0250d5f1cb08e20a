package io.zkpfl.marketplace;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

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

    /** PostgreSQL calls. */
    Db db();

    /** Kafka calls. */
    Kafka kafka();

    /** The platform's structured reference string. */
    Srs srs();

    /** The reward engine's audit API, which the dashboard and the model endpoint read. */
    Audit audit();

    interface Audit {
        /**
         * Base URL of the reward engine whose audit API indexes the platform's events (docs/audit-api.md), e.g.
         * {@code http://127.0.0.1:8090}. Without it the dashboard shows jobs and their on-chain state only, and the
         * rounds and model endpoints answer 503 naming {@code audit}.
         */
        Optional<URI> url();

        /** Deadline of one audit API request. */
        @WithDefault("PT3S")
        Duration timeout();

        /** How often a live job stream ({@code GET /api/v1/jobs/{id}/events}) polls the audit API and the chain. */
        @WithName("poll-interval")
        @WithDefault("PT1S")
        Duration pollInterval();
    }

    interface Srs {
        /**
         * The SRS's powers-of-tau file (snarkjs {@code .ptau}). With {@code zkpfl.chain.bootstrap=dev} the dev
         * platform deploys the KZG verifier for it and the DLEQ verifier, so rounds can be certified; without it
         * the dev platform has no verifier and can only take jobs (docs/adr/0068-dev-srs-and-round-platform.md).
         */
        Optional<java.nio.file.Path> ptau();
    }

    interface Db {
        /** Deadline of one PostgreSQL call (a query, a transaction) made for a request or a health check. */
        @WithDefault("PT3S")
        Duration timeout();
    }

    interface Kafka {
        /** Deadline of one Kafka metadata call (the readiness check). */
        @WithDefault("PT3S")
        Duration timeout();
    }

    interface Jobs {
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
        @WithDefault("http://127.0.0.1:8545")
        URI rpcUrl();

        /** The deployed platform; all four or none (then {@link #bootstrap()} decides). */
        Contracts contracts();

        /** What to do when no contract addresses are configured. */
        @WithDefault("none")
        Bootstrap bootstrap();

        /**
         * Private key of the relayer account that pays the gas of {@code createJob} (hex), e.g. from
         * {@code ZKPFL_CHAIN_RELAYER_KEY}. Required, except on a dev platform ({@link Bootstrap#DEV}), where it
         * defaults to Anvil's well-known dev account 0.
         */
        @WithName("relayer-key")
        Optional<String> relayerKey();

        /** Default evaluator of a job (the reward engine's account) when the request names none; default: the relayer. */
        Optional<String> evaluator();

        /** How long a job's on-chain state is served from cache. */
        @WithName("state-ttl")
        @WithDefault("PT2S")
        Duration stateTtl();

        /** How often the submission worker looks for jobs to put on chain. */
        @WithName("submit-interval")
        @WithDefault("1s")
        String submitInterval();

        /** Submission attempts (transient failures) before a job is marked failed. */
        @WithName("max-attempts")
        @WithDefault("10")
        int maxAttempts();

        /** Deadline of one JSON-RPC request (connect, send, answer). */
        @WithDefault("PT3S")
        Duration timeout();
    }

    /** How the service finds its contracts. */
    enum Bootstrap {
        /** The contract addresses must be configured. */
        NONE,
        /**
         * When no addresses are configured, deploy the platform on the (dev) chain at start-up, fund dev accounts
         * and register dev zk-nodes ({@code DevPlatform}).
         */
        DEV
    }

    /** Addresses of the zkPFL contracts. */
    interface Contracts {
        Optional<String> token();

        Optional<String> registry();

        Optional<String> certifier();

        Optional<String> market();
    }

    interface Ipfs {
        /** Base URL of the Kubo RPC API, e.g. {@code http://127.0.0.1:5001}. */
        @WithName("api-url")
        URI apiUrl();

        /** Deadline of one IPFS request (connect, upload or answer); raise it for very large artefacts on a remote node. */
        @WithDefault("PT3S")
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
