package io.zkpfl.marketplace.dependency;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Readiness: PostgreSQL answers {@code SELECT 1} within its deadline. */
@Readiness
@ApplicationScoped
public class PostgresHealthCheck implements AsyncHealthCheck {

    private final Pool pool;
    private final Deadlines deadlines;

    public PostgresHealthCheck(Pool pool, Deadlines deadlines) {
        this.pool = pool;
        this.deadlines = deadlines;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return DependencyHealth.of(Dependency.POSTGRESQL, deadlines.postgres(pool.query("SELECT 1").execute()));
    }
}
