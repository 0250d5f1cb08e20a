package io.zkpfl.node;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Supplier;

/** The node's Micrometer meters (Prometheus at /q/metrics): rounds, shares checked, complaints, timings. */
@ApplicationScoped
public class NodeMetrics {

    private final MeterRegistry registry;

    public NodeMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** A round step completed: {@code opened}, {@code revealed}, {@code key-posted}. */
    public void round(String step) {
        Counter.builder("zkpfl.node.rounds").description("round steps this node completed").tag("step", step)
                .register(registry).increment();
    }

    /** The Raft leader's batch certified an attempt before D2 (docs/adr/0110-early-certification.md). */
    public void earlyCertification() {
        Counter.builder("zkpfl.node.early.certifications")
                .description("attempts this node certified before D2 with the whole committee's openings")
                .register(registry).increment();
    }

    public void sharesChecked(int n, int faulty) {
        Counter.builder("zkpfl.node.shares.checked").description("shares checked against their commitments")
                .register(registry).increment(n);
        Counter.builder("zkpfl.node.shares.faulty").description("shares found inconsistent or unreadable")
                .register(registry).increment(faulty);
    }

    /** {@code filed} (this node's), {@code upheld}/{@code rejected} (its votes on others'), {@code exclusion}. */
    public void complaint(String kind) {
        Counter.builder("zkpfl.node.complaints").description("complaints filed and votes cast").tag("kind", kind)
                .register(registry).increment();
    }

    public void transaction(String action, String outcome) {
        Counter.builder("zkpfl.node.transactions").description("transactions sent, by outcome").tag("action", action)
                .tag("outcome", outcome).register(registry).increment();
    }

    public void received(String kind, String source) {
        Counter.builder("zkpfl.node.received").description("manifests and envelopes received").tag("kind", kind)
                .tag("source", source).register(registry).increment();
    }

    public <T> T time(String what, Supplier<T> work) {
        return Timer.builder("zkpfl.node." + what).description(what + " time").publishPercentiles(0.5, 0.95)
                .register(registry).record(work);
    }
}
