package io.zkpfl.marketplace.artifact;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.zkpfl.marketplace.dependency.Deadlines;
import io.zkpfl.marketplace.dependency.Dependency;
import io.zkpfl.marketplace.dependency.DependencyHealth;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Readiness: the IPFS node that stores job artefacts answers its RPC API within the deadline. */
@Readiness
@ApplicationScoped
public class IpfsHealthCheck implements AsyncHealthCheck {

    private final ArtifactStore store;
    private final Deadlines deadlines;

    public IpfsHealthCheck(ArtifactStore store, Deadlines deadlines) {
        this.store = store;
        this.deadlines = deadlines;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return DependencyHealth.of(Dependency.IPFS, deadlines.bound(Dependency.IPFS, store.version()));
    }
}
