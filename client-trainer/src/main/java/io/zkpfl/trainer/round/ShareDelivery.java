package io.zkpfl.trainer.round;

import io.zkpfl.protocol.round.RoundTopics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes a trainer's envelopes and manifest to Kafka under {@link RoundTopics}' keys (docs/adr/0067): idempotent
 * producer, every record acknowledged by all in-sync replicas, no compression.
 */
final class ShareDelivery implements AutoCloseable {

    private final String servers;
    private final KafkaProducer<String, byte[]> producer;

    private ShareDelivery(String servers, KafkaProducer<String, byte[]> producer) {
        this.servers = servers;
        this.producer = producer;
    }

    /**
     * A producer for {@code servers}, checked by fetching the envelope topic's metadata.
     *
     * @throws TrainerException (unavailable) when no broker answers within 10 s
     */
    static ShareDelivery connect(String servers) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "60000");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(64 << 20));
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "zkpfl-trainer");
        KafkaProducer<String, byte[]> producer;
        try {
            producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        } catch (KafkaException e) {
            throw TrainerException.unavailable("Kafka at " + servers + " cannot be used: " + e.getMessage(), e);
        }
        // a loaded broker (or machine) may miss one 10 s window: give it REACH_ATTEMPTS before refusing
        for (int attempt = 1; ; attempt++) {
            try {
                producer.partitionsFor(RoundTopics.ENVELOPES);
                return new ShareDelivery(servers, producer);
            } catch (KafkaException e) {
                if (attempt == REACH_ATTEMPTS) {
                    producer.close(java.time.Duration.ZERO);
                    throw TrainerException.unavailable("Kafka at " + servers + " cannot be reached (no broker answered in "
                            + REACH_ATTEMPTS + " tries of 10 s)", e);
                }
            }
        }
    }

    private static final int REACH_ATTEMPTS = 3;

    /** Sends the envelopes (key → bytes, in order) and then the manifest, and waits for every acknowledgement. */
    void publish(Map<String, byte[]> envelopes, String manifestKey, byte[] manifest) {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        try {
            envelopes.forEach((key, bytes) -> sent.add(producer.send(new ProducerRecord<>(RoundTopics.ENVELOPES, key, bytes))));
            sent.add(producer.send(new ProducerRecord<>(RoundTopics.MANIFESTS, manifestKey, manifest)));
            producer.flush();
            for (Future<RecordMetadata> f : sent) {
                f.get(90, TimeUnit.SECONDS);
            }
        } catch (KafkaException | ExecutionException | TimeoutException e) {
            throw TrainerException.unavailable("Kafka at " + servers + " did not take the round's envelopes ("
                    + e.getMessage() + "); they are kept and sent again when the trainer restarts", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
