package io.zkpfl.marketplace.dependency;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.zkpfl.marketplace.chain.MarketChain;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Readiness: the chain's JSON-RPC answers {@code eth_blockNumber} within its deadline. */
@Readiness
@ApplicationScoped
public class ChainHealthCheck implements AsyncHealthCheck {

    private final MarketChain chain;
    private final Vertx vertx;
    private final Deadlines deadlines;

    public ChainHealthCheck(MarketChain chain, Vertx vertx, Deadlines deadlines) {
        this.chain = chain;
        this.vertx = vertx;
        this.deadlines = deadlines;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return DependencyHealth.of(Dependency.CHAIN, deadlines.bound(Dependency.CHAIN,
                vertx.executeBlocking(Uni.createFrom().item(chain::blockNumber), false)));
    }
}
