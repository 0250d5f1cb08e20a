package io.zkpfl.node;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.zkpfl.protocol.round.RoundTopics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Takes manifests and this node's envelopes off Kafka (docs/adr/0067-round-delivery.md) with a plain consumer that
 * filters by key (job/round/attempt/i[/k]) and stores them before committing the offsets, so a restart re-reads
 * whatever was not stored (the store dedupes by key). Nothing is decrypted here; the round engine does that after D1.
 */
@ApplicationScoped
public class KafkaIntake {

    private static final Logger LOG = Logger.getLogger(KafkaIntake.class);

    private final RoundStore store;
    private final String bootstrap;
    private final String group;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicLong lastPoll = new AtomicLong();
    private final NodeMetrics metrics;
    private Thread thread;

    public KafkaIntake(RoundStore store, OperatorIdentity identity, NodeMetrics metrics,
                       @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap,
                       @ConfigProperty(name = "zkpfl.intake.group") Optional<String> group) {
        this.store = store;
        this.metrics = metrics;
        this.bootstrap = bootstrap;
        this.group = group.orElse("zkpfl-node-" + identity.address());
    }

    void start(@Observes StartupEvent ev) {
        running.set(true);
        thread = Thread.ofPlatform().name("kafka-intake").daemon().start(this::run);
    }

    void stop(@Observes ShutdownEvent ev) {
        running.set(false);
        if (thread != null) {
            thread.interrupt();
        }
    }

    /** Milliseconds since the consumer last returned from a poll without an error (for readiness). */
    public long sinceLastPollMillis() {
        long t = lastPoll.get();
        return t == 0 ? Long.MAX_VALUE : System.currentTimeMillis() - t;
    }

    private void run() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "2000");
        p.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "1000");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(64 << 20));
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, String.valueOf(64 << 20));
        while (running.get()) {
            try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
                    new ByteArrayDeserializer())) {
                consumer.subscribe(List.of(RoundTopics.MANIFESTS, RoundTopics.ENVELOPES));
                while (running.get()) {
                    var records = consumer.poll(Duration.ofMillis(500));
                    for (ConsumerRecord<String, byte[]> r : records) {
                        take(r);
                    }
                    if (!records.isEmpty()) {
                        consumer.commitSync(Duration.ofSeconds(5));
                    }
                    lastPoll.set(System.currentTimeMillis());
                }
            } catch (org.apache.kafka.common.errors.InterruptException e) {
                return;
            } catch (RuntimeException e) {
                if (!running.get()) {
                    return;
                }
                LOG.warnf("Kafka intake: %s; reconnecting", e.toString());
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    /** Stores the record if it is a manifest of a job this node serves or an envelope addressed to its k there. */
    void take(ConsumerRecord<String, byte[]> r) {
        if (r.key() == null || r.value() == null) {
            return;
        }
        String[] parts = r.key().split("/");
        boolean envelope = r.topic().equals(RoundTopics.ENVELOPES);
        if (parts.length != (envelope ? 5 : 4)) {
            LOG.debugf("ignored %s record with key %s", r.topic(), r.key());
            return;
        }
        try {
            BigInteger job = new BigInteger(parts[0]);
            int round = Integer.parseInt(parts[1]);
            int attempt = Integer.parseInt(parts[2]);
            int trainer = Integer.parseInt(parts[3]);
            Optional<Integer> k = store.committeeIndex(job);
            if (k.isEmpty() || (envelope && Integer.parseInt(parts[4]) != k.get())) {
                return;
            }
            store.received(envelope ? "envelope" : "manifest", job, round, attempt, trainer, r.value());
            metrics.received(envelope ? "envelope" : "manifest", "kafka");
        } catch (NumberFormatException e) {
            LOG.debugf("ignored %s record with key %s", r.topic(), r.key());
        }
    }
}
