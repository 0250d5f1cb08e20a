package io.zkpfl.marketplace.dependency;

import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness: a Kafka broker describes the cluster within the deadline. (Quarkus' own Kafka check waits
 * for the admin client's default API timeout, a minute, so it is disabled.)
 */
@Readiness
@ApplicationScoped
public class KafkaHealthCheck implements AsyncHealthCheck {

    private final String bootstrapServers;
    private final Vertx vertx;
    private final Deadlines deadlines;
    private volatile Admin admin;

    public KafkaHealthCheck(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers, Vertx vertx,
            Deadlines deadlines) {
        this.bootstrapServers = bootstrapServers;
        this.vertx = vertx;
        this.deadlines = deadlines;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        int millis = (int) deadlines.of(Dependency.KAFKA).toMillis();
        return DependencyHealth.of(Dependency.KAFKA, deadlines.bound(Dependency.KAFKA, vertx.executeBlocking(
                Uni.createFrom().item(() -> {
                    try {
                        return admin().describeCluster(new DescribeClusterOptions().timeoutMs(millis)).nodes()
                                .get(millis, TimeUnit.MILLISECONDS);
                    } catch (Exception e) {
                        throw DependencyUnavailableException.unreachable(Dependency.KAFKA, e);
                    }
                }), false)));
    }

    private Admin admin() {
        Admin a = admin;
        if (a == null) {
            synchronized (this) {
                if (admin == null) {
                    int millis = (int) deadlines.of(Dependency.KAFKA).toMillis();
                    admin = Admin.create(Map.of(
                            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis,
                            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis,
                            AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000,
                            AdminClientConfig.CLIENT_ID_CONFIG, "zkpfl-marketplace-health"));
                }
                a = admin;
            }
        }
        return a;
    }

    void stop(@Observes ShutdownEvent shutdown) {
        if (admin != null) {
            admin.close();
        }
    }
}
