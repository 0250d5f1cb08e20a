package io.zkpfl.devstack.postgres;

import java.util.Objects;

/** Where PostgreSQL listens: the embedded server, or an external one given by configuration. */
public sealed interface PostgresEndpoint permits EmbeddedPostgresServer, PostgresEndpoint.External {

    /** JDBC URL, e.g. {@code jdbc:postgresql://127.0.0.1:5432/zkpfl}. */
    String jdbcUrl();

    /** Vert.x reactive URL ({@code quarkus.datasource.reactive.url}), e.g. {@code postgresql://127.0.0.1:5432/zkpfl}. */
    String reactiveUrl();

    /** User name. */
    String username();

    /** Password. */
    String password();

    /**
     * An external server, given by its JDBC URL ({@code jdbc:postgresql://…}) or reactive URL
     * ({@code postgresql://…}); the other form is derived.
     *
     * @param url      either URL form
     * @param username user name
     * @param password password (never printed by {@link #toString()})
     */
    record External(String url, String username, String password) implements PostgresEndpoint {

        public External {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(password, "password");
            if (!url.startsWith("jdbc:postgresql://") && !url.startsWith("postgresql://")) {
                throw new IllegalArgumentException(
                        "PostgreSQL URL must start with jdbc:postgresql:// or postgresql://, got " + url.split("[?]")[0]);
            }
        }

        @Override
        public String jdbcUrl() {
            return url.startsWith("jdbc:") ? url : "jdbc:" + url;
        }

        @Override
        public String reactiveUrl() {
            return url.startsWith("jdbc:") ? url.substring("jdbc:".length()) : url;
        }

        @Override
        public String toString() {
            return "External[" + jdbcUrl().split("[?]")[0] + ", user=" + username + "]";
        }
    }
}
