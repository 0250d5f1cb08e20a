package io.zkpfl.devstack;

import io.zkpfl.devstack.chain.AnvilOptions;
import io.zkpfl.devstack.ipfs.IpfsStoreOptions;
import io.zkpfl.devstack.kafka.KafkaEndpoint;
import io.zkpfl.devstack.postgres.PostgresEndpoint;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * What {@link DevStack} starts. Each component is embedded unless an external endpoint is configured, in
 * which case it is used as is and not started.
 *
 * @param postgres    an external PostgreSQL, or empty for the embedded one
 * @param kafka       an external Kafka, or empty for the embedded broker
 * @param chainRpcUrl an external EVM JSON-RPC URL, or empty for Anvil
 * @param ipfsApiUrl  an external Kubo RPC URL, or empty for the embedded store
 * @param anvil       options for the embedded Anvil
 * @param ipfs        options for the embedded IPFS store
 */
public record DevStackConfig(Optional<PostgresEndpoint.External> postgres, Optional<KafkaEndpoint.External> kafka,
                             Optional<String> chainRpcUrl, Optional<String> ipfsApiUrl, AnvilOptions anvil,
                             IpfsStoreOptions ipfs) {

    /** System property (or env {@code ZKPFL_DEVSTACK_POSTGRES_URL}) naming an external PostgreSQL (JDBC or reactive URL). */
    public static final String POSTGRES_URL = "zkpfl.devstack.postgres.url";
    /** User for the external PostgreSQL (default {@code postgres}). */
    public static final String POSTGRES_USER = "zkpfl.devstack.postgres.user";
    /** Password for the external PostgreSQL (default empty). */
    public static final String POSTGRES_PASSWORD = "zkpfl.devstack.postgres.password";
    /** External Kafka {@code bootstrap.servers}. */
    public static final String KAFKA_BOOTSTRAP = "zkpfl.devstack.kafka.bootstrap";
    /** External EVM JSON-RPC URL. */
    public static final String CHAIN_RPC_URL = "zkpfl.devstack.chain.rpc-url";
    /** External Kubo RPC API URL. */
    public static final String IPFS_API_URL = "zkpfl.devstack.ipfs.api-url";
    /** Directory in which the embedded IPFS store keeps blocks across runs (default: a temporary one). */
    public static final String IPFS_DATA_DIR = "zkpfl.devstack.ipfs.data-dir";

    public DevStackConfig {
        Objects.requireNonNull(postgres, "postgres");
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(chainRpcUrl, "chainRpcUrl");
        Objects.requireNonNull(ipfsApiUrl, "ipfsApiUrl");
        Objects.requireNonNull(anvil, "anvil");
        Objects.requireNonNull(ipfs, "ipfs");
        chainRpcUrl.ifPresent(url -> requireHttp(CHAIN_RPC_URL, url));
        ipfsApiUrl.ifPresent(url -> requireHttp(IPFS_API_URL, url));
    }

    private static void requireHttp(String property, String url) {
        if (!url.startsWith("http://") && !url.startsWith("https://")) {
            throw new IllegalArgumentException(property + " must be an http(s) URL, got " + url);
        }
    }

    /** Everything embedded, with default options. */
    public static DevStackConfig embedded() {
        return new DevStackConfig(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                AnvilOptions.defaults(), IpfsStoreOptions.defaults());
    }

    /** Reads the {@code zkpfl.devstack.*} system properties, falling back to the matching environment variables. */
    public static DevStackConfig fromEnvironment() {
        return fromLookup(DevStackConfig::lookup);
    }

    /**
     * Builds a configuration from a property lookup (property name → value or {@code null}).
     *
     * @throws IllegalArgumentException when a configured value is malformed
     */
    public static DevStackConfig fromLookup(UnaryOperator<String> lookup) {
        Optional<PostgresEndpoint.External> pg = value(lookup, POSTGRES_URL).map(url -> new PostgresEndpoint.External(
                url, value(lookup, POSTGRES_USER).orElse("postgres"), value(lookup, POSTGRES_PASSWORD).orElse("")));
        Optional<KafkaEndpoint.External> kafka = value(lookup, KAFKA_BOOTSTRAP).map(KafkaEndpoint.External::new);
        IpfsStoreOptions ipfs = value(lookup, IPFS_DATA_DIR).map(Path::of)
                .map(IpfsStoreOptions.defaults()::withDataDir).orElse(IpfsStoreOptions.defaults());
        return new DevStackConfig(pg, kafka, value(lookup, CHAIN_RPC_URL), value(lookup, IPFS_API_URL),
                AnvilOptions.defaults(), ipfs);
    }

    /** A copy with other Anvil options. */
    public DevStackConfig withAnvil(AnvilOptions options) {
        return new DevStackConfig(postgres, kafka, chainRpcUrl, ipfsApiUrl, options, ipfs);
    }

    /** A copy with other IPFS store options. */
    public DevStackConfig withIpfs(IpfsStoreOptions options) {
        return new DevStackConfig(postgres, kafka, chainRpcUrl, ipfsApiUrl, anvil, options);
    }

    /** Environment variable for a property: upper case, dots and dashes become underscores. */
    public static String envName(String property) {
        return property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static String lookup(String property) {
        String v = System.getProperty(property);
        return v != null ? v : System.getenv(envName(property));
    }

    private static Optional<String> value(UnaryOperator<String> lookup, String property) {
        return Optional.ofNullable(lookup.apply(property)).map(String::strip).filter(s -> !s.isEmpty());
    }
}
