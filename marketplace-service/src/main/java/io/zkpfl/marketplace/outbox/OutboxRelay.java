package io.zkpfl.marketplace.outbox;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.zkpfl.marketplace.MarketplaceConfig;
import io.zkpfl.marketplace.dependency.Deadlines;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Relays committed outbox events to Kafka in id order and marks each one published once the broker
 * has acknowledged it. The producer is idempotent and never gives up on a record (its delivery timeout
 * is unbounded), so a stalled or restarted broker delays events without duplicating them. An event the
 * broker acknowledged but that could not be marked (PostgreSQL unavailable) is remembered and only marked
 * on the next poll, not sent again. Delivery is at least once only across a crash of this service between
 * the acknowledgement and the mark; consumers deduplicate by key and type.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    private final MutinyEmitter<String> emitter;
    private final MarketplaceConfig config;
    private final MeterRegistry metrics;
    private final Deadlines deadlines;
    /** Ids of events the broker acknowledged that are not yet marked published. */
    private final Set<Long> acknowledged = ConcurrentHashMap.newKeySet();

    public OutboxRelay(@Channel("outbox") MutinyEmitter<String> emitter, MarketplaceConfig config, MeterRegistry metrics,
            Deadlines deadlines) {
        this.emitter = emitter;
        this.config = config;
        this.metrics = metrics;
        this.deadlines = deadlines;
    }

    @Scheduled(every = "${zkpfl.outbox.poll-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> relay() {
        return deadlines.postgres(Panache.withSession(() -> OutboxEvent.<OutboxEvent>find("publishedAt is null order by id")
                        .page(0, config.outbox().batchSize()).list()))
                .onItem().transformToMulti(events -> Multi.createFrom().iterable(events))
                .onItem().transformToUniAndConcatenate(this::publish)
                .collect().asList()
                .replaceWithVoid()
                .onFailure().invoke(e -> LOG.warnf("outbox relay paused: %s", e.getMessage()))
                .onFailure().recoverWithNull();
    }

    private Uni<Void> publish(OutboxEvent event) {
        if (acknowledged.contains(event.id)) {
            return markPublished(event);
        }
        RecordHeaders headers = new RecordHeaders();
        headers.add("type", event.type.getBytes(StandardCharsets.UTF_8));
        Message<String> message = Message.of(event.payload).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(event.topic).withKey(event.key).withHeaders(headers).build());
        return emitter.sendMessage(message)
                .invoke(() -> {
                    acknowledged.add(event.id);
                    metrics.counter("zkpfl.outbox.published", "type", event.type).increment();
                    LOG.debugf("published %s %s to %s", event.type, event.key, event.topic);
                })
                .chain(() -> markPublished(event));
    }

    private Uni<Void> markPublished(OutboxEvent event) {
        return deadlines.postgres(Panache.withTransaction(() -> OutboxEvent.update("publishedAt = ?1 where id = ?2",
                        OffsetDateTime.now(ZoneOffset.UTC), event.id)))
                .invoke(() -> acknowledged.remove(event.id))
                .replaceWithVoid();
    }
}
