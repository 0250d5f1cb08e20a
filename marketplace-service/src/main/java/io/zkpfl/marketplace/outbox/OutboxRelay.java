package io.zkpfl.marketplace.outbox;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.zkpfl.marketplace.MarketplaceConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Relays committed outbox events to Kafka in id order and marks each one published once the broker
 * has acknowledged it. Delivery is at least once: a crash between the acknowledgement and the mark
 * re-sends the event, and consumers deduplicate by key.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    private final MutinyEmitter<String> emitter;
    private final MarketplaceConfig config;
    private final MeterRegistry metrics;

    public OutboxRelay(@Channel("outbox") MutinyEmitter<String> emitter, MarketplaceConfig config, MeterRegistry metrics) {
        this.emitter = emitter;
        this.config = config;
        this.metrics = metrics;
    }

    @Scheduled(every = "${zkpfl.outbox.poll-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> relay() {
        return Panache.withSession(() -> OutboxEvent.<OutboxEvent>find("publishedAt is null order by id")
                        .page(0, config.outbox().batchSize()).list())
                .onItem().transformToMulti(events -> Multi.createFrom().iterable(events))
                .onItem().transformToUniAndConcatenate(this::publish)
                .collect().asList()
                .replaceWithVoid()
                .onFailure().invoke(e -> LOG.warnf("outbox relay paused: %s", e.getMessage()))
                .onFailure().recoverWithNull();
    }

    private Uni<Void> publish(OutboxEvent event) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("type", event.type.getBytes(StandardCharsets.UTF_8));
        Message<String> message = Message.of(event.payload).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(event.topic).withKey(event.key).withHeaders(headers).build());
        return emitter.sendMessage(message)
                .chain(() -> Panache.withTransaction(() -> OutboxEvent.update("publishedAt = ?1 where id = ?2",
                        OffsetDateTime.now(ZoneOffset.UTC), event.id)))
                .invoke(() -> {
                    metrics.counter("zkpfl.outbox.published", "type", event.type).increment();
                    LOG.debugf("published %s %s to %s", event.type, event.key, event.topic);
                })
                .replaceWithVoid();
    }
}
