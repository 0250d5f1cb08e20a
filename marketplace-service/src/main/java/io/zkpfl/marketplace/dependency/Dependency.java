package io.zkpfl.marketplace.dependency;

/** The components the service depends on; {@link #id()} is how problems and health checks name them. */
public enum Dependency {
    POSTGRESQL("postgresql", "PostgreSQL"),
    KAFKA("kafka", "Kafka"),
    CHAIN("chain", "the chain's JSON-RPC"),
    IPFS("ipfs", "the IPFS store"),
    AUDIT("audit", "the audit service");

    private final String id;
    private final String label;

    Dependency(String id, String label) {
        this.id = id;
        this.label = label;
    }

    /** Stable identifier: {@code postgresql}, {@code kafka}, {@code chain}, {@code ipfs}, {@code audit}. */
    public String id() {
        return id;
    }

    /** Name for sentences, e.g. "PostgreSQL". */
    public String label() {
        return label;
    }
}
