package io.zkpfl.devstack.kafka;

import java.util.Objects;

/** Where Kafka listens: the embedded broker, or an external cluster given by configuration. */
public sealed interface KafkaEndpoint permits EmbeddedKafkaBroker, KafkaEndpoint.External {

    /** The {@code bootstrap.servers} value. */
    String bootstrapServers();

    /** An external cluster. */
    record External(String bootstrapServers) implements KafkaEndpoint {
        public External {
            Objects.requireNonNull(bootstrapServers, "bootstrapServers");
            if (bootstrapServers.isBlank()) {
                throw new IllegalArgumentException("empty Kafka bootstrap servers");
            }
        }
    }
}
