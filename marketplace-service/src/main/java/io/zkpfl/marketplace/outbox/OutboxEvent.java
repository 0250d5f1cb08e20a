package io.zkpfl.marketplace.outbox;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** An event stored with the change it announces, waiting to be relayed to Kafka. */
@Entity
@Table(name = "outbox_event")
public class OutboxEvent extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public String topic;
    @Column(name = "event_key")
    public String key;
    @Column(name = "event_type")
    public String type;
    /** The event as JSON. */
    public String payload;
    @Column(name = "created_at")
    public OffsetDateTime createdAt;
    @Column(name = "published_at")
    public OffsetDateTime publishedAt;

    /** A new, unpublished event. */
    public static OutboxEvent of(String topic, String key, String type, String payload) {
        OutboxEvent event = new OutboxEvent();
        event.topic = topic;
        event.key = key;
        event.type = type;
        event.payload = payload;
        event.createdAt = OffsetDateTime.now();
        return event;
    }
}
