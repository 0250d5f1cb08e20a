package io.zkpfl.marketplace.about;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Which service and API version answers; also the baseline endpoint of the listing benchmark. */
@Path("/api/v1/version")
@Tag(name = "service")
public class VersionResource {

    /** Service name, version and API version. */
    public record Version(String service, String version, String api, long chainId) {
    }

    private final Version version;

    public VersionResource(@ConfigProperty(name = "quarkus.application.name") String name,
            @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev") String release,
            @ConfigProperty(name = "zkpfl.chain.id", defaultValue = "31337") long chainId) {
        this.version = new Version(name, release, "v1", chainId);
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Service name and version, and the chain id jobs must be signed for")
    public Version get() {
        return version;
    }
}
