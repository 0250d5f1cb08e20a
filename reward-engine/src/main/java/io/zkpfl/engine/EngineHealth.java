package io.zkpfl.engine;

import io.zkpfl.engine.chain.EngineChain;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import javax.sql.DataSource;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the chain answers and PostgreSQL takes a connection. */
@Readiness
@ApplicationScoped
public class EngineHealth implements HealthCheck {

    private final EngineChain chain;
    private final DataSource db;

    public EngineHealth(EngineChain chain, DataSource db) {
        this.chain = chain;
        this.db = db;
    }

    @Override
    public HealthCheckResponse call() {
        var b = HealthCheckResponse.named("reward-engine").withData("evaluator", chain.evaluator());
        try {
            b.withData("chainHead", chain.head());
        } catch (RuntimeException e) {
            return b.down().withData("chain", String.valueOf(e.getMessage())).build();
        }
        try (Connection c = db.getConnection()) {
            c.isValid(2);
        } catch (Exception e) {
            return b.down().withData("postgres", String.valueOf(e.getMessage())).build();
        }
        return b.up().build();
    }
}
