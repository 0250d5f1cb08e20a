package io.zkpfl.marketplace.dependency;

import io.smallrye.mutiny.Uni;
import org.eclipse.microprofile.health.HealthCheckResponse;

/** Turns a bounded probe of a dependency into its readiness check response, named by {@link Dependency#id()}. */
public final class DependencyHealth {

    private DependencyHealth() {
    }

    /** UP when {@code probe} succeeds, DOWN with the reason when it fails. */
    public static Uni<HealthCheckResponse> of(Dependency dependency, Uni<?> probe) {
        return probe.map(ignored -> HealthCheckResponse.named(dependency.id()).up().build())
                .onFailure().recoverWithItem(e -> HealthCheckResponse.named(dependency.id()).down()
                        .withData("reason", e instanceof DependencyUnavailableException ? e.getMessage()
                                : DependencyUnavailableException.unreachable(dependency, e).getMessage())
                        .build());
    }
}
