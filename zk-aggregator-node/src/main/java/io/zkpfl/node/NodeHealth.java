package io.zkpfl.node;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness: the chain answers and the round loop reached it lately, PostgreSQL answers, the Kafka consumer polls,
 * IPFS answers and the SRS file is configured. (Raft is not part of this node yet: see docs/operators.md.)
 */
@Readiness
@ApplicationScoped
public class NodeHealth implements HealthCheck {

    private final Chain chain;
    private final RoundStore store;
    private final KafkaIntake intake;
    private final RoundEngine engine;
    private final SrsProvider srs;

    public NodeHealth(Chain chain, RoundStore store, KafkaIntake intake, RoundEngine engine, SrsProvider srs) {
        this.chain = chain;
        this.store = store;
        this.intake = intake;
        this.engine = engine;
        this.srs = srs;
    }

    @Override
    public HealthCheckResponse call() {
        var b = HealthCheckResponse.named("zk-aggregator-node");
        boolean up = true;
        up &= check(b, "chain", () -> chain.blockNumber() >= 0);
        up &= check(b, "postgresql", store::ping);
        up &= check(b, "kafka", () -> intake.sinceLastPollMillis() < 15_000);
        up &= check(b, "ipfs", () -> {
            try {
                return !engine.ipfs().version().isBlank();
            } catch (java.io.IOException e) {
                return false;
            }
        });
        up &= check(b, "srs", srs::configured);
        b.withData("round-loop-ms-since-tick", engine.sinceLastTickMillis());
        if (engine.lastError() != null) {
            b.withData("last-error", engine.lastError());
        }
        return b.status(up).build();
    }

    private static boolean check(org.eclipse.microprofile.health.HealthCheckResponseBuilder b, String name,
                                 java.util.function.BooleanSupplier probe) {
        boolean ok;
        try {
            ok = probe.getAsBoolean();
        } catch (RuntimeException e) {
            ok = false;
        }
        b.withData(name, ok ? "UP" : "DOWN");
        return ok;
    }
}
