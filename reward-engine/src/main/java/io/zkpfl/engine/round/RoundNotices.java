package io.zkpfl.engine.round;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.zkpfl.protocol.round.RoundTopics;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigInteger;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * JSON notices on {@link RoundTopics#EVENTS} (docs/adr/0067-round-delivery.md): {@code round.certified},
 * {@code round.aggregated}, {@code round.evaluated}, {@code payment.made}; keyed by {@code job/round/attempt}. They are
 * for dashboards: nobody acts on them without reading the chain, so a notice lost to a Kafka outage is logged, not
 * retried forever.
 */
@ApplicationScoped
public class RoundNotices {

    private static final Logger LOG = Logger.getLogger(RoundNotices.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Emitter<String> emitter;

    public RoundNotices(@Channel("round-events") Emitter<String> emitter) {
        this.emitter = emitter;
    }

    /** A notice with the common fields filled in; the caller adds its own. */
    public ObjectNode notice(String type, BigInteger job, int round, int attempt) {
        ObjectNode n = JSON.createObjectNode();
        n.put("type", type);
        n.put("job", job.toString());
        n.put("round", round);
        n.put("attempt", attempt);
        return n;
    }

    /** Sends and waits for the broker's acknowledgement (a few seconds at most). */
    public boolean send(ObjectNode notice) {
        String key = RoundTopics.attemptKey(new BigInteger(notice.get("job").asText()), notice.get("round").asLong(),
                notice.get("attempt").asLong());
        CompletableFuture<Void> acked = new CompletableFuture<>();
        Message<String> m = Message.of(notice.toString())
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(key).build())
                .withAck(() -> {
                    acked.complete(null);
                    return CompletableFuture.completedFuture(null);
                })
                .withNack(t -> {
                    acked.completeExceptionally(t);
                    return CompletableFuture.completedFuture(null);
                });
        try {
            emitter.send(m);
            acked.get(Duration.ofSeconds(10).toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (Exception e) {
            LOG.warnf("the %s notice for %s was not delivered: %s", notice.get("type").asText(), key, e.getMessage());
            return false;
        }
    }
}
