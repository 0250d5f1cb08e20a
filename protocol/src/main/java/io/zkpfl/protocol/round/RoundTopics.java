package io.zkpfl.protocol.round;

import java.math.BigInteger;

/**
 * Where round messages travel between trainers, zk-nodes and the reward engine
 * (docs/adr/0067-round-delivery.md). Kafka carries the bytes; IPFS holds the same bytes as the fallback and the
 * public record. Indices are the contract's: trainer {@code i} is its 1-based join position in the job, node
 * {@code k} its 1-based committee position; round and attempt are the job's current ones on chain.
 */
public final class RoundTopics {

    /** Envelope {@code (i, k)}: value {@code ShareEnvelope.toBytes()}, key {@link #envelopeKey}. */
    public static final String ENVELOPES = "zkpfl.round.envelopes";
    /** Trainer {@code i}'s manifest: value {@code EnvelopeManifest.toBytes()}, key {@link #manifestKey}. */
    public static final String MANIFESTS = "zkpfl.round.manifests";
    /** Round events for dashboards and services (JSON): certified, aggregated, evaluated, paid. */
    public static final String EVENTS = "zkpfl.round.events";

    private RoundTopics() {
    }

    /** {@code job/round/attempt/i/k}: every envelope of one attempt shares the prefix {@link #attemptKey}. */
    public static String envelopeKey(BigInteger job, long round, long attempt, int trainer, int node) {
        return attemptKey(job, round, attempt) + "/" + trainer + "/" + node;
    }

    /** {@code job/round/attempt/i}. */
    public static String manifestKey(BigInteger job, long round, long attempt, int trainer) {
        return attemptKey(job, round, attempt) + "/" + trainer;
    }

    /** {@code job/round/attempt/}: the prefix of every key of one attempt. */
    public static String attemptKey(BigInteger job, long round, long attempt) {
        return job + "/" + round + "/" + attempt;
    }
}
