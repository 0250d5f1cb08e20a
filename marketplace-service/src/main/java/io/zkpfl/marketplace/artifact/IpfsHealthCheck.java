package io.zkpfl.marketplace.artifact;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Readiness: the IPFS node that stores job artefacts answers its RPC API. */
@Readiness
@ApplicationScoped
public class IpfsHealthCheck implements AsyncHealthCheck {

    private final ArtifactStore store;

    public IpfsHealthCheck(ArtifactStore store) {
        this.store = store;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return store.reachable().map(up -> HealthCheckResponse.named("ipfs").status(up).build());
    }
}
